// The comparison of a draft with a version, as files for the approval: a CSV that opens in
// Excel (grids changed, then households and buildings moved) and a GeoJSON of the grids
// before and after.
import type { Comparison } from '../plan/compare';
import type { Messages } from '../i18n/zh-CN';
import { toExcelCsv } from './csv';

export function comparisonCsv(c: Comparison, m: Messages): string {
  const k = m.edit.compareFile;
  const rows: (string | number)[][] = [
    ...c.grids.map((g) => [k.grid, g.code, g.name, m.edit.change[g.change], g.households_before, g.households_after, '', '', '', '']),
    ...c.moves.map((mv) => [k.move, '', '', '', '', '', mv.from || k.none, mv.to || k.none, mv.households, mv.buildings]),
  ];
  return toExcelCsv([k.what, k.code, k.name, k.change, k.before, k.after, k.from, k.to, k.households, k.buildings], rows);
}

export function comparisonGeoJSON(c: Comparison): string {
  return JSON.stringify({ type: 'FeatureCollection', features: c.features });
}
