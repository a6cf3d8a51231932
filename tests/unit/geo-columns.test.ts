// Layers as IndexedDB keeps them (src/store/geoColumns.ts): every kind of geometry the
// console stores, rows without one, and properties some features lack, back exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { fromGeoColumns, geoColumnsFromJSON, geoColumnsToJSON, toGeoColumns } from '../../src/store/geoColumns';

const fixture = JSON.parse(readFileSync('tests/fixtures/engine/rules.geojson', 'utf8')).features as Feature[];
const extra: Feature[] = [
  { type: 'Feature', properties: { name: '虞河' }, geometry: { type: 'LineString', coordinates: [[119.1, 36.7], [119.2, 36.71]] } },
  { type: 'Feature', properties: { name: '胜利街', class: 'arterial' }, geometry: { type: 'MultiLineString', coordinates: [[[119.1, 36.7], [119.2, 36.7]], [[119.3, 36.7], [119.4, 36.8]]] } },
  { type: 'Feature', properties: { id: 'R1', head_name: '张三丰' }, geometry: null as never },
  { type: 'Feature', properties: { code: 'M', band_min: null }, geometry: { type: 'MultiPolygon', coordinates: [[[[119, 36], [119.1, 36], [119.1, 36.1], [119, 36]]], [[[119.2, 36], [119.3, 36], [119.3, 36.1], [119.2, 36]], [[119.25, 36.01], [119.26, 36.01], [119.26, 36.02], [119.25, 36.01]]]] } },
];

describe('geo columns', () => {
  const all = [...fixture, ...extra];
  it('give back every feature exactly: points, polygons with holes, multipolygons, lines, no geometry', () => {
    expect(new Set(all.map((f) => f.geometry?.type ?? null))).toEqual(new Set(['Polygon', 'MultiPolygon', 'Point', 'LineString', 'MultiLineString', null]));
    expect(fromGeoColumns(toGeoColumns(all))).toEqual(all.map((f) => ({ type: 'Feature', properties: f.properties, geometry: f.geometry })));
  });
  it('keep coordinates in typed arrays, not an object per feature', () => {
    const c = toGeoColumns(all);
    expect(c.coords).toBeInstanceOf(Float64Array);
    expect(c.featureEnds.length).toBe(all.length);
  });
  it('go through a workspace file and refuse one cut short', () => {
    const c = toGeoColumns(all);
    expect(fromGeoColumns(geoColumnsFromJSON(geoColumnsToJSON(c)))).toEqual(fromGeoColumns(c));
    const cut = JSON.parse(geoColumnsToJSON(c));
    cut.ringEnds.pop();
    expect(() => geoColumnsFromJSON(JSON.stringify(cut))).toThrow(/ringEnds ends at \d+, but there are \d+ \(cut short or damaged\)/);
  });
  it('refuse a geometry it cannot keep, saying which', () => {
    expect(() => toGeoColumns([{ type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } }])).toThrow(/GeometryCollection cannot be stored/);
  });
});

describe('packed property columns', () => {
  it('pack columns of one type and give back every value, absent and null apart', async () => {
    const { packColumn, unpackColumn } = await import('../../src/store/geoColumns');
    const cols: unknown[][] = [
      [1, 2, undefined, null, -32768, 32767], [70_000, -5, 3], [1.5, NaN, -0, Infinity], [2 ** 40, 1],
      ['一', '', undefined, 'abc', null, '😀'], [true, false, undefined], [1, 'a'], [undefined, null], [{ a: 1 }],
    ];
    for (const c of cols) {
      const p = packColumn(c);
      expect(unpackColumn(p)).toEqual(c);
      for (let i = 0; i < c.length; i++) expect(Object.is(unpackColumn(p)![i], c[i])).toBe(true);
    }
    expect((packColumn(cols[0]) as { values: unknown }).values).toBeInstanceOf(Int16Array);
    expect((packColumn(cols[1]) as { values: unknown }).values).toBeInstanceOf(Int32Array);
    expect((packColumn(cols[2]) as { values: unknown }).values).toBeInstanceOf(Float64Array);
    expect(packColumn(cols[4])).toMatchObject({ packed: 'string', text: '一abc😀' });
    expect(Array.isArray(packColumn(cols[6]))).toBe(true); // mixed: kept as it is
  });
});
