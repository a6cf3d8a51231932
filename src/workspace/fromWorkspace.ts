// A saved workspace → the raw layers the console assembles, like the demo's. A workspace
// may hold only some layers (grids alone, grids and a roster…): the rest are empty, and the
// district's name and code come from what is there.
import type { Feature } from 'geojson';
import type { WorkspaceRow } from '../store/db';
import type { WorkspaceRole } from '../store/workspaces';
import type { DemoMeta } from '../domain/types';
import type { RawLayers } from './assemble';
import { caseColumns, type CaseColumns } from './caseTable';
import type { Archive } from '../store/archive';
import { casesOfRow } from '../store/db';
import { fromGeoColumns } from '../store/geoColumns';

export function rawLayersOf(workspace: WorkspaceRow, layers: Partial<Record<WorkspaceRole, Feature[]>>, cases: CaseColumns | null = null): RawLayers {
  const of = <T>(role: WorkspaceRole) => (layers[role] ?? []) as unknown as T[];
  const raw: RawLayers = {
    meta: workspace.meta ? { ...workspace.meta, district_name: workspace.name } : metaOf(workspace, layers),
    boundaries: of('boundaries'),
    grids: of('grids'),
    roads: of('roads'),
    water: of('water'),
    buildings: of('buildings'),
    households: of('households'),
    cases: cases ?? caseColumns(of('cases')),
  };
  return raw;
}

function metaOf(workspace: WorkspaceRow, layers: Partial<Record<WorkspaceRole, Feature[]>>): DemoMeta {
  // (a workspace with no grids yet takes its code from any outline it has)
  const district = layers.boundaries?.find((f) => f.properties?.level === 'district') ?? layers.boundaries?.[0];
  const someGrid = layers.grids?.find((f) => typeof f.properties?.code === 'string');
  const code = String(district?.properties?.code ?? someGrid?.properties?.code ?? '').slice(0, 6);
  const counts = Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, v?.length ?? 0]));
  // No snapshot time: a user's own cases are judged overdue against the clock.
  return { district_code: code, district_name: workspace.name, as_of: '', seed: 0, counts };
}

/** A workspace file's layers (src/store/archive.ts) as the raw layers, the same way. */
export function rawLayersOfArchive(a: Archive): RawLayers {
  const layers: Partial<Record<WorkspaceRole, Feature[]>> = {};
  let cases: CaseColumns | null = null;
  for (const l of a.layers) {
    if (l.cases) cases = casesOfRow(l.cases);
    else if (l.geo) layers[l.role as WorkspaceRole] = fromGeoColumns(l.geo);
  }
  const now = Date.now();
  return rawLayersOf({ id: '', name: a.name, createdAt: now, updatedAt: now, mappings: a.mappings, ...(a.meta ? { meta: a.meta } : {}) }, layers, cases);
}
