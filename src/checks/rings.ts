// Polygons packed into typed arrays for the hot point-in-polygon loops.
// A packed polygon set stores every ring's coordinates in one Float64Array; ringStart[r] is
// the first coordinate pair of ring r (ringStart has one extra entry at the end) and
// polyRings[p]..polyRings[p+1] are the rings of polygon p (a MultiPolygon is one polygon
// entry holding all its rings: even-odd crossing handles holes and parts alike).
import type { AreaGeometry } from '../domain/types';
import Flatbush from 'flatbush';
import { orient } from './noding';

export interface PackedPolygons {
  coords: Float64Array;
  ringStart: Uint32Array;
  polyRings: Uint32Array;
  /** bbox per polygon: minX, minY, maxX, maxY */
  bbox: Float64Array;
  /** per ring: 1 for a hole (not the first ring of its polygon part) */
  ringHole: Uint8Array;
  /** edge indexes of the polygons too big to test edge by edge, made when first needed */
  big?: Map<number, BigIndex>;
}

/** Above this many vertices a polygon's point test goes through an index of its edges. */
const INDEX_VERTICES = 512;

export function packPolygons(geoms: (AreaGeometry | null)[]): PackedPolygons {
  let nCoords = 0;
  let nRings = 0;
  for (const g of geoms) {
    if (!g) continue;
    for (const poly of polygonsOf(g)) for (const ring of poly) { nCoords += ring.length; nRings++; }
  }
  const coords = new Float64Array(nCoords * 2);
  const ringStart = new Uint32Array(nRings + 1);
  const polyRings = new Uint32Array(geoms.length + 1);
  const bbox = new Float64Array(geoms.length * 4);
  const ringHole = new Uint8Array(nRings);
  let c = 0;
  let r = 0;
  // Index loops, not iterators: this runs over every vertex of 200,000 buildings.
  for (let p = 0; p < geoms.length; p++) {
    const g = geoms[p];
    polyRings[p] = r;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    if (g) {
      const polys = polygonsOf(g);
      for (let q = 0; q < polys.length; q++) {
        const poly = polys[q];
        for (let k = 0; k < poly.length; k++) {
          const ring = poly[k];
          ringHole[r] = k > 0 ? 1 : 0;
          ringStart[r++] = c;
          for (let v = 0; v < ring.length; v++) {
            const x = ring[v][0];
            const y = ring[v][1];
            coords[2 * c] = x;
            coords[2 * c + 1] = y;
            c++;
            if (x < minX) minX = x;
            if (y < minY) minY = y;
            if (x > maxX) maxX = x;
            if (y > maxY) maxY = y;
          }
        }
      }
    }
    bbox[p * 4] = minX;
    bbox[p * 4 + 1] = minY;
    bbox[p * 4 + 2] = maxX;
    bbox[p * 4 + 3] = maxY;
  }
  ringStart[r] = c;
  polyRings[geoms.length] = r;
  return { coords, ringStart, polyRings, bbox, ringHole };
}

function polygonsOf(g: AreaGeometry): number[][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * Even-odd crossing test with a half-open rule: an edge counts when one end is strictly
 * above the ray and the other is not, and the crossing is strictly right of the point.
 * Two polygons sharing an edge therefore never both claim a point on it, and one of them
 * always does (points on a shared edge go to the polygon on its right-hand/upper side),
 * the same on every run.
 */
export function pointInPacked(P: PackedPolygons, p: number, x: number, y: number): boolean {
  const { coords, ringStart, polyRings } = P;
  if (isBig(P, p)) return pointInBig(P, p, x, y);
  let inside = false;
  for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
    const start = ringStart[r];
    const end = ringStart[r + 1];
    for (let i = start, j = end - 1; i < end; j = i++) {
      const yi = coords[2 * i + 1];
      const yj = coords[2 * j + 1];
      if (yi > y !== yj > y && x < crossingX(coords, i, j, y)) inside = !inside;
    }
  }
  return inside;
}

/** Is (x, y) exactly on an edge of polygon p (exact orientation test)? */
export function onPackedOutline(P: PackedPolygons, p: number, x: number, y: number): boolean {
  const { coords, ringStart, polyRings } = P;
  if (isBig(P, p)) {
    const { index, from, to } = bigIndex(P, p);
    let on = false;
    index.search(x, y, x, y, (k) => {
      if (k < from.length && orient(coords[2 * from[k]], coords[2 * from[k] + 1], coords[2 * to[k]], coords[2 * to[k] + 1], x, y) === 0) on = true;
      return on;
    });
    return on;
  }
  for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
    for (let i = ringStart[r]; i + 1 < ringStart[r + 1]; i++) {
      const ax = coords[2 * i], ay = coords[2 * i + 1], bx = coords[2 * i + 2], by = coords[2 * i + 3];
      if (x < Math.min(ax, bx) || x > Math.max(ax, bx) || y < Math.min(ay, by) || y > Math.max(ay, by)) continue;
      if (orient(ax, ay, bx, by, x, y) === 0) return true;
    }
  }
  return false;
}

/**
 * The same crossing test over only the edges a ray to the east can meet, from a flatbush of
 * the polygon's edges: a grid of 1,000,000 vertices costs the edges near the ray, not all.
 */
/** A big polygon's edges (vertex j → vertex i, in ring r) in a flatbush. */
export interface BigIndex { index: Flatbush; from: Uint32Array; to: Uint32Array; ring: Uint32Array }

/** The edge index of a big polygon (made once, kept on the packed set). */
export function bigIndex(P: PackedPolygons, p: number): BigIndex {
  const { coords, ringStart, polyRings } = P;
  P.big ??= new Map();
  let e = P.big.get(p);
  if (!e) {
    const from: number[] = [], to: number[] = [], ring: number[] = [];
    for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
      const start = ringStart[r], end = ringStart[r + 1];
      for (let i = start, j = end - 1; i < end; j = i++) { from.push(j); to.push(i); ring.push(r); }
    }
    const index = new Flatbush(Math.max(1, from.length));
    for (let k = 0; k < from.length; k++) {
      const j = from[k], i = to[k];
      index.add(Math.min(coords[2 * i], coords[2 * j]), Math.min(coords[2 * i + 1], coords[2 * j + 1]), Math.max(coords[2 * i], coords[2 * j]), Math.max(coords[2 * i + 1], coords[2 * j + 1]));
    }
    if (from.length === 0) index.add(0, 0, 0, 0);
    index.finish();
    e = { index, from: Uint32Array.from(from), to: Uint32Array.from(to), ring: Uint32Array.from(ring) };
    P.big.set(p, e);
  }
  return e;
}

/** Is polygon p big enough that its tests go through its edge index? */
export function isBig(P: PackedPolygons, p: number): boolean {
  return P.ringStart[P.polyRings[p + 1]] - P.ringStart[P.polyRings[p]] > INDEX_VERTICES;
}

function pointInBig(P: PackedPolygons, p: number, x: number, y: number): boolean {
  const { coords, bbox } = P;
  const e = bigIndex(P, p);
  const { from, to } = e;
  let inside = false;
  e.index.search(x, y, Math.max(x, bbox[4 * p + 2]), y, (k) => {
    if (k >= from.length) return false;
    const i = to[k], j = from[k];
    const yi = coords[2 * i + 1], yj = coords[2 * j + 1];
    if (yi > y !== yj > y && x < crossingX(coords, i, j, y)) inside = !inside;
    return false;
  });
  return inside;
}

/**
 * Where the edge between vertices i and j crosses the line at y, worked out from its lower end
 * whichever way the ring runs: two grids sharing the edge run it in opposite directions, and
 * the same arithmetic for both is what gives a point on it to exactly one of them.
 */
function crossingX(coords: ArrayLike<number>, i: number, j: number, y: number): number {
  const [a, b] = coords[2 * i + 1] < coords[2 * j + 1] ? [i, j] : [j, i];
  const xa = coords[2 * a], ya = coords[2 * a + 1];
  return xa + ((y - ya) * (coords[2 * b] - xa)) / (coords[2 * b + 1] - ya);
}

/**
 * The packed set of a new list of polygons where most are those of a previous set: polygon k
 * is copied from polygon source[k] of `prev` (a block copy, and its edge index kept, shifted)
 * or packed from geoms[k] where source[k] < 0. What an edit of a few grids costs, instead of
 * packing every grid again.
 */
export function repackPolygons(prev: PackedPolygons, geoms: (AreaGeometry | null)[], source: Int32Array): PackedPolygons {
  const fresh = packPolygons(geoms.map((g, k) => (source[k] < 0 ? g : null)));
  let nCoords = 0, nRings = 0;
  for (let k = 0; k < geoms.length; k++) {
    const [P, p] = source[k] < 0 ? [fresh, k] : [prev, source[k]];
    nRings += P.polyRings[p + 1] - P.polyRings[p];
    nCoords += P.ringStart[P.polyRings[p + 1]] - P.ringStart[P.polyRings[p]];
  }
  const coords = new Float64Array(nCoords * 2);
  const ringStart = new Uint32Array(nRings + 1);
  const polyRings = new Uint32Array(geoms.length + 1);
  const bbox = new Float64Array(geoms.length * 4);
  const ringHole = new Uint8Array(nRings);
  const big = new Map<number, BigIndex>();
  let c = 0, r = 0;
  for (let k = 0; k < geoms.length; k++) {
    const [P, p] = source[k] < 0 ? [fresh, k] : [prev, source[k]];
    const r0 = P.polyRings[p], r1 = P.polyRings[p + 1];
    const c0 = P.ringStart[r0], c1 = P.ringStart[r1];
    polyRings[k] = r;
    coords.set(P.coords.subarray(2 * c0, 2 * c1), 2 * c);
    for (let q = r0; q < r1; q++) { ringStart[r + q - r0] = P.ringStart[q] - c0 + c; ringHole[r + q - r0] = P.ringHole[q]; }
    bbox.set(P.bbox.subarray(4 * p, 4 * p + 4), 4 * k);
    const e = P === prev ? prev.big?.get(p) : undefined;
    if (e) {
      const dc = c - c0, dr = r - r0;
      big.set(k, dc === 0 && dr === 0 ? e : { index: e.index, from: e.from.map((v) => v + dc), to: e.to.map((v) => v + dc), ring: e.ring.map((v) => v + dr) });
    }
    c += c1 - c0;
    r += r1 - r0;
  }
  ringStart[r] = c;
  polyRings[geoms.length] = r;
  return { coords, ringStart, polyRings, bbox, ringHole, ...(big.size ? { big } : {}) };
}
