// The units of an auto-split as a graph, as census blocks are in redistricting: buildings whose
// footprints overlap are one unit (a border between them would cut one of them; footprints that
// only share a wall, as a city block's row houses do, stay apart: a border may follow the wall),
// and two units are neighbours when their land (footprints and the Voronoi cells of their
// corners, on one arrangement) shares a border, so units connected in the graph hold land in one piece.
import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import type { AreaGeometry } from '../domain/types';
import { flatRings } from '../checks/land';
import { RingTest } from '../checks/faces';
import type { Arrangement } from './overlay';
import type { XY } from './types';

/** A building with its households (or a household with no building: no footprint). */
export interface Unit {
  id: string;
  footprint: AreaGeometry | null;
  at: XY;
  households: number;
}

/** Overlapping buildings joined: their footprints, one weight. */
export interface Group {
  ids: string[];
  prints: AreaGeometry[];
  at: XY;
  households: number;
}

export interface UnitSites {
  groups: Group[];
  /** Delaunay of the corners (and household points); siteGroup: each site's group */
  delaunay: Delaunay<Float64Array>;
  siteGroup: Int32Array;
}

export interface UnitGraph {
  groups: Group[];
  /** households of each group, with those of groups that hold no land of their own (points at the same place) */
  weight: Float64Array;
  /** neighbours of group g: adj[start[g] .. start[g + 1]) */
  start: Int32Array;
  adj: Int32Array;
}

// About 1 cm: a corner this close to another footprint's outline is on it (a shared wall), not inside.
const TOUCH = 1e-7;

export function unitSites(units: Unit[]): UnitSites {
  const groups = groupTouching(units);
  const sites: number[] = [];
  const owner: number[] = [];
  groups.forEach((g, i) => {
    if (g.prints.length === 0) { sites.push(g.at[0], g.at[1]); owner.push(i); return; }
    for (const p of g.prints) for (const r of flatRings(p)) for (let k = 0; k + 2 < r.length; k += 2) { sites.push(r[k], r[k + 1]); owner.push(i); }
  });
  return { groups, delaunay: new Delaunay(Float64Array.from(sites)), siteGroup: Int32Array.from(owner) };
}

/** Groups whose land (faces labelled with the group) shares an edge of the arrangement. */
export function adjacency(A: Arrangement, faceGroup: number[], groups: Group[]): UnitGraph {
  const { F } = A;
  const G = groups.length;
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  const pairs = new Set<number>();
  for (let e = 0; e < F.graph.u.length; e++) {
    if (F.dropped[e]) continue;
    const fa = faceOf(2 * e), fb = faceOf(2 * e + 1);
    if (fa < 0 || fb < 0) continue;
    const a = faceGroup[fa], b = faceGroup[fb];
    if (a >= 0 && b >= 0 && a !== b) pairs.add(Math.min(a, b) * G + Math.max(a, b));
  }
  const deg = new Int32Array(G + 1);
  for (const p of pairs) { deg[Math.floor(p / G)]++; deg[p % G]++; }
  const start = new Int32Array(G + 1);
  for (let g = 0; g < G; g++) start[g + 1] = start[g] + deg[g];
  const fill = start.slice(0, G);
  const adj = new Int32Array(start[G]);
  for (const p of pairs) { const a = Math.floor(p / G), b = p % G; adj[fill[a]++] = b; adj[fill[b]++] = a; }
  const weight = Float64Array.from(groups, (g) => g.households);
  return { groups, weight, start, adj };
}

function groupTouching(units: Unit[]): Group[] {
  const parent = units.map((_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]]; return i; };
  const withPrint = units.map((_, i) => i).filter((i) => units[i].footprint);
  if (withPrint.length > 1) {
    const rings = withPrint.map((i) => flatRings(units[i].footprint!));
    const tests = rings.map((r) => new RingTest(r));
    const index = new Flatbush(withPrint.length);
    for (const t of tests) index.add(t.bbox[0] - TOUCH, t.bbox[1] - TOUCH, t.bbox[2] + TOUCH, t.bbox[3] + TOUCH);
    index.finish();
    withPrint.forEach((_, a) => {
      for (const b of index.search(...tests[a].bbox)) {
        if (b <= a || find(withPrint[a]) === find(withPrint[b])) continue;
        if (overlaps(rings[a], tests[a], rings[b], tests[b])) parent[find(withPrint[a])] = find(withPrint[b]);
      }
    });
  }
  const byRoot = new Map<number, Group>();
  units.forEach((u, i) => {
    const r = find(i);
    const g = byRoot.get(r);
    if (!g) { byRoot.set(r, { ids: [u.id], prints: u.footprint ? [u.footprint] : [], at: [u.at[0], u.at[1]], households: u.households }); return; }
    // the group's point: weighted by households (at least 1 each), for the bisection's axis
    const wa = Math.max(1, g.households), wb = Math.max(1, u.households);
    g.at = [(g.at[0] * wa + u.at[0] * wb) / (wa + wb), (g.at[1] * wa + u.at[1] * wb) / (wa + wb)];
    g.ids.push(u.id);
    if (u.footprint) g.prints.push(u.footprint);
    g.households += u.households;
  });
  return [...byRoot.values()];
}

/** Do two footprints share area: a corner well inside the other, or outlines crossing? */
function overlaps(ra: Float64Array[], ta: RingTest, rb: Float64Array[], tb: RingTest): boolean {
  const inside = (rs: Float64Array[], t: RingTest, other: Float64Array[]) => {
    for (const r of rs) for (let i = 0; i + 2 < r.length; i += 2) if (t.contains(r[i], r[i + 1]) && distanceTo(other, r[i], r[i + 1]) > TOUCH) return true;
    return false;
  };
  if (inside(ra, tb, rb) || inside(rb, ta, ra)) return true;
  for (const p of ra) for (const q of rb) {
    for (let i = 0; i + 3 < p.length; i += 2) for (let j = 0; j + 3 < q.length; j += 2) {
      if (crosses(p[i], p[i + 1], p[i + 2], p[i + 3], q[j], q[j + 1], q[j + 2], q[j + 3])) return true;
    }
  }
  return false;
}

function distanceTo(rings: Float64Array[], x: number, y: number): number {
  let d = Infinity;
  for (const r of rings) for (let i = 0; i + 3 < r.length; i += 2) d = Math.min(d, pointSegment(x, y, r[i], r[i + 1], r[i + 2], r[i + 3]));
  return d;
}

/** A proper crossing, each segment's ends clearly on both sides of the other (not a touch). */
function crosses(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return false;
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return false;
  if (pointSegment(cx, cy, ax, ay, bx, by) < TOUCH || pointSegment(dx, dy, ax, ay, bx, by) < TOUCH
    || pointSegment(ax, ay, cx, cy, dx, dy) < TOUCH || pointSegment(bx, by, cx, cy, dx, dy) < TOUCH) return false;
  const o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
  return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function pointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** The connected pieces of a set of groups within the graph, heaviest first. */
export function components(g: UnitGraph, members: number[], weight: (i: number) => number): number[][] {
  const inSet = new Map<number, boolean>();
  for (const m of members) inSet.set(m, false);
  const out: { list: number[]; w: number }[] = [];
  for (const m of members) {
    if (inSet.get(m)) continue;
    inSet.set(m, true);
    const list = [m];
    let w = 0;
    for (let q = 0; q < list.length; q++) {
      const v = list[q];
      w += weight(v);
      for (let k = g.start[v]; k < g.start[v + 1]; k++) {
        const n = g.adj[k];
        if (inSet.get(n) === false) { inSet.set(n, true); list.push(n); }
      }
    }
    out.push({ list, w });
  }
  return out.sort((a, b) => b.w - a.w || b.list.length - a.list.length).map((c) => c.list);
}
