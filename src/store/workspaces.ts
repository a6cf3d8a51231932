// Named workspaces in IndexedDB: each layer of a district saved as one FlatGeobuf blob.
// A save is one transaction: it lands whole or not at all, so a full disk loses nothing
// that was already saved.
import type { Feature } from 'geojson';
import { readFlatGeobuf, writeFlatGeobuf } from '../io/flatgeobuf';
import type { GridScopeDB, LayerRow, WorkspaceRow } from './db';

export const WORKSPACE_ROLES = ['boundaries', 'grids', 'buildings', 'households', 'cases', 'roads', 'water'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export class StorageFullError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what}: the browser's storage for this site is full; nothing was changed. Free space (delete a workspace) and try again.`);
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

const isQuota = (e: unknown) => e instanceof Error && (e.name === 'QuotaExceededError' || (e as { inner?: Error }).inner?.name === 'QuotaExceededError');

export class Workspaces {
  constructor(private readonly db: GridScopeDB) {}

  list(): Promise<WorkspaceRow[]> {
    return this.db.workspaces.orderBy('name').toArray();
  }

  async create(name: string): Promise<WorkspaceRow> {
    const now = Date.now();
    const row: WorkspaceRow = { id: `ws-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, name, createdAt: now, updatedAt: now, mappings: {} };
    await this.db.workspaces.add(row);
    return row;
  }

  /** Saves (replaces) one layer of a workspace, with the field mapping used for it. */
  async saveLayer(workspaceId: string, role: WorkspaceRole, features: Feature[], source: LayerRow['source'], mapping?: Record<string, string>) {
    // FlatGeobuf has no row without a geometry: rosters go as rows plus a typed array of points.
    const allGeometry = features.every((f) => f.geometry);
    const body: Pick<LayerRow, 'fgb' | 'rows' | 'points'> = allGeometry
      ? { fgb: writeFlatGeobuf({ type: 'FeatureCollection', features }) }
      : {
        rows: features.map((f) => f.properties ?? {}),
        points: Float64Array.from(features.flatMap((f) => (f.geometry?.type === 'Point' ? f.geometry.coordinates.slice(0, 2) : [NaN, NaN]))),
      };
    try {
      await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
        const ws = await this.db.workspaces.get(workspaceId);
        if (!ws) throw new Error(`no workspace ${workspaceId}`);
        await this.db.layers.put({ key: `${workspaceId}:${role}`, workspaceId, role, ...body, count: features.length, source, savedAt: Date.now() });
        await this.db.workspaces.put({ ...ws, updatedAt: Date.now(), mappings: mapping ? { ...ws.mappings, [role]: mapping } : ws.mappings });
      });
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`saving ${role}`, e);
      throw e;
    }
  }

  /** Every saved layer of a workspace, decoded. */
  async load(workspaceId: string): Promise<{ workspace: WorkspaceRow; layers: Partial<Record<WorkspaceRole, Feature[]>>; rows: LayerRow[] }> {
    const workspace = await this.db.workspaces.get(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    const rows = await this.db.layers.where('workspaceId').equals(workspaceId).toArray();
    const layers: Partial<Record<WorkspaceRole, Feature[]>> = {};
    for (const r of rows) layers[r.role as WorkspaceRole] = r.fgb ? await readFlatGeobuf(r.fgb) : rowsToFeatures(r);
    return { workspace, layers, rows };
  }

  async remove(workspaceId: string) {
    await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
      await this.db.layers.where('workspaceId').equals(workspaceId).delete();
      await this.db.workspaces.delete(workspaceId);
    });
  }
}

/** Asks the browser not to evict this site's data under storage pressure. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

function rowsToFeatures(r: LayerRow): Feature[] {
  const pts = r.points ?? new Float64Array(0);
  return (r.rows ?? []).map((properties, i) => ({
    type: 'Feature',
    properties,
    geometry: Number.isFinite(pts[2 * i]) ? { type: 'Point', coordinates: [pts[2 * i], pts[2 * i + 1]] } : null,
  }) as Feature);
}
