// What leaves the console: grids as GeoJSON and FlatGeobuf, the household → grid
// assignment as CSV for Excel. Personal data (户主, phone) is not in these files.
import type { FeatureCollection } from 'geojson';
import type { GridFeature } from '../domain/types';
import type { Assignment, HouseholdColumns } from '../checks/engine';
import { writeFlatGeobuf } from './flatgeobuf';
import { toExcelCsv } from './csv';
import type { Messages } from '../i18n/zh-CN';

export function gridsGeoJSON(grids: GridFeature[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features: grids } satisfies FeatureCollection);
}

export function gridsFlatGeobuf(grids: GridFeature[]): Uint8Array {
  return writeFlatGeobuf({ type: 'FeatureCollection', features: grids });
}

/** One row per household: its id, building, and the grid it is in ('' when none). */
export function householdAssignmentCsv(h: HouseholdColumns, a: Assignment, m: Messages): string {
  const c = m.export.assignment;
  const rows = h.ids.map((id, i) => {
    const g = a.householdGrid[i];
    const grid = g >= 0 ? a.grids[g].properties : null;
    return [id, h.buildingIds[i], grid?.code ?? '', grid?.name ?? ''];
  });
  return toExcelCsv([c.household, c.building, c.gridCode, c.gridName], rows);
}
