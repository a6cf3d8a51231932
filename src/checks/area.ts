// Areas in m² on the WGS84 / CGCS2000 ellipsoid (their flattenings differ by 1e-11: the same
// figure to the millimetre), not on a sphere: a sphere is ~0.2 % off at Chinese latitudes,
// enough to move a piece across the 1 m² sliver line.
//
// The checks' topology treats an edge as the straight line between its two lon/lat vertices,
// so that is the edge measured here: the exact ellipsoidal area of the region such edges
// enclose, by Green's theorem with the authalic function Q(φ) (the area between the equator
// and latitude φ per radian of longitude), integrated along each edge with Simpson's rule.
// Areas therefore add up exactly over any cut of a polygon (a gap plus the grids around it
// give the region), which geodesic edges would not. For edges under a few kilometres this is
// the geodesic area of PostGIS geography and GeographicLib to within 1e-6 (tests/unit/area.test.ts).
import type { Position } from 'geojson';

const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

/** Area between the equator and latitude φ (radians) per radian of longitude, m². */
function q(phi: number): number {
  const s = Math.sin(phi);
  const es = E * s;
  return (A * A * (1 - E2) / 2) * (s / (1 - E2 * s * s) + Math.log((1 + es) / (1 - es)) / (2 * E));
}

/**
 * Signed area (m², counter-clockwise positive) of one closed ring given as a flat array of
 * lon, lat pairs from `start` to `end` (pair indices, end exclusive; last pair = first pair
 * or not: the ring is closed either way).
 */
export function ringAreaFlat(coords: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n < 3) return 0;
  const q0 = q(coords[2 * start + 1] * DEG);
  let sum = 0;
  let qa = 0; // q(φ of the current vertex) − q0
  let xa = coords[2 * start];
  let ya = coords[2 * start + 1];
  for (let k = 1; k <= n; k++) {
    const i = start + (k % n);
    const xb = coords[2 * i];
    const yb = coords[2 * i + 1];
    const qb = q(yb * DEG) - q0;
    const dx = (xb - xa) * DEG;
    if (dx !== 0) {
      const qm = ya === yb ? qb : q(((ya + yb) / 2) * DEG) - q0;
      sum += dx * (qa + 4 * qm + qb) / 6;
    }
    xa = xb; ya = yb; qa = qb;
  }
  return -sum;
}

/** Signed area of a ring of positions (counter-clockwise positive), m². */
export function ringArea(ring: Position[]): number {
  const flat = new Float64Array(ring.length * 2);
  for (let i = 0; i < ring.length; i++) { flat[2 * i] = ring[i][0]; flat[2 * i + 1] = ring[i][1]; }
  return ringAreaFlat(flat, 0, ring.length);
}

/** Area of a Polygon or MultiPolygon, m²: each outer ring counts, each hole is taken away (whatever their winding). */
export function geodesicArea(g: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] }): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let total = 0;
  for (const poly of polys) poly.forEach((ring, r) => { total += (r === 0 ? 1 : -1) * Math.abs(ringArea(ring)); });
  return total;
}
