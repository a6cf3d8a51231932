// The share of a building's footprint inside a grid, without a general polygon overlay:
// the footprint is cut into triangles (earcut), and the grid's rings are clipped by each
// triangle (Sutherland–Hodgman against a convex window). Clipping a ring by a half-plane
// keeps its winding inside and zeroes it outside, so the shoelace area of the clipped ring
// is exactly the area of grid ∩ triangle, concave grids and holes included. Typed arrays,
// no allocation per vertex: this runs for every building near a grid edge (a few % of
// 200,000). Coordinates are taken relative to the footprint's first vertex for precision;
// a share is a ratio, so degrees serve as well as metres.
import earcut from 'earcut';
import type { AreaGeometry } from '../domain/types';
import type { PackedPolygons } from './rings';

/** Triangles of a footprint (6 numbers each, relative to ox, oy), all counter-clockwise. */
export function footprintTriangles(g: AreaGeometry, ox: number, oy: number): Float64Array {
  const out: number[] = [];
  for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    const flat: number[] = [];
    const holes: number[] = [];
    poly.forEach((ring, r) => {
      if (r > 0) holes.push(flat.length / 2);
      // The closing point repeats the first: earcut wants each vertex once.
      for (let i = 0; i + 1 < ring.length; i++) flat.push(ring[i][0] - ox, ring[i][1] - oy);
    });
    const idx = earcut(flat, holes, 2);
    for (let t = 0; t < idx.length; t += 3) {
      const a = idx[t], b = idx[t + 1], c = idx[t + 2];
      const ax = flat[2 * a], ay = flat[2 * a + 1], bx = flat[2 * b], by = flat[2 * b + 1], cx = flat[2 * c], cy = flat[2 * c + 1];
      const o = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
      if (o === 0) continue;
      if (o > 0) out.push(ax, ay, bx, by, cx, cy);
      else out.push(ax, ay, cx, cy, bx, by);
    }
  }
  return Float64Array.from(out);
}

export function trianglesArea(tris: Float64Array): number {
  let s = 0;
  for (let t = 0; t < tris.length; t += 6) s += ((tris[t + 2] - tris[t]) * (tris[t + 5] - tris[t + 1]) - (tris[t + 3] - tris[t + 1]) * (tris[t + 4] - tris[t])) / 2;
  return s;
}

/**
 * Per ring of a packed polygon set: +1 or −1 so that (signed area of the ring clipped) × sign
 * adds the area inside an outer ring and takes away the area inside a hole, whichever way
 * each ring winds.
 */
export function ringSigns(P: PackedPolygons): Int8Array {
  const n = P.ringStart.length - 1;
  const out = new Int8Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    const { coords } = P;
    const a = P.ringStart[r], b = P.ringStart[r + 1];
    for (let i = a; i + 1 < b; i++) s += coords[2 * i] * coords[2 * i + 3] - coords[2 * i + 2] * coords[2 * i + 1];
    const orientation = s >= 0 ? 1 : -1;
    out[r] = (P.ringHole[r] ? -1 : 1) * orientation;
  }
  return out;
}

let bufA = new Float64Array(512);
let bufB = new Float64Array(512);

/** Area (in degrees², relative frame) of polygon p of P inside the triangles. */
export function areaInside(P: PackedPolygons, p: number, signs: Int8Array, tris: Float64Array, ox: number, oy: number): number {
  const { coords, ringStart, polyRings } = P;
  let total = 0;
  for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
    const start = ringStart[r], end = ringStart[r + 1];
    let n = end - start;
    if (n < 4) continue;
    n--; // the closing vertex
    // Each pass adds at most one point per edge: three passes stay under 8n points.
    const need = 2 * (8 * n + 16);
    if (bufA.length < need) { bufA = new Float64Array(need); bufB = new Float64Array(need); }
    for (let t = 0; t < tris.length; t += 6) {
      let m = n;
      for (let i = 0; i < n; i++) { bufA[2 * i] = coords[2 * (start + i)] - ox; bufA[2 * i + 1] = coords[2 * (start + i) + 1] - oy; }
      m = clipHalf(bufA, m, bufB, tris[t], tris[t + 1], tris[t + 2], tris[t + 3]);
      if (m < 3) continue;
      m = clipHalf(bufB, m, bufA, tris[t + 2], tris[t + 3], tris[t + 4], tris[t + 5]);
      if (m < 3) continue;
      m = clipHalf(bufA, m, bufB, tris[t + 4], tris[t + 5], tris[t], tris[t + 1]);
      if (m < 3) continue;
      let s = 0;
      for (let i = 0, j = m - 1; i < m; j = i++) s += bufB[2 * j] * bufB[2 * i + 1] - bufB[2 * i] * bufB[2 * j + 1];
      total += (s / 2) * signs[r];
    }
  }
  return total;
}

/** Sutherland–Hodgman: the part of polygon src (m vertices) left of a→b, into dst; returns its vertex count. */
function clipHalf(src: Float64Array, m: number, dst: Float64Array, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  let k = 0;
  let px = src[2 * (m - 1)], py = src[2 * (m - 1) + 1];
  let pin = dx * (py - ay) - dy * (px - ax) >= 0;
  for (let i = 0; i < m; i++) {
    const cx = src[2 * i], cy = src[2 * i + 1];
    const cd = dx * (cy - ay) - dy * (cx - ax);
    const cin = cd >= 0;
    if (cin !== pin) {
      const pd = dx * (py - ay) - dy * (px - ax);
      const t = pd / (pd - cd);
      dst[2 * k] = px + t * (cx - px);
      dst[2 * k + 1] = py + t * (cy - py);
      k++;
    }
    if (cin) { dst[2 * k] = cx; dst[2 * k + 1] = cy; k++; }
    px = cx; py = cy; pin = cin;
  }
  return k;
}
