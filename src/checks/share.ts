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
import { bigIndex, isBig, pointInPacked, type PackedPolygons } from './rings';

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
  if (isBig(P, p)) return areaInsideBig(P, p, signs, tris, ox, oy);
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

// Degrees (about 1 µm): a grid vertex this close to a footprint's side is on it.
const ON = 1e-11;
const near = (f: number, tol: number) => (Math.abs(f) <= tol ? 0 : f);

/**
 * The same area for a grid of many thousands of vertices, from its edges near each triangle
 * only (Green's theorem: the outline of grid ∩ triangle is the grid's edges inside the
 * triangle plus the triangle's edges inside the grid). Linear in the edges near the footprint.
 */
function areaInsideBig(P: PackedPolygons, p: number, signs: Int8Array, tris: Float64Array, ox: number, oy: number): number {
  const { coords } = P;
  const e = bigIndex(P, p);
  let total = 0;
  const term = (ax: number, ay: number, bx: number, by: number) => (ax * by - bx * ay) / 2;
  for (let t = 0; t < tris.length; t += 6) {
    const tx = [tris[t] + ox, tris[t + 2] + ox, tris[t + 4] + ox], ty = [tris[t + 1] + oy, tris[t + 3] + oy, tris[t + 5] + oy];
    const minX = Math.min(...tx), maxX = Math.max(...tx), minY = Math.min(...ty), maxY = Math.max(...ty);
    // The grid's edges, clipped to the triangle (parametric, against its three sides).
    for (const k of e.index.search(minX, minY, maxX, maxY)) {
      if (k >= e.from.length) continue;
      const j = e.from[k], i = e.to[k];
      const ax = coords[2 * j] - ox, ay = coords[2 * j + 1] - oy, bx = coords[2 * i] - ox, by = coords[2 * i + 1] - oy;
      let t0 = 0, t1 = 1;
      for (let s = 0; s < 3 && t0 <= t1; s++) {
        const px = tris[t + 2 * s], py = tris[t + 2 * s + 1], qx = tris[t + (2 * s + 2) % 6], qy = tris[t + (2 * s + 3) % 6];
        // Inside = left of p→q: f(u) = cross(q − p, a + u(b − a) − p) ≥ 0; a grid vertex within
        // ON of the side (a crossing the noder computed on the footprint's wall) is on it.
        const tol = ON * Math.hypot(qx - px, qy - py);
        const fa = near((qx - px) * (ay - py) - (qy - py) * (ax - px), tol);
        const fb = near((qx - px) * (by - py) - (qy - py) * (bx - px), tol);
        if (fa < 0 && fb < 0) { t1 = -1; break; }
        if (fa < 0) t0 = Math.max(t0, fa / (fa - fb));
        else if (fb < 0) t1 = Math.min(t1, fa / (fa - fb));
      }
      if (t0 >= t1) continue;
      const sx = ax + t0 * (bx - ax), sy = ay + t0 * (by - ay), ex = ax + t1 * (bx - ax), ey = ay + t1 * (by - ay);
      total += signs[e.ring[k]] * term(sx, sy, ex, ey);
    }
    // The triangle's sides, cut where grid edges cross or run along them, the pieces inside
    // the grid. A piece along a grid edge (a grid drawn on the footprint's wall) is on the grid's
    // outline, so it is judged a hair outside the triangle: counted when the grid lies beyond
    // it (it cancels the grid's edge, counted above, running the other way), not when the grid
    // lies within (the grid's edge, counted above, is then the outline).
    for (let s = 0; s < 3; s++) {
      const px = tris[t + 2 * s], py = tris[t + 2 * s + 1], qx = tris[t + (2 * s + 2) % 6], qy = tris[t + (2 * s + 3) % 6];
      const len2 = (qx - px) * (qx - px) + (qy - py) * (qy - py);
      const cuts = [0, 1];
      for (const k of e.index.search(Math.min(px, qx) + ox, Math.min(py, qy) + oy, Math.max(px, qx) + ox, Math.max(py, qy) + oy)) {
        if (k >= e.from.length) continue;
        const j = e.from[k], i = e.to[k];
        const ax = coords[2 * j] - ox, ay = coords[2 * j + 1] - oy, bx = coords[2 * i] - ox, by = coords[2 * i + 1] - oy;
        const tol = ON * Math.sqrt(len2);
        if (Math.abs((qx - px) * (ay - py) - (qy - py) * (ax - px)) <= tol && Math.abs((qx - px) * (by - py) - (qy - py) * (bx - px)) <= tol) {
          // along the side: its ends cut the side
          for (const [x, y] of [[ax, ay], [bx, by]]) { const u = ((x - px) * (qx - px) + (y - py) * (qy - py)) / len2; if (u > 0 && u < 1) cuts.push(u); }
          continue;
        }
        const d = (qx - px) * (by - ay) - (qy - py) * (bx - ax);
        if (d === 0) continue;
        const u = ((ax - px) * (by - ay) - (ay - py) * (bx - ax)) / d;
        const v = ((ax - px) * (qy - py) - (ay - py) * (qx - px)) / d;
        if (u > 0 && u < 1 && v >= 0 && v <= 1) cuts.push(u);
      }
      cuts.sort((a, b) => a - b);
      // a hair (ten times ON) to the right of p→q: outside the counter-clockwise triangle
      const hair = (10 * ON) / Math.sqrt(len2);
      const hx = (qy - py) * hair, hy = -(qx - px) * hair;
      for (let c = 0; c + 1 < cuts.length; c++) {
        const u0 = cuts[c], u1 = cuts[c + 1];
        if (u1 <= u0) continue;
        const mu = (u0 + u1) / 2;
        if (!pointInPacked(P, p, px + mu * (qx - px) + hx + ox, py + mu * (qy - py) + hy + oy)) continue;
        total += term(px + u0 * (qx - px), py + u0 * (qy - py), px + u1 * (qx - px), py + u1 * (qy - py));
      }
    }
  }
  return total;
}
