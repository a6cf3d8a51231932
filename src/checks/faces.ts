// Faces of a planar graph (noded edges that meet only at vertices): the polygonizer under the
// land check and the ring repair. Half-edge 2e runs u→v of edge e, 2e+1 runs v→u; each
// half-edge has its face on the left. Around each vertex the outgoing half-edges are sorted
// counter-clockwise (exact orientation tests), and a face's next half-edge is the one met
// turning clockwise from the twin — the usual doubly-connected edge list walk.
//
// A face is one counter-clockwise outer cycle (its shell) plus the clockwise cycles of the
// components lying inside it (its holes), matched by point-in-polygon on a flatbush of shells.
// Edges with the same face on both sides (dangles, bridges) bound no area and are dropped.
import Flatbush from 'flatbush';
import { orient } from './noding';

export interface PlanarGraph {
  xy: Float64Array;
  u: Int32Array;
  v: Int32Array;
}

export interface Faces {
  graph: PlanarGraph;
  /** per edge: 1 when dropped (same face on both sides) */
  dropped: Uint8Array;
  /** per half-edge: the next half-edge around its face; its cycle */
  next: Int32Array;
  cycle: Int32Array;
  /** per cycle: first half-edge, signed area (degrees², counter-clockwise positive), face */
  cycleFirst: number[];
  cycleArea: number[];
  /** the face a cycle bounds: its own face for a shell, the face around it for a hole; -1 = the unbounded face */
  cycleFace: Int32Array;
  /** per face: its shell cycle and hole cycles */
  faces: { shell: number; holes: number[] }[];
}

const tail = (g: PlanarGraph, h: number) => ((h & 1) === 0 ? g.u[h >> 1] : g.v[h >> 1]);
export const headOf = (g: PlanarGraph, h: number) => ((h & 1) === 0 ? g.v[h >> 1] : g.u[h >> 1]);

/** Outgoing half-edges of every vertex, counter-clockwise (CSR: rot[off[p] .. off[p+1])), and each half-edge's slot. */
function rotations(g: PlanarGraph, keep: (e: number) => boolean) {
  const nv = g.xy.length / 2;
  const off = new Int32Array(nv + 1);
  const ne = g.u.length;
  for (let e = 0; e < ne; e++) if (keep(e)) { off[g.u[e] + 1]++; off[g.v[e] + 1]++; }
  for (let p = 0; p < nv; p++) off[p + 1] += off[p];
  const rot = new Int32Array(off[nv]);
  const fill = off.slice(0, nv);
  for (let e = 0; e < ne; e++) if (keep(e)) { rot[fill[g.u[e]]++] = 2 * e; rot[fill[g.v[e]]++] = 2 * e + 1; }
  const slot = new Int32Array(2 * ne).fill(-1);
  const { xy } = g;
  for (let p = 0; p < nv; p++) {
    const s = off[p], t = off[p + 1];
    if (t - s > 2) { // one or two edges are in counter-clockwise order whichever way round
      const px = xy[2 * p], py = xy[2 * p + 1];
      const hs = Array.from(rot.subarray(s, t));
      const half = (h: number) => {
        const q = headOf(g, h);
        const dx = xy[2 * q] - px, dy = xy[2 * q + 1] - py;
        return dy > 0 || (dy === 0 && dx > 0) ? 0 : 1;
      };
      hs.sort((h1, h2) => {
        const d = half(h1) - half(h2);
        if (d !== 0) return d;
        const q1 = headOf(g, h1), q2 = headOf(g, h2);
        const o = orient(px, py, xy[2 * q1], xy[2 * q1 + 1], xy[2 * q2], xy[2 * q2 + 1]);
        return o > 0 ? -1 : o < 0 ? 1 : 0;
      });
      rot.set(hs, s);
    }
    for (let k = s; k < t; k++) slot[rot[k]] = k;
  }
  return { off, rot, slot };
}

/** Signed area (degrees², relative to the first vertex for precision) of a cycle of half-edges. */
function cycleSignedArea(g: PlanarGraph, next: Int32Array, first: number): number {
  const { xy } = g;
  const p0 = tail(g, first);
  const x0 = xy[2 * p0], y0 = xy[2 * p0 + 1];
  let s = 0;
  let h = first;
  do {
    const p = tail(g, h), q = headOf(g, h);
    s += (xy[2 * p] - x0) * (xy[2 * q + 1] - y0) - (xy[2 * q] - x0) * (xy[2 * p + 1] - y0);
    h = next[h];
  } while (h !== first);
  return s / 2;
}

function trace(g: PlanarGraph, keep: (e: number) => boolean) {
  const { off, rot, slot } = rotations(g, keep);
  const nh = 2 * g.u.length;
  const next = new Int32Array(nh).fill(-1);
  for (let h = 0; h < nh; h++) {
    if (slot[h] < 0) continue;
    const v = headOf(g, h);
    const t = slot[h ^ 1];
    const s = off[v], deg = off[v + 1] - s;
    next[h] = rot[s + ((t - s - 1 + deg) % deg)];
  }
  const cycle = new Int32Array(nh).fill(-1);
  const cycleFirst: number[] = [];
  for (let h = 0; h < nh; h++) {
    if (slot[h] < 0 || cycle[h] >= 0) continue;
    const c = cycleFirst.length;
    cycleFirst.push(h);
    let k = h;
    do { cycle[k] = c; k = next[k]; } while (k !== h);
  }
  return { next, cycle, cycleFirst };
}

/** The faces of a planar graph. */
export function buildFaces(g: PlanarGraph): Faces {
  const ne = g.u.length;
  const dropped = new Uint8Array(ne);
  let t = trace(g, () => true);
  let any = false;
  for (let e = 0; e < ne; e++) if (t.cycle[2 * e] === t.cycle[2 * e + 1]) { dropped[e] = 1; any = true; }
  if (any) t = trace(g, (e) => !dropped[e]);
  const { next, cycle, cycleFirst } = t;
  const cycleArea = cycleFirst.map((h) => cycleSignedArea(g, next, h));
  const cycleFace = new Int32Array(cycleFirst.length).fill(-1);
  const faces: Faces['faces'] = [];
  const shells: number[] = [];
  cycleArea.forEach((a, c) => { if (a > 0) { cycleFace[c] = faces.length; faces.push({ shell: c, holes: [] }); shells.push(c); } });
  const holes = cycleArea.map((a, c) => (a > 0 ? -1 : c)).filter((c) => c >= 0);
  const result: Faces = { graph: g, dropped, next, cycle, cycleFirst, cycleArea, cycleFace, faces };
  // A hole is the outline of another component: its own component's faces share its edges.
  const component = components(g, dropped);
  const cycleComponent = cycleFirst.map((h) => component[g.u[h >> 1]]);
  assignHoles(g, next, cycleFirst, cycleArea, shells, holes, (hole, shell) => {
    const f = shell < 0 ? -1 : cycleFace[shell];
    cycleFace[hole] = f;
    if (f >= 0) faces[f].holes.push(hole);
  }, cycleComponent);
  return result;
}

/** Connected component (lowest vertex id) of every vertex, over the edges kept. */
function components(g: PlanarGraph, dropped: Uint8Array): Int32Array {
  const parent = new Int32Array(g.xy.length / 2);
  for (let v = 0; v < parent.length; v++) parent[v] = v;
  const find = (v: number): number => { while (parent[v] !== v) v = parent[v] = parent[parent[v]]; return v; };
  for (let e = 0; e < g.u.length; e++) {
    if (dropped[e]) continue;
    const a = find(g.u[e]), b = find(g.v[e]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  for (let v = 0; v < parent.length; v++) parent[v] = find(v);
  return parent;
}

/** Each hole cycle goes to the smallest shell around it (or -1 when none is). */
function assignHoles(
  g: PlanarGraph, next: Int32Array, cycleFirst: number[], cycleArea: number[], shells: number[], holes: number[],
  assign: (hole: number, shell: number) => void, componentOf?: number[],
) {
  if (holes.length === 0) return;
  if (shells.length === 0) { for (const h of holes) assign(h, -1); return; }
  const { xy } = g;
  const rings = shells.map((c) => cycleRing(g, next, cycleFirst[c]));
  const index = new Flatbush(shells.length);
  for (const r of rings) index.add(...ringBBox(r));
  index.finish();
  const tests = rings.map((r) => new RingTest([r]));
  for (const hole of holes) {
    // The middle of the hole's first edge: on no other edge (a vertex may be shared where a
    // hole touches its shell).
    const h = cycleFirst[hole];
    const p = tail(g, h), q = headOf(g, h);
    const x = (xy[2 * p] + xy[2 * q]) / 2, y = (xy[2 * p + 1] + xy[2 * q + 1]) / 2;
    let best = -1;
    for (const k of index.search(x, y, x, y)) {
      if (componentOf && componentOf[shells[k]] === componentOf[hole]) continue;
      if (best >= 0 && cycleArea[shells[k]] >= cycleArea[shells[best]]) continue;
      if (tests[k].contains(x, y)) best = k;
    }
    assign(hole, best < 0 ? -1 : shells[best]);
  }
}

/** A cycle as a closed ring (flat x, y pairs, last = first). */
export function cycleRing(g: PlanarGraph, next: Int32Array, first: number): Float64Array {
  const pts: number[] = [];
  let h = first;
  do {
    const p = tail(g, h);
    pts.push(g.xy[2 * p], g.xy[2 * p + 1]);
    h = next[h];
  } while (h !== first);
  pts.push(pts[0], pts[1]);
  return Float64Array.from(pts);
}

export function ringBBox(r: Float64Array): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < r.length; i += 2) {
    const x = r[i], y = r[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** The rings (shell first, then holes) of face f. */
export function faceRings(F: Faces, f: number): Float64Array[] {
  const { shell, holes } = F.faces[f];
  return [shell, ...holes].map((c) => cycleRing(F.graph, F.next, F.cycleFirst[c]));
}

/**
 * Even-odd point-in-rings with the checks' half-open rule (an edge counts when one end is
 * strictly above the ray and the other not, crossing strictly right of the point). Rings of
 * more than a few hundred vertices get a flatbush over their edges, so a test costs the edges
 * near the ray, not the whole outline.
 */
export class RingTest {
  private readonly rings: Float64Array[];
  private index: Flatbush | null = null;
  private edgeRing: Int32Array | null = null;
  private edgeAt: Int32Array | null = null;
  private maxX = -Infinity;
  readonly bbox: [number, number, number, number];

  constructor(rings: Float64Array[]) {
    this.rings = rings;
    let n = 0;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const r of rings) {
      n += r.length / 2 - 1;
      const b = ringBBox(r);
      minX = Math.min(minX, b[0]); minY = Math.min(minY, b[1]); maxX = Math.max(maxX, b[2]); maxY = Math.max(maxY, b[3]);
    }
    this.bbox = [minX, minY, maxX, maxY];
    this.maxX = maxX;
    if (n > 256) {
      this.index = new Flatbush(n);
      this.edgeRing = new Int32Array(n);
      this.edgeAt = new Int32Array(n);
      let k = 0;
      rings.forEach((r, ri) => {
        for (let i = 0; i + 3 < r.length; i += 2) {
          this.index!.add(Math.min(r[i], r[i + 2]), Math.min(r[i + 1], r[i + 3]), Math.max(r[i], r[i + 2]), Math.max(r[i + 1], r[i + 3]));
          this.edgeRing![k] = ri;
          this.edgeAt![k++] = i;
        }
      });
      this.index.finish();
    }
  }

  contains(x: number, y: number): boolean {
    const [minX, minY, maxX, maxY] = this.bbox;
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    let inside = false;
    if (this.index) {
      const { rings, edgeRing, edgeAt } = this;
      this.index.search(x, y, this.maxX, y, (k) => {
        const r = rings[edgeRing![k]];
        const i = edgeAt![k];
        if (crosses(r[i], r[i + 1], r[i + 2], r[i + 3], x, y)) inside = !inside;
        return false;
      });
      return inside;
    }
    for (const r of this.rings) {
      for (let i = 0; i + 3 < r.length; i += 2) if (crosses(r[i], r[i + 1], r[i + 2], r[i + 3], x, y)) inside = !inside;
    }
    return inside;
  }
}

function crosses(xi: number, yi: number, xj: number, yj: number, x: number, y: number): boolean {
  if (yi > y === yj > y) return false;
  return x < xi + ((y - yi) * (xj - xi)) / (yj - yi);
}

/**
 * A point strictly inside the area the rings enclose (even-odd), as GEOS's InteriorPointArea
 * finds one: a horizontal line between two vertex latitudes near the middle, and the middle
 * of the widest stretch of it inside. Null for rings that enclose no area.
 */
export function interiorPoint(rings: Float64Array[]): [number, number] | null {
  let minY = Infinity, maxY = -Infinity;
  for (const r of rings) for (let i = 1; i < r.length; i += 2) { if (r[i] < minY) minY = r[i]; if (r[i] > maxY) maxY = r[i]; }
  if (!(maxY > minY)) return null;
  const mid = (minY + maxY) / 2;
  let below = -Infinity, above = Infinity;
  for (const r of rings) {
    for (let i = 1; i < r.length; i += 2) {
      const y = r[i];
      if (y <= mid && y > below) below = y;
      if (y > mid && y < above) above = y;
    }
  }
  const y = below > -Infinity && above < Infinity ? (below + above) / 2 : mid;
  const xs: number[] = [];
  for (const r of rings) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const yi = r[i + 1], yj = r[i + 3];
      if (yi > y !== yj > y) xs.push(r[i] + ((y - yi) * (r[i + 2] - r[i])) / (yj - yi));
    }
  }
  if (xs.length < 2) return null;
  xs.sort((p, q) => p - q);
  let best = -1, width = 0;
  for (let k = 0; k + 1 < xs.length; k += 2) if (xs[k + 1] - xs[k] > width) { width = xs[k + 1] - xs[k]; best = k; }
  if (best < 0) return null;
  return [(xs[best] + xs[best + 1]) / 2, y];
}

/** A closed walk of half-edges cut at every vertex it passes more than once into simple closed walks. */
function splitAtRepeats(g: PlanarGraph, walk: number[]): number[][] {
  const out: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>(); // vertex → its position on the stack
  for (const h of walk) {
    const v = tail(g, h);
    const k = at.get(v);
    if (k !== undefined) {
      const ring = stack.splice(k);
      for (const e of ring) at.delete(tail(g, e));
      out.push(ring);
    }
    at.set(v, stack.length);
    stack.push(h);
  }
  if (stack.length) out.push(stack);
  return out;
}

/**
 * A state per face, carried across edges instead of tested point by point: `cross(s, h)` is
 * the state left of half-edge h given the state s on its right. Faces next to the unbounded
 * face start from `outside` (when given); any face still without a state gets `seed(face)`
 * (a point-in-polygon test, say) and passes it on to its whole component.
 */
export function labelFaces<S>(F: Faces, cross: (s: S, h: number) => S, seed: (face: number) => S, outside?: S): S[] {
  const n = F.faces.length;
  const state: S[] = new Array(n);
  const known = new Uint8Array(n);
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  // The half-edges around each face (its shell and its holes), to walk to its neighbours.
  const around: number[][] = Array.from({ length: n }, () => []);
  F.cycleFirst.forEach((first, c) => {
    const f = F.cycleFace[c];
    let h = first;
    do { if (f >= 0) around[f].push(h); h = F.next[h]; } while (h !== first);
  });
  const queue: number[] = [];
  const reach = (f: number, s: S) => { state[f] = s; known[f] = 1; queue.push(f); };
  const spread = () => {
    while (queue.length) {
      const f = queue.pop()!;
      for (const h of around[f]) {
        const g = faceOf(h ^ 1);
        if (g >= 0 && !known[g]) reach(g, cross(state[f], h ^ 1));
      }
    }
  };
  if (outside !== undefined) {
    for (let h = 0; h < F.next.length; h++) {
      if (F.cycle[h] < 0 || faceOf(h) >= 0) continue;
      const g = faceOf(h ^ 1);
      if (g >= 0 && !known[g]) reach(g, cross(outside, h ^ 1));
    }
    spread();
  }
  for (let f = 0; f < n; f++) if (!known[f]) { reach(f, seed(f)); spread(); }
  return state;
}

/** One polygon traced from a set of faces: its label, its rings and the half-edges along them. */
export interface TracedPolygon {
  label: number;
  rings: Float64Array[];
  halfEdges: number[];
}

/**
 * The outlines of the unions of faces with the same label (label ≥ 0; −1 for faces that are
 * in no region), as polygons — one per connected piece, touching pieces apart — with the
 * half-edges that bound each (the region on their left). Merges neighbouring faces of one
 * finding into one piece, for every finding in one pass.
 */
export function traceRegions(F: Faces, labelOf: (face: number) => number): TracedPolygon[] {
  const g = F.graph;
  const ne = g.u.length;
  const faceLabel = F.faces.map((_, f) => labelOf(f));
  const half = new Int32Array(2 * ne).fill(-1); // label on the left of each boundary half-edge
  for (let h = 0; h < 2 * ne; h++) {
    if (F.dropped[h >> 1] || F.cycle[h] < 0) continue;
    const f = F.cycleFace[F.cycle[h]], t = F.cycleFace[F.cycle[h ^ 1]];
    const l = f >= 0 ? faceLabel[f] : -1;
    if (l >= 0 && l !== (t >= 0 ? faceLabel[t] : -1)) half[h] = l;
  }
  const { off, rot, slot } = rotations(g, (e) => half[2 * e] >= 0 || half[2 * e + 1] >= 0);
  const next = new Int32Array(2 * ne).fill(-1);
  for (let h = 0; h < 2 * ne; h++) {
    const l = half[h];
    if (l < 0) continue;
    const v = headOf(g, h);
    const s = off[v], deg = off[v + 1] - s;
    let k = slot[h ^ 1];
    // Clockwise from the twin to the next half-edge with the same region on its left.
    for (let step = 0; step < deg; step++) {
      k = s + ((k - s - 1 + deg) % deg);
      if (half[rot[k]] === l) { next[h] = rot[k]; break; }
    }
  }
  const seen = new Uint8Array(2 * ne);
  const cycleFirst: number[] = [];
  const cycleEdges: number[][] = [];
  for (let h = 0; h < 2 * ne; h++) {
    if (half[h] < 0 || seen[h] || next[h] < 0) continue;
    const list: number[] = [];
    let k = h;
    do { seen[k] = 1; list.push(k); k = next[k]; } while (k !== h && k >= 0 && !seen[k]);
    // A walk through one vertex twice (two pieces touching at a point, a hole touching its
    // shell) is cut there into simple rings: valid polygons, as ST_MakeValid gives.
    for (const ring of splitAtRepeats(g, list)) {
      for (let i = 0; i < ring.length; i++) next[ring[i]] = ring[(i + 1) % ring.length];
      cycleFirst.push(ring[0]);
      cycleEdges.push(ring);
    }
  }
  const cycleArea = cycleFirst.map((h) => cycleSignedArea(g, next, h));
  const out = new Map<number, TracedPolygon>();
  const byLabel = new Map<number, { shells: number[]; holes: number[] }>();
  cycleArea.forEach((a, c) => {
    const l = half[cycleFirst[c]];
    let b = byLabel.get(l);
    if (!b) byLabel.set(l, (b = { shells: [], holes: [] }));
    (a > 0 ? b.shells : b.holes).push(c);
  });
  for (const [label, { shells, holes }] of byLabel) {
    for (const c of shells) out.set(c, { label, rings: [cycleRing(g, next, cycleFirst[c])], halfEdges: [...cycleEdges[c]] });
    assignHoles(g, next, cycleFirst, cycleArea, shells, holes, (hole, shell) => {
      const p = out.get(shell);
      if (!p) return;
      p.rings.push(cycleRing(g, next, cycleFirst[hole]));
      p.halfEdges.push(...cycleEdges[hole]);
    });
  }
  return [...out.values()];
}
