// Findings out: GeoJSON (each finding a feature) and CSV for Excel (UTF-8 BOM, headers in
// the user's language).
import type { Feature, FeatureCollection } from 'geojson';
import type { Report } from '../checks/report';
import { toExcelCsv } from './csv';
import type { Messages } from '../i18n/zh-CN';

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

export function findingsCsv(report: Report, m: Messages): string {
  const h = m.findings.csv;
  const header = [h.no, h.rule, h.kind, h.ids, h.area_m2, h.share, h.count, h.distance_m, h.lon, h.lat];
  const rows = report.findings.map((f, i) => {
    const c = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
    return [
      i + 1, m.rules[f.rule], m.findings.kinds[f.kind], f.ids.join('；'),
      f.measure.area_m2 ?? '', f.measure.share ?? '', f.measure.count ?? '', f.measure.distance_m ?? '',
      c ? c[0] : '', c ? c[1] : '',
    ];
  });
  return toExcelCsv(header, rows);
}
