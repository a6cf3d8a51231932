// Areas on the WGS84 / CGCS2000 ellipsoid: the engine's measure against GeographicLib's geodesic
// polygon area (the measure of PostGIS geography), and how far a sphere would be off.
import { describe, expect, it } from 'vitest';
import geographiclib from 'geographiclib-geodesic';
import { area as turfArea } from '@turf/turf';
import type { Position } from 'geojson';
import { geodesicArea, ringArea } from '../../src/checks/area';

const reference = (ring: Position[]) => {
  const p = geographiclib.Geodesic.WGS84.Polygon(false);
  for (const q of ring.slice(0, -1)) p.AddPoint(q[1]!, q[0]!);
  return p.Compute(false, true).area!;
};
const square = (x: number, y: number, d: number): Position[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];

describe('ellipsoidal area', () => {
  it('matches GeographicLib to 1e-8 on grid-sized polygons from Hainan to Heilongjiang', () => {
    for (const lat of [18.2, 30.5, 36.7, 45.8, 53.3]) {
      for (const d of [0.0001, 0.002, 0.01]) {
        const ring = square(110 + lat / 10, lat, d);
        expect(Math.abs(ringArea(ring) / reference(ring) - 1), `${lat}° ${d}°`).toBeLessThan(1e-8);
      }
    }
  });

  it('matches GeographicLib on a 150,000-vertex outline, and is ~0.2 % from the sphere where the sphere is used', () => {
    const ring: Position[] = [];
    const n = 150_000;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      ring.push([119.1 + 0.5 * Math.cos(a) * (1 + 0.05 * Math.sin(50 * a)), 36.7 + 0.4 * Math.sin(a)]);
    }
    ring.push(ring[0]);
    const mine = geodesicArea({ type: 'Polygon', coordinates: [ring] });
    expect(Math.abs(mine / reference(ring) - 1)).toBeLessThan(1e-9);
    // The sphere (Turf) is measurably off at these latitudes: more than the 1e-3 a sliver line can bear.
    const sphere = turfArea({ type: 'Polygon', coordinates: [ring] });
    expect(Math.abs(sphere / mine - 1)).toBeGreaterThan(1e-4);
  });

  it('takes holes away and counts parts, whatever way the rings wind', () => {
    const outer = square(119.1, 36.7, 0.01);
    const hole = square(119.102, 36.702, 0.002);
    const want = reference(outer) - reference(hole);
    expect(geodesicArea({ type: 'Polygon', coordinates: [outer, hole] })).toBeCloseTo(want, 3);
    expect(geodesicArea({ type: 'Polygon', coordinates: [[...outer].reverse(), [...hole].reverse()] })).toBeCloseTo(want, 3);
    expect(geodesicArea({ type: 'MultiPolygon', coordinates: [[outer, hole], [square(119.2, 36.7, 0.002)]] })).toBeCloseTo(want + reference(square(119.2, 36.7, 0.002)), 3);
  });
});
