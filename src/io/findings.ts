// Findings out: GeoJSON (each finding a feature) and CSV for Excel (UTF-8 BOM, headers in
// the user's language).
import type { Feature, FeatureCollection } from 'geojson';
import type { Report } from '../checks/report';
import { toExcelCsv } from './csv';
import type { Messages } from '../i18n/zh-CN';
import { findingAnchor } from '../checks/anchor';

export function findingsGeoJSON(report: Report): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: report.findings.map((f, i): Feature => ({
      type: 'Feature',
      id: i + 1,
      properties: { kind: f.kind, rule: f.rule, ids: f.ids.join(';'), ...f.measure, band: f.measure.band?.join('-') },
      geometry: f.geometry as Feature['geometry'],
    })),
  };
}

/**
 * One row per finding: what and where, the grid names beside their codes, the measures, and a
 * representative longitude and latitude for every finding (a point inside a gap or overlap).
 */
export function findingsCsv(report: Report, m: Messages): string {
  const h = m.findings.csv;
  const names = new Map(report.grids.map((g) => [g.code, g.name]));
  const header = [h.no, h.rule, h.kind, h.ids, h.names, h.area_m2, h.share, h.count, h.distance_m, h.lon, h.lat];
  const rows = report.findings.map((f, i) => {
    const c = findingAnchor(f.geometry);
    return [
      i + 1, m.rules[f.rule], m.findings.kinds[f.kind], f.ids.join('；'), f.ids.map((id) => names.get(id) ?? '').filter(Boolean).join('；'),
      f.measure.area_m2 ?? '', f.measure.share ?? '', f.measure.count ?? '', f.measure.distance_m ?? '',
      c ? c[0] : '', c ? c[1] : '',
    ];
  });
  return toExcelCsv(header, rows);
}
