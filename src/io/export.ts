// What leaves the console: grids as GeoJSON, FlatGeobuf and zipped Shapefile, the whole
// district as one zip of Shapefiles, the household → grid assignment as CSV for Excel.
// Personal data (户主, phones, ID numbers, any column found to hold them) is not in these
// files unless asked for explicitly.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { BoundaryFeature, BuildingFeature, GridFeature, HouseholdFeature } from '../domain/types';
import type { Assignment, HouseholdColumns } from '../checks/engine';
import { writeFlatGeobuf } from './flatgeobuf';
import { toExcelCsv } from './csv';
import { writeShapefileZip } from './shapefileWrite';
import { isPersonalKey, withoutPersonal } from './layers';
import type { Messages } from '../i18n/zh-CN';

type Opts = { includePersonal?: boolean };

/** A layer as it leaves: without personal properties unless the user includes them. */
function leaving<F extends Feature>(fs: F[], opts: Opts): F[] {
  return opts.includePersonal ? fs : fs.map((f) => ({ ...f, properties: withoutPersonal((f.properties ?? {}) as Record<string, unknown>) }));
}

export function gridsGeoJSON(grids: GridFeature[], opts: Opts = {}): string {
  return JSON.stringify({ type: 'FeatureCollection', features: leaving(grids, opts) } satisfies FeatureCollection);
}

export function gridsFlatGeobuf(grids: GridFeature[], opts: Opts = {}): Uint8Array {
  return writeFlatGeobuf({ type: 'FeatureCollection', features: leaving(grids, opts) });
}

/** One row per household: its id, building, and the grid it is in ('' when none). */
export function householdAssignmentCsv(h: Pick<HouseholdColumns, 'ids' | 'buildingIds'>, a: Pick<Assignment, 'householdGrid' | 'grids'>, m: Messages): string {
  const c = m.export.assignment;
  const rows = h.ids.map((id, i) => {
    const g = a.householdGrid[i];
    const grid = g >= 0 ? a.grids[g].properties : null;
    return [id, h.buildingIds[i], grid?.code ?? '', grid?.name ?? ''];
  });
  return toExcelCsv([c.household, c.building, c.gridCode, c.gridName], rows);
}

/** grids.shp (with .shx, .dbf, .prj, .cpg) in a zip. */
export function gridsShapefileZip(grids: GridFeature[], opts: Opts = {}): Uint8Array {
  return writeShapefileZip([{ name: 'grids', features: leaving(grids, opts), shape: 'polygon' }]);
}

export interface DistrictLayers {
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  buildings: BuildingFeature[];
  households: HouseholdFeature[];
}

/** What a household export holds; the personal fields only with `includePersonal`. */
const HOUSEHOLD_FIELDS = ['id', 'building_id', 'unit', 'room', 'residents'];

/** Households as points (a null shape where a roster row has none) with the listed fields only. */
export function householdsForExport(households: HouseholdFeature[], opts: Opts = {}): Feature<Point | null>[] {
  return households.map((h) => {
    const p: Record<string, unknown> = { ...h.properties }; // imported rosters may carry head_name, phone, personal:…
    const keys = [...HOUSEHOLD_FIELDS, ...(opts.includePersonal ? Object.keys(p).filter(isPersonalKey) : [])];
    return { type: 'Feature', geometry: h.geometry ?? null, properties: Object.fromEntries(keys.filter((k) => k in p).map((k) => [k, p[k]])) };
  });
}

/** boundaries.shp, grids.shp, buildings.shp and households.shp (points) in one zip. */
export function districtShapefileZip(l: DistrictLayers, opts: Opts = {}): Uint8Array {
  return writeShapefileZip([
    { name: 'boundaries', features: leaving(l.boundaries, opts), shape: 'polygon' },
    { name: 'grids', features: leaving(l.grids, opts), shape: 'polygon' },
    { name: 'buildings', features: leaving(l.buildings, opts), shape: 'polygon' },
    { name: 'households', features: householdsForExport(l.households, opts), shape: 'point' },
  ]);
}
