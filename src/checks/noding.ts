// Noding: cuts a set of line segments at every point where two of them cross or touch, so
// that afterwards two segments meet only at shared end points (or lie on top of each other,
// end to end, which the caller merges). This is what GEOS's noders do before an overlay or a
// coverage validation; the faces of the result (faces.ts) are then areas of constant coverage.
//
// Coordinates are lon/lat degrees. A vertex within SNAP of a segment (about 0.01 mm) counts as
// on it; intersection points closer than SNAP to each other or to a vertex are merged, so
// that three segments through one point meet in one vertex despite rounding. Orientation
// signs come from Shewchuk's exact predicates (robust-predicates).
import Flatbush from 'flatbush';
import { orient2d } from 'robust-predicates';

/** Degrees: vertices this close to a segment are on it; computed points this close are one. */
export const SNAP = 1e-10;

export interface Noded {
  /** x, y per vertex */
  xy: Float64Array;
  /** per output edge: its two vertices (never equal), in the direction of its source segment */
  ea: Int32Array;
  eb: Int32Array;
  /** the input segment each output edge is a piece of */
  src: Int32Array;
}

/** Positive when c lies left of a→b (counter-clockwise), negative right, 0 on the line; exact. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return -orient2d(ax, ay, bx, by, cx, cy);
}

/** Do two segments cross or touch (within SNAP)? */
export function segmentsMeet(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return near(cx, cy, ax, ay, bx, by) || near(dx, dy, ax, ay, bx, by) || near(ax, ay, cx, cy, dx, dy) || near(bx, by, cx, cy, dx, dy);
}

function near(px: number, py: number, ax: number, ay: number, bx: number, by: number): boolean {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey <= SNAP * SNAP;
}

/**
 * Vertices by exact coordinates: an open-addressing hash on the bits of x and y (a string
 * key per point costs ten times more on the 150,000 vertices of a detailed outline).
 */
export class PointIds {
  xy: Float64Array;
  count = 0;
  private table: Int32Array;
  private mask: number;
  private readonly f64 = new Float64Array(2);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  constructor(expected = 1024) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.xy = new Float64Array(Math.max(16, expected * 2));
  }

  private hash(x: number, y: number): number {
    this.f64[0] = x + 0; // +0: -0 and 0 are one point
    this.f64[1] = y + 0;
    const u = this.u32;
    let h = Math.imul(u[0] ^ Math.imul(u[1], 0x27d4eb2d), 0x9e3779b1) ^ Math.imul(u[2] ^ Math.imul(u[3], 0x165667b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The id of (x, y), -1 when it has none. */
  find(x: number, y: number): number {
    let slot = this.hash(x, y);
    for (;;) {
      const v = this.table[slot];
      if (v < 0) return -1;
      if (this.xy[2 * v] === x && this.xy[2 * v + 1] === y) return v;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of (x, y), added if new. */
  id(x: number, y: number): number {
    let slot = this.hash(x, y);
    const t = this.table;
    for (;;) {
      const v = t[slot];
      if (v < 0) break;
      if (this.xy[2 * v] === x && this.xy[2 * v + 1] === y) return v;
      slot = (slot + 1) & this.mask;
    }
    const v = this.count++;
    if (2 * this.count > this.xy.length) {
      const grown = new Float64Array(this.xy.length * 2);
      grown.set(this.xy);
      this.xy = grown;
    }
    this.xy[2 * v] = x;
    this.xy[2 * v + 1] = y;
    t[slot] = v;
    if (this.count * 2 > t.length) this.rehash();
    return v;
  }

  private rehash() {
    const size = this.table.length * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let v = 0; v < this.count; v++) {
      let slot = this.hash(this.xy[2 * v], this.xy[2 * v + 1]);
      while (this.table[slot] >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = v;
    }
  }
}

/** Computed intersection points, merged when closer than SNAP (a hash grid of SNAP-sized cells). */
class CrossingPoints {
  private readonly cells = new Map<string, number[]>();
  constructor(private readonly ids: PointIds) {}

  id(x: number, y: number): number {
    const cx = Math.floor(x / SNAP), cy = Math.floor(y / SNAP);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const v of this.cells.get(`${i},${j}`) ?? []) {
          const xy = this.ids.xy;
          if (Math.abs(xy[2 * v] - x) <= SNAP && Math.abs(xy[2 * v + 1] - y) <= SNAP) return v;
        }
      }
    }
    const v = this.ids.id(x, y);
    const key = `${cx},${cy}`;
    const list = this.cells.get(key);
    if (list) list.push(v);
    else this.cells.set(key, [v]);
    return v;
  }
}

/**
 * Nodes segments given as a flat array (ax, ay, bx, by per segment). Zero-length segments
 * give no output edge. Each output edge keeps the direction of its source segment.
 */
export function nodeSegments(seg: Float64Array): Noded {
  const n = seg.length / 4;
  const ids = new PointIds(n * 2 + 16);
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = ids.id(seg[4 * i], seg[4 * i + 1]);
    b[i] = ids.id(seg[4 * i + 2], seg[4 * i + 3]);
  }
  const crossings = new CrossingPoints(ids);
  // Split points per segment as (t, vertex) pairs; most segments get none.
  const splits: (number[] | undefined)[] = new Array(n);
  const addSplit = (i: number, v: number) => {
    if (v === a[i] || v === b[i]) return;
    const ax = seg[4 * i], ay = seg[4 * i + 1], dx = seg[4 * i + 2] - ax, dy = seg[4 * i + 3] - ay;
    const t = ((ids.xy[2 * v] - ax) * dx + (ids.xy[2 * v + 1] - ay) * dy) / (dx * dx + dy * dy);
    (splits[i] ??= []).push(t, v);
  };

  if (n > 0) {
    const index = new Flatbush(n);
    for (let i = 0; i < n; i++) {
      const ax = seg[4 * i], ay = seg[4 * i + 1], bx = seg[4 * i + 2], by = seg[4 * i + 3];
      index.add(Math.min(ax, bx) - SNAP, Math.min(ay, by) - SNAP, Math.max(ax, bx) + SNAP, Math.max(ay, by) + SNAP);
    }
    index.finish();
    for (let i = 0; i < n; i++) {
      if (a[i] === b[i]) continue;
      const ax = seg[4 * i], ay = seg[4 * i + 1], bx = seg[4 * i + 2], by = seg[4 * i + 3];
      // In index order, not the tree's: which of two crossings closer than SNAP is kept must not
      // depend on the other segments noded with these (land.ts works out parts of a region alone).
      const near = index.search(Math.min(ax, bx) - SNAP, Math.min(ay, by) - SNAP, Math.max(ax, bx) + SNAP, Math.max(ay, by) + SNAP, (j) => j > i && a[j] !== b[j]);
      if (near.length > 1) near.sort((p, q) => p - q);
      for (const j of near) intersect(i, j);
    }
  }

  function intersect(i: number, j: number) {
    const ai = a[i], bi = b[i], aj = a[j], bj = b[j];
    if ((ai === aj && bi === bj) || (ai === bj && bi === aj)) return; // the same segment twice
    let touched = false;
    // An end point of one on the other (collinear overlaps are two such touches).
    if (aj !== ai && aj !== bi && nearInterior(i, aj)) { addSplit(i, aj); touched = true; }
    if (bj !== ai && bj !== bi && nearInterior(i, bj)) { addSplit(i, bj); touched = true; }
    if (ai !== aj && ai !== bj && nearInterior(j, ai)) { addSplit(j, ai); touched = true; }
    if (bi !== aj && bi !== bj && nearInterior(j, bi)) { addSplit(j, bi); touched = true; }
    if (touched || ai === aj || ai === bj || bi === aj || bi === bj) return;
    // A proper crossing: each segment's ends strictly on both sides of the other.
    const ax = seg[4 * i], ay = seg[4 * i + 1], bx = seg[4 * i + 2], by = seg[4 * i + 3];
    const cx = seg[4 * j], cy = seg[4 * j + 1], dx = seg[4 * j + 2], dy = seg[4 * j + 3];
    const o1 = orient(ax, ay, bx, by, cx, cy);
    const o2 = orient(ax, ay, bx, by, dx, dy);
    if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0))) return;
    const o3 = orient(cx, cy, dx, dy, ax, ay);
    const o4 = orient(cx, cy, dx, dy, bx, by);
    if (!((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return;
    const t = o3 / (o3 - o4);
    const v = crossings.id(ax + t * (bx - ax), ay + t * (by - ay));
    addSplit(i, v);
    addSplit(j, v);
  }

  /** Is vertex v within SNAP of segment i, strictly between its ends? */
  function nearInterior(i: number, v: number): boolean {
    const ax = seg[4 * i], ay = seg[4 * i + 1], dx = seg[4 * i + 2] - ax, dy = seg[4 * i + 3] - ay;
    const px = ids.xy[2 * v] - ax, py = ids.xy[2 * v + 1] - ay;
    const len2 = dx * dx + dy * dy;
    const t = (px * dx + py * dy) / len2;
    if (t <= 0 || t >= 1) return false;
    const cross = px * dy - py * dx;
    if ((cross * cross) / len2 > SNAP * SNAP) return false;
    // Not merely near one of the segment's own ends.
    return t * t * len2 > SNAP * SNAP && (1 - t) * (1 - t) * len2 > SNAP * SNAP;
  }

  // Points closer than SNAP along one segment are one vertex (a crossing computed twice, or
  // next to another segment's end): merged, the lower id (an input vertex) kept.
  const parent = new Int32Array(ids.count);
  for (let v = 0; v < parent.length; v++) parent[v] = v;
  const find = (v: number): number => { while (parent[v] !== v) v = parent[v] = parent[parent[v]]; return v; };
  const ordered: (Int32Array | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = splits[i];
    if (!s || a[i] === b[i]) continue;
    const k = s.length / 2;
    const order = Array.from({ length: k }, (_, q) => q).sort((p, q) => s[2 * p] - s[2 * q]);
    const vs = new Int32Array(k + 2);
    vs[0] = a[i];
    order.forEach((q, r) => { vs[r + 1] = s[2 * q + 1]; });
    vs[k + 1] = b[i];
    for (let r = 1; r < vs.length; r++) {
      const p = vs[r - 1], q = vs[r];
      if (Math.abs(ids.xy[2 * p] - ids.xy[2 * q]) <= SNAP && Math.abs(ids.xy[2 * p + 1] - ids.xy[2 * q + 1]) <= SNAP) {
        const rp = find(p), rq = find(q);
        if (rp !== rq) parent[Math.max(rp, rq)] = Math.min(rp, rq);
      }
    }
    ordered[i] = vs;
  }

  const outA: number[] = [];
  const outB: number[] = [];
  const outSrc: number[] = [];
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const vs = ordered[i];
    if (!vs) {
      const p = find(a[i]), q = find(b[i]);
      if (p !== q) { outA.push(p); outB.push(q); outSrc.push(i); }
      continue;
    }
    let prev = find(vs[0]);
    for (let r = 1; r < vs.length; r++) {
      const v = find(vs[r]);
      if (v === prev) continue;
      outA.push(prev); outB.push(v); outSrc.push(i);
      prev = v;
    }
  }
  return { xy: ids.xy.slice(0, ids.count * 2), ea: Int32Array.from(outA), eb: Int32Array.from(outB), src: Int32Array.from(outSrc) };
}

/** Noded edges merged into unique undirected edges, each with the output edges that lie on it. */
export interface MergedEdges {
  xy: Float64Array;
  /** per unique edge: its vertices, u < v */
  u: Int32Array;
  v: Int32Array;
  /** output edges (indices into the Noded arrays) on edge e: members[start[e] .. start[e+1]) */
  start: Int32Array;
  members: Int32Array;
}

export function mergeEdges(noded: Noded): MergedEdges {
  const m = noded.ea.length;
  const lo = new Int32Array(m), hi = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const p = noded.ea[k], q = noded.eb[k];
    lo[k] = p < q ? p : q;
    hi[k] = p < q ? q : p;
  }
  const order = new Int32Array(m);
  for (let k = 0; k < m; k++) order[k] = k;
  order.sort((x, y) => lo[x] - lo[y] || hi[x] - hi[y]);
  const u: number[] = [], v: number[] = [], start: number[] = [];
  for (let k = 0; k < m; k++) {
    const e = order[k];
    if (k === 0 || lo[e] !== lo[order[k - 1]] || hi[e] !== hi[order[k - 1]]) { u.push(lo[e]); v.push(hi[e]); start.push(k); }
  }
  start.push(m);
  return { xy: noded.xy, u: Int32Array.from(u), v: Int32Array.from(v), start: Int32Array.from(start), members: order };
}
