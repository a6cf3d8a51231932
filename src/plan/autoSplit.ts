// Auto-split: the land of some base grids cut into grids of a household size within band,
// each one piece, no building cut. Buildings (with their households; touching ones together)
// are the units, as census blocks are in redistricting: they are split into k parts of
// near-equal households by recursive bisection along the parts' long axis (a seed turns the
// axes a little, so another seed gives another proposal), each half kept connected in the
// units' adjacency graph; the land follows a Voronoi partition of the buildings' corners, so
// the parts tile exactly the land they replace; each footprint stays whole in its part; a
// stray piece of a part is given to the neighbour it shares most border with.
import type { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import seedrandom from 'seedrandom';
import type { Position } from 'geojson';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { interiorPoint, RingTest } from '../checks/faces';
import { checkArea, makeValid } from '../checks/repair';
import { flatRings, geomBBox } from '../checks/land';
import { arrange, traceLabels } from './overlay';
import { isLocked, nextCode } from './grids';
import { rings } from './topology';
import { withNeighbourVertices } from './neighbours';
import { assertValid } from './valid';
import { PlanError, type GridChange } from './types';
import { adjacency, components, unitSites, type Group, type Unit, type UnitGraph } from './unitGraph';

export type { Unit } from './unitGraph';

export interface SplitOptions {
  band: [number, number];
  /** households a grid should hold; absent: the middle of the band */
  target?: number;
  /** with a target: how far from it a grid may be (0.15 = ±15 %), within the band */
  tolerance?: number;
  seed?: number;
}

export interface Problem {
  code: string;
  values: Record<string, string | number>;
}

export interface SplitProposal {
  change: GridChange;
  problems: Problem[];
}

/** How far a long split has come (steps done of total); true: stop (the planner cancelled). */
export type SplitProgress = (done: number, total: number) => Promise<boolean>;

export async function autoSplit(grids: GridFeature[], codes: string[], units: Unit[], o: SplitOptions, progress?: SplitProgress): Promise<SplitProposal> {
  // a split of a whole district's 8,000 buildings takes seconds: said step by step, stoppable between steps
  const STEPS = 5;
  const step = async (k: number) => { if (progress && await progress(k, STEPS)) throw new PlanError('cancelled'); };
  const want = new Set(codes);
  const before = grids.filter((g) => want.has(g.properties.code));
  if (before.length === 0) throw new PlanError('no_grid', { code: codes.join('、') });
  const skipped = before.filter((g) => isLocked(g) || g.properties.kind !== 'base');
  if (skipped.length === before.length) throw new PlanError('locked', { codes: skipped.map((g) => g.properties.code).join('、') });
  const chosen = before.filter((g) => !skipped.includes(g));
  const problems: Problem[] = skipped.map((g) => ({ code: isLocked(g) ? 'kept_locked' : 'kept_dedicated', values: { code: g.properties.code } }));

  const total = units.reduce((s, u) => s + u.households, 0);
  const [min, max] = o.band;
  if (units.length === 0 || total === 0) throw new PlanError('no_households', { codes: chosen.map((g) => g.properties.code).join('、') });
  // Grids of the target size, else of the band's middle (room on both sides for the
  // unevenness of whole buildings); never more grids than the minimum allows, nor fewer than the maximum needs.
  const aim = o.target ?? (min + max) / 2;
  const fewest = Math.max(1, Math.ceil(total / max)), most = Math.max(1, Math.floor(total / min));
  let k = Math.max(1, Math.round(total / aim));
  if (fewest <= most) k = Math.min(most, Math.max(fewest, k));
  if (total < min) problems.push({ code: 'too_few_households', values: { n: total, min } });
  if (k === chosen.length && chosen.length === 1) throw new PlanError('split_not_needed', { n: total, min, max });

  const rnd = seedrandom(String(o.seed ?? 1));
  const { groups, delaunay, siteGroup } = unitSites(units);
  await step(1);
  // overlapping buildings stay together: a cluster of them over the maximum cannot be met either
  for (const g of groups) if (g.households > max) problems.push({ code: 'building_over_band', values: { id: g.ids.join('、'), n: g.households, max } });

  // The land of each unit: its footprints and the Voronoi cells of its corners, on one
  // arrangement with the grids; the units' adjacency is read from it, so units connected in
  // the graph hold land in one piece.
  let [w, s, e, n] = chosen.map((g) => geomBBox(g.geometry)).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
  const pad = Math.max(e - w, n - s) * 0.05 + 1e-6;
  [w, s, e, n] = [w - pad, s - pad, e + pad, n + pad];
  const lines: Position[][] = cellBorders(delaunay, [w, s, e, n], siteGroup);
  for (const g of groups) for (const p of g.prints) for (const r of rings(p)) lines.push(r);
  const A = arrange(chosen.map((g) => g.geometry), lines);
  await step(2);
  const prints = footprintIndex(groups);
  const inPrint = A.F.faces.map(() => false);
  const faceGroup = A.F.faces.map((_, f) => {
    const p = A.inside[f];
    if (!p || A.cover[f].length === 0) return -1;
    const u = prints.at(p[0], p[1]);
    if (u >= 0) { inPrint[f] = true; return u; }
    return siteGroup[delaunay.find(p[0], p[1])];
  });
  joinStrays(A, faceGroup, inPrint); // a corner's cell cut off by another footprint
  const graph = adjacency(A, faceGroup, groups);
  // a unit with no land of its own (households at one point with another's): weighed with its host
  const hasLand = new Uint8Array(groups.length);
  for (const g of faceGroup) if (g >= 0) hasLand[g] = 1;
  const host = groups.map((g, i) => {
    if (hasLand[i]) return i;
    const h = prints.at(g.at[0], g.at[1]);
    const j = h >= 0 ? h : siteGroup[delaunay.find(g.at[0], g.at[1])];
    if (hasLand[j]) graph.weight[j] += g.households;
    return hasLand[j] ? j : -1;
  });

  await step(3);
  const part = new Int32Array(groups.length);
  bisect(graph, groups.map((_, i) => i).filter((i) => hasLand[i]), k, 0, part, rnd);
  await step(4);
  host.forEach((h, i) => { if (h >= 0) part[i] = part[h]; });
  const label = faceGroup.map((g) => (g < 0 ? -1 : part[g]));
  joinStrays(A, label, inPrint);
  const shapes = traceLabels(A, (f) => label[f]);
  await step(5);
  // A fold-back the tracing still left (borders meeting at a footprint's corner): mended.
  for (const [p, g] of shapes) if (checkArea(g)) { const fixed = makeValid(g); if (fixed) shapes.set(p, fixed); }

  // Codes: the grids' own first (in code order), then the community's next free ones.
  const community = chosen[0].properties.community_code;
  const reuse = chosen.map((g) => g.properties.code).sort();
  const taken = new Set<string>();
  const order = [...shapes.keys()].sort((a, b) => northWest(shapes.get(a)!) - northWest(shapes.get(b)!));
  const after: GridFeature[] = order.map((p, i) => {
    const code = reuse[i] ?? nextCode(grids, community, taken);
    taken.add(code);
    const from = chosen.find((g) => g.properties.code === code) ?? chosen[0];
    const name = from.properties.code === code ? from.properties.name : `${chosen[0].properties.name}-${i + 1}`;
    return { ...from, properties: { ...from.properties, code, name }, geometry: shapes.get(p)! };
  });
  for (const g of after) if (g.geometry.type === 'MultiPolygon') problems.push({ code: 'not_one_piece', values: { code: g.properties.code } });
  // Each proposed grid's households (a stray piece given to a neighbour took its buildings
  // along), read at a point inside each footprint (a concave one's centre may lie outside it).
  const tests = after.map((g) => new RingTest(flatRings(g.geometry)));
  const held = new Int32Array(after.length);
  for (const g of groups) {
    const p = g.prints.length ? interiorPoint(flatRings(g.prints[0])) ?? g.at : g.at;
    const k2 = tests.findIndex((t) => t.contains(p[0], p[1]));
    if (k2 >= 0) held[k2] += g.households;
  }
  const [lo, hi] = o.target && o.tolerance !== undefined
    ? [Math.max(min, Math.floor(o.target * (1 - o.tolerance))), Math.min(max, Math.ceil(o.target * (1 + o.tolerance)))] : [min, max];
  after.forEach((g, i) => { if (held[i] < lo || held[i] > hi) problems.push({ code: 'out_of_band', values: { code: g.properties.code, n: held[i], min: lo, max: hi } }); });
  return { change: assertValid(withNeighbourVertices(grids, { before: chosen, after })), problems };
}

/**
 * Splits groups into k parts of near-equal households: cut across the long axis, recursively.
 * Each half is kept in one piece of the adjacency graph (a stray piece goes to the other
 * half), then the halves are evened by handing over groups along the cut, one at a time, each
 * only when it brings them closer and leaves its half in one piece.
 */
function bisect(G: UnitGraph, idx: number[], k: number, first: number, part: Int32Array, rnd: () => number) {
  if (k <= 1 || idx.length <= 1) { for (const i of idx) part[i] = first; return; }
  const units = G.groups;
  const k1 = Math.floor(k / 2);
  const wt = (i: number) => G.weight[i];
  const total = idx.reduce((a, i) => a + wt(i), 0);
  // the long axis of the points (weighted by households, at least 1), turned by up to ±20° by the seed
  const cos = Math.cos((units[idx[0]].at[1] * Math.PI) / 180);
  let mx = 0, my = 0, sw = 0;
  for (const i of idx) { const ww = Math.max(1, wt(i)); mx += units[i].at[0] * cos * ww; my += units[i].at[1] * ww; sw += ww; }
  mx /= sw; my /= sw;
  let sxx = 0, syy = 0, sxy = 0;
  for (const i of idx) { const ww = Math.max(1, wt(i)); const dx = units[i].at[0] * cos - mx, dy = units[i].at[1] - my; sxx += ww * dx * dx; syy += ww * dy * dy; sxy += ww * dx * dy; }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy) + (rnd() - 0.5) * (Math.PI / 4.5);
  const ax = Math.cos(angle), ay = Math.sin(angle);
  const t = new Map<number, number>();
  for (const i of idx) t.set(i, units[i].at[0] * cos * ax + units[i].at[1] * ay);
  const sorted = idx.slice().sort((a, b) => t.get(a)! - t.get(b)! || a - b);
  const goal = (total * k1) / k;
  let acc = 0, cut = 0, best = Infinity;
  for (let j = 0; j < sorted.length - 1; j++) {
    acc += wt(sorted[j]);
    const d = Math.abs(acc - goal);
    if (d < best) { best = d; cut = j + 1; }
  }
  cut = Math.max(1, Math.min(sorted.length - 1, cut));
  let lo = sorted.slice(0, cut), hi = sorted.slice(cut);
  for (let pass = 0; pass < 3; pass++) {
    const a = components(G, lo, wt), b = components(G, hi, wt);
    if (a.length <= 1 && b.length <= 1) break;
    if (a.length === 0 || b.length === 0) break;
    lo = [...a[0], ...b.slice(1).flat()];
    hi = [...b[0], ...a.slice(1).flat()];
  }
  if (lo.length && hi.length) [lo, hi] = even(G, lo, hi, goal, t, wt);
  bisect(G, lo, k1, first, part, rnd);
  bisect(G, hi, k - k1, first + k1, part, rnd);
}

function even(G: UnitGraph, lo: number[], hi: number[], goal: number, t: Map<number, number>, wt: (i: number) => number): [number[], number[]] {
  const side = new Map<number, 0 | 1>();
  for (const i of lo) side.set(i, 0);
  for (const i of hi) side.set(i, 1);
  let wLo = lo.reduce((a, i) => a + wt(i), 0);
  for (let moves = 0; moves < 400; moves++) {
    const excess = wLo - goal; // > 0: the low half gives
    if (Math.abs(excess) < 1) break;
    const from: 0 | 1 = excess > 0 ? 0 : 1;
    const members = [...side].filter(([, s]) => s === from).map(([i]) => i);
    // groups of the giving half next to the other half, nearest the cut first
    const border = members.filter((i) => {
      if (wt(i) === 0 || wt(i) >= 2 * Math.abs(excess)) return false;
      for (let q = G.start[i]; q < G.start[i + 1]; q++) if (side.get(G.adj[q]) === 1 - from) return true;
      return false;
    }).sort((a, b) => (from === 0 ? t.get(b)! - t.get(a)! : t.get(a)! - t.get(b)!));
    let moved = false;
    for (const c of border.slice(0, 8)) {
      const rest = members.filter((i) => i !== c);
      if (components(G, rest, wt).length > 1) continue;
      side.set(c, (1 - from) as 0 | 1);
      wLo += from === 0 ? -wt(c) : wt(c);
      moved = true;
      break;
    }
    if (!moved) break;
  }
  const a: number[] = [], b: number[] = [];
  for (const [i, s] of side) (s === 0 ? a : b).push(i);
  return [a, b];
}

/**
 * The Voronoi edges between sites of different units (edges inside one unit bound nothing),
 * from the Delaunay triangulation: the edge between sites i and j joins the circumcentres of
 * the two triangles on edge i–j (a hull edge: a ray outward). Taken from the triangles, not
 * from the cells' polygons, so that the four cocircular corners of a rectangular footprint
 * (one Voronoi vertex, computed twice a hair apart) still give borders that close.
 */
function cellBorders(delaunay: Delaunay<Float64Array>, bounds: [number, number, number, number], sitePart: Int32Array): Position[][] {
  const { triangles, halfedges, points } = delaunay;
  // Circumcentres to 1e-8° (about a millimetre): a rectangle's four corners give one Voronoi
  // vertex computed twice a hair apart, which would leave slivers that fold back on themselves.
  const cc = delaunay.voronoi(bounds).circumcenters.map((v) => Math.round(v * 1e8) / 1e8);
  const far = 4 * Math.hypot(bounds[2] - bounds[0], bounds[3] - bounds[1]);
  const out: Position[][] = [];
  // Kept to the bounds: a nearly flat triangle on the hull has its circumcentre far away, and
  // one long diagonal border would be compared with every edge in the noding.
  const push = (p: Position, q: Position) => { const c = clipSegment(p, q, bounds); if (c) out.push(c); };
  for (let e = 0; e < halfedges.length; e++) {
    const i = triangles[e], j = triangles[e % 3 === 2 ? e - 2 : e + 1];
    if (sitePart[i] === sitePart[j]) continue;
    const o = halfedges[e];
    const t = Math.floor(e / 3);
    const c: Position = [cc[2 * t], cc[2 * t + 1]];
    if (o >= 0) {
      if (e > o) continue;
      const u = Math.floor(o / 3);
      push(c, [cc[2 * u], cc[2 * u + 1]]);
      continue;
    }
    // on the hull: away from the triangle's third corner
    const k = triangles[e % 3 === 0 ? e + 2 : e - 1];
    const [xi, yi, xj, yj, xk, yk] = [points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1], points[2 * k], points[2 * k + 1]];
    let nx = yj - yi, ny = -(xj - xi);
    if (nx * (xk - xi) + ny * (yk - yi) > 0) { nx = -nx; ny = -ny; }
    const len = Math.hypot(nx, ny) || 1;
    push(c, [c[0] + (nx / len) * far, c[1] + (ny / len) * far]);
  }
  return out;
}

/** The part of segment p–q inside the box (Liang–Barsky), or null. */
function clipSegment(p: Position, q: Position, [w, s, e, n]: [number, number, number, number]): Position[] | null {
  const dx = q[0] - p[0], dy = q[1] - p[1];
  let t0 = 0, t1 = 1;
  for (const [d, r] of [[-dx, p[0] - w], [dx, e - p[0]], [-dy, p[1] - s], [dy, n - p[1]]]) {
    if (d === 0) { if (r < 0) return null; continue; }
    const t = r / d;
    if (d < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
  }
  if (t0 === 0 && t1 === 1) return [p, q];
  return [[p[0] + t0 * dx, p[1] + t0 * dy], [p[0] + t1 * dx, p[1] + t1 * dy]];
}

function footprintIndex(groups: Group[]) {
  const prints = groups.flatMap((g, i) => g.prints.map((p) => ({ p, i })));
  const index = new Flatbush(Math.max(1, prints.length));
  const tests = prints.map((x) => new RingTest(flatRings(x.p)));
  for (const t of tests) index.add(...t.bbox);
  if (prints.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { at: (x: number, y: number) => { for (const k of index.search(x, y, x, y)) if (k < tests.length && tests[k].contains(x, y)) return prints[k].i; return -1; } };
}

/**
 * Each part kept in one piece: a piece of a part away from its main piece (the one with the
 * most footprint area, then the most area: the piece with the part's buildings) goes to the
 * neighbouring part it shares the longest border with.
 */
function joinStrays(A: ReturnType<typeof arrange>, label: number[], inPrint: boolean[]) {
  const { F } = A;
  const xy = F.graph.xy;
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  const area = F.faces.map((f) => Math.abs(F.cycleArea[f.shell]) - f.holes.reduce((s, c) => s + Math.abs(F.cycleArea[c]), 0));
  const edgeLength = (e: number) => { const u = F.graph.u[e], v = F.graph.v[e]; return Math.hypot(xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]); };
  for (let pass = 0; pass < 4; pass++) {
    const parent = F.faces.map((_, f) => f);
    const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f])));
    for (let e = 0; e < F.graph.u.length; e++) {
      if (F.dropped[e]) continue;
      const a = faceOf(2 * e), b = faceOf(2 * e + 1);
      if (a >= 0 && b >= 0 && label[a] >= 0 && label[a] === label[b]) parent[find(a)] = find(b);
    }
    const weight = new Map<number, [number, number]>();
    F.faces.forEach((_, f) => {
      if (label[f] < 0) return;
      const w = weight.get(find(f)) ?? [0, 0];
      if (inPrint[f]) w[0] += area[f];
      w[1] += area[f];
      weight.set(find(f), w);
    });
    const heavier = (p: [number, number], q: [number, number]) => p[0] > q[0] || (p[0] === q[0] && p[1] > q[1]);
    const main = new Map<number, number>();
    for (const [root, w] of weight) {
      const m = main.get(label[root]);
      if (m === undefined || heavier(w, weight.get(m)!)) main.set(label[root], root);
    }
    // borders of every stray piece with the other parts, in one pass over the edges
    const border = new Map<number, Map<number, number>>();
    for (let e = 0; e < F.graph.u.length; e++) {
      if (F.dropped[e]) continue;
      const a = faceOf(2 * e), b = faceOf(2 * e + 1);
      if (a < 0 || b < 0 || label[a] < 0 || label[b] < 0 || label[a] === label[b]) continue;
      for (const [inside, out] of [[a, b], [b, a]]) {
        const root = find(inside);
        if (main.get(label[inside]) === root) continue;
        const m = border.get(root) ?? border.set(root, new Map()).get(root)!;
        m.set(label[out], (m.get(label[out]) ?? 0) + edgeLength(e));
      }
    }
    const to = new Map<number, number>();
    for (const [root, m] of border) {
      let best = -1, len = 0;
      for (const [l, d] of m) if (d > len || (d === len && l < best)) { best = l; len = d; }
      if (best >= 0) to.set(root, best);
    }
    if (to.size === 0) return;
    F.faces.forEach((_, f) => { if (label[f] >= 0) { const l = to.get(find(f)); if (l !== undefined) label[f] = l; } });
  }
}

/** Reading order of a shape: north first, then west (rows of ~ a grid's height). */
function northWest(g: AreaGeometry): number {
  const [w, , , n] = geomBBox(g);
  return -n * 1e4 + w;
}
