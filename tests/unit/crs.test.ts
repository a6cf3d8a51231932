import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import proj4 from 'proj4';
import { convertFeatures, gaussKrugerDef, guessCrs, swapLatLon, toLonLat } from '../../src/io/crs';

const ref = JSON.parse(readFileSync('tests/fixtures/crs/reference.json', 'utf8'));
const [x0, y0] = ref.input as [number, number];

describe('GCJ-02 and BD-09', () => {
  it('matches the published forward conversions', () => {
    const gcj = gcoord.transform([x0, y0], gcoord.WGS84, gcoord.GCJ02);
    expect(gcj[0]).toBeCloseTo(ref.wgs84_to_gcj02[0], 9);
    expect(gcj[1]).toBeCloseTo(ref.wgs84_to_gcj02[1], 9);
    const fromBd = gcoord.transform([x0, y0], gcoord.BD09, gcoord.GCJ02);
    expect(fromBd[0]).toBeCloseTo(ref.bd09_to_gcj02[0], 9);
    expect(fromBd[1]).toBeCloseTo(ref.bd09_to_gcj02[1], 9);
  });

  it('takes a GCJ-02 point back to its WGS84 origin within 1e-6° (about 0.1 m)', () => {
    const [lon, lat] = toLonLat({ kind: 'gcj02' })(ref.wgs84_to_gcj02[0], ref.wgs84_to_gcj02[1]);
    expect(Math.abs(lon - x0)).toBeLessThan(1e-6);
    expect(Math.abs(lat - y0)).toBeLessThan(1e-6);
  });

  it('takes a BD-09 point back to its WGS84 origin', () => {
    const [bx, by] = ref.gcj02_to_bd09 as [number, number]; // BD-09 of the GCJ-02 point (x0, y0)
    const wgsOfGcj = toLonLat({ kind: 'gcj02' })(x0, y0);
    const [lon, lat] = toLonLat({ kind: 'bd09' })(bx, by);
    expect(Math.abs(lon - wgsOfGcj[0])).toBeLessThan(1e-5);
    expect(Math.abs(lat - wgsOfGcj[1])).toBeLessThan(1e-5);
  });
});

describe('CGCS2000 Gauss–Krüger', () => {
  const gk = ref.gauss_kruger;
  it('puts the central meridian at the zone\'s false easting', () => {
    const [e] = proj4('WGS84', gaussKrugerDef(gk.epsg)!).forward(gk.on_central_meridian.lonlat);
    expect(e).toBeCloseTo(gk.on_central_meridian.easting, 3);
  });

  it('is detected from the zone number in the easting, and converted back to lon/lat', () => {
    const there = proj4('WGS84', gaussKrugerDef(gk.epsg)!);
    const pts = [[119.1, 36.7], [119.2, 36.75]].map((p) => there.forward(p));
    expect(guessCrs(pts)).toEqual({ kind: 'gauss-kruger', epsg: 4528, zone: 40, zoneWidth: 3 });
    const back = toLonLat({ kind: 'epsg', code: 4528 });
    const [lon, lat] = back(pts[0][0], pts[0][1]);
    expect(lon).toBeCloseTo(119.1, 8);
    expect(lat).toBeCloseTo(36.7, 8);
  });

  it('refuses a code it does not know, saying which', () => {
    expect(() => toLonLat({ kind: 'epsg', code: 3857 })).toThrow(/EPSG:3857/);
  });
});

describe('guessing and converting features', () => {
  it('tells lon/lat from lat/lon and projected numbers', () => {
    expect(guessCrs([[119.1, 36.7]])).toEqual({ kind: 'lonlat' });
    expect(guessCrs([[36.7, 119.1]])).toEqual({ kind: 'latlon' });
    expect(guessCrs([[500123, 4061234]])).toEqual({ kind: 'projected-unknown' });
  });

  it('converts every coordinate, leaves the input alone, and says what it did', () => {
    const input = [{ type: 'Feature' as const, properties: { id: 1 }, geometry: { type: 'Polygon' as const, coordinates: [[[116.404, 39.915], [116.405, 39.915], [116.405, 39.916], [116.404, 39.915]]] } }];
    const { features, note } = convertFeatures(input, { kind: 'gcj02' });
    expect(note).toEqual({ kind: 'gcj02', features: 1, epsg: undefined });
    expect(input[0].geometry.coordinates[0][0]).toEqual([116.404, 39.915]);
    const moved = (features[0].geometry as { coordinates: number[][][] }).coordinates[0][0];
    expect(moved[0]).toBeLessThan(116.404); // GCJ-02 is offset east and north of WGS84 here
    const swapped = swapLatLon([{ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: [36.7, 119.1] } }]);
    expect(swapped.features[0].geometry.coordinates).toEqual([119.1, 36.7]);
    expect(swapped.note.kind).toBe('swapped');
  });
});
