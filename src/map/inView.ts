// What of a large table the map draws one by one: all of it when it is small; in a city, only
// what lies in (and around) the view, and only while that is at most a budget — past it the
// layer is drawn as its density (src/workspace/density.ts). So the cost of a frame stays bounded
// however large the district is: software WebGL (command-centre PCs, virtual desktops, this
// project's CI) draws a million points in seconds, a hundred thousand in a fraction of one.
import type { BuildingTable } from '../domain/district';
import { COLORS, pointSubset, type PointSubset } from './layers';

export type BBox = [number, number, number, number];

/** The most household points drawn at once; past it, the density. */
export const HOUSEHOLD_BUDGET = 100_000;
/** The most building footprints drawn at once; past it, the density. */
export const BUILDING_BUDGET = 50_000;

/** The view's box widened by `share` of its size on each side (a pan shows what is next to it at once). */
export function widen([w, s, e, n]: BBox, share = 0.25): BBox {
  const dx = (e - w) * share, dy = (n - s) * share;
  return [w - dx, s - dy, e + dx, n + dy];
}

/** The points of `positions` inside `box`, or null when there are more than `budget`. */
export function pointsIn(positions: Float64Array, box: BBox, budget: number): PointSubset | null {
  const [w, s, e, n] = box;
  let count = 0;
  for (let i = 0; i < positions.length; i += 2) {
    const x = positions[i], y = positions[i + 1];
    if (x >= w && x <= e && y >= s && y <= n && ++count > budget) return null;
  }
  return pointSubset(positions, (i) => {
    const x = positions[2 * i], y = positions[2 * i + 1];
    return x >= w && x <= e && y >= s && y <= n;
  });
}

/** The buildings whose box meets `box`, or null when there are more than `budget`. */
export function buildingsIn(t: BuildingTable, box: BBox, budget: number): Uint32Array | null {
  const [w, s, e, n] = box;
  const b = t.shapes.bbox;
  const out: number[] = [];
  for (let i = 0; i < t.count; i++) {
    if (b[4 * i] <= e && b[4 * i + 2] >= w && b[4 * i + 1] <= n && b[4 * i + 3] >= s) {
      out.push(i);
      if (out.length > budget) return null;
    }
  }
  return Uint32Array.from(out);
}

/**
 * Footprints as deck.gl binary data for a SolidPolygonLayer with `_normalize: false`: every ring
 * a polygon of its own (so walls end where rings end), the triangles worked out in the worker,
 * colour and height per vertex. `which`: the buildings to draw, null = all (the table's own arrays).
 */
export interface BuildingMesh {
  length: number;
  startIndices: Uint32Array;
  positions: Float64Array;
  indices: Uint32Array;
  colors: Uint8Array;
  elevations: Float32Array;
}

export function buildingMesh(t: BuildingTable, which: Uint32Array | null): BuildingMesh {
  const { coords, ringStart, polyRings } = t.shapes;
  const all = which === null;
  const count = all ? t.count : which.length;
  let nRings = 0, nPoints = 0, nTriangles = 0;
  if (all) {
    nRings = polyRings[t.count];
    nPoints = ringStart[nRings];
    nTriangles = t.triangles.length;
  } else {
    for (let k = 0; k < count; k++) {
      const i = which[k];
      nRings += polyRings[i + 1] - polyRings[i];
      nPoints += ringStart[polyRings[i + 1]] - ringStart[polyRings[i]];
      nTriangles += t.triangleStart[i + 1] - t.triangleStart[i];
    }
  }
  const positions = all ? coords : new Float64Array(2 * nPoints);
  const startIndices = all ? ringStart : new Uint32Array(nRings + 1);
  const indices = all ? t.triangles : new Uint32Array(nTriangles);
  const colors = new Uint8Array(4 * nPoints);
  const elevations = new Float32Array(nPoints);
  let r = 0, p = 0, q = 0;
  for (let k = 0; k < count; k++) {
    const i = all ? k : which[k];
    const from = ringStart[polyRings[i]], to = ringStart[polyRings[i + 1]];
    const at = all ? from : p;
    if (!all) {
      for (let ring = polyRings[i]; ring < polyRings[i + 1]; ring++) startIndices[r++] = p + (ringStart[ring] - from);
      positions.set(coords.subarray(2 * from, 2 * to), 2 * p);
      for (let j = t.triangleStart[i]; j < t.triangleStart[i + 1]; j++) indices[q++] = t.triangles[j] - from + p;
      p += to - from;
    }
    const c = t.residential[i] ? COLORS.building : COLORS.buildingNonResidential;
    const h = Math.max(1, t.levels[i] || 1) * 3;
    for (let v = at; v < at + (to - from); v++) {
      colors[4 * v] = c[0]; colors[4 * v + 1] = c[1]; colors[4 * v + 2] = c[2]; colors[4 * v + 3] = c[3];
      elevations[v] = h;
    }
  }
  if (!all) startIndices[nRings] = nPoints;
  return { length: nRings, startIndices, positions, indices, colors, elevations };
}
