// Auto-split: the land of some base grids cut into grids of a household size within band,
// each one piece, no building cut. Buildings (with their households) are the units, as census
// blocks are in redistricting: they are split into k parts of near-equal households by
// recursive bisection along the parts' long axis (a seed turns the axes a little, so another
// seed gives another proposal); the land follows a Voronoi partition of the buildings'
// corners, so the parts tile exactly the land they replace; each footprint stays whole in its
// part; a stray piece of a part is given to the neighbour it shares most border with.
import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import seedrandom from 'seedrandom';
import type { Position } from 'geojson';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { RingTest } from '../checks/faces';
import { checkArea, makeValid } from '../checks/repair';
import { flatRings, geomBBox } from '../checks/land';
import { arrange, traceLabels } from './overlay';
import { isLocked, nextCode } from './grids';
import { rings } from './topology';
import { withNeighbourVertices } from './neighbours';
import { assertValid } from './valid';
import { PlanError, type GridChange, type XY } from './types';

/** A building with its households (or a household with no building: no footprint). */
export interface Unit {
  id: string;
  footprint: AreaGeometry | null;
  at: XY;
  households: number;
}

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

export function autoSplit(grids: GridFeature[], codes: string[], units: Unit[], o: SplitOptions): SplitProposal {
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
  for (const u of units) if (u.households > max) problems.push({ code: 'building_over_band', values: { id: u.id, n: u.households, max } });
  // Grids of the target size, else of the band's middle (room on both sides for the
  // unevenness of whole buildings); never more grids than the minimum allows, nor fewer than the maximum needs.
  const aim = o.target ?? (min + max) / 2;
  const fewest = Math.max(1, Math.ceil(total / max)), most = Math.max(1, Math.floor(total / min));
  let k = Math.max(1, Math.round(total / aim));
  if (fewest <= most) k = Math.min(most, Math.max(fewest, k));
  if (total < min) problems.push({ code: 'too_few_households', values: { n: total, min } });
  if (k === chosen.length && chosen.length === 1) throw new PlanError('split_not_needed', { n: total, min, max });

  const rnd = seedrandom(String(o.seed ?? 1));
  const part = new Int32Array(units.length);
  bisect(units, units.map((_, i) => i), k, 0, part, rnd);

  // Voronoi of the buildings' corners (and household points), each site with its part.
  const sites: number[] = [];
  const sitePart: number[] = [];
  units.forEach((u, i) => {
    const pts = u.footprint ? rings(u.footprint)[0].slice(0, -1) : [u.at];
    for (const p of pts) { sites.push(p[0], p[1]); sitePart.push(part[i]); }
  });
  let [w, s, e, n] = chosen.map((g) => geomBBox(g.geometry)).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
  const pad = Math.max(e - w, n - s) * 0.05 + 1e-6;
  [w, s, e, n] = [w - pad, s - pad, e + pad, n + pad];
  const delaunay = new Delaunay(Float64Array.from(sites));
  const lines: Position[][] = partBorders(delaunay, [w, s, e, n], sitePart);
  for (const u of units) if (u.footprint) for (const r of rings(u.footprint)) lines.push(r);

  const A = arrange(chosen.map((g) => g.geometry), lines);
  const prints = footprintIndex(units);
  const label = A.F.faces.map((_, f) => {
    const p = A.inside[f];
    if (!p || A.cover[f].length === 0) return -1;
    const u = prints.at(p[0], p[1]);
    if (u >= 0) return part[u];
    return sitePart[delaunay.find(p[0], p[1])];
  });
  joinStrays(A, label, k);
  const shapes = traceLabels(A, (f) => label[f]);
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
  // Each proposed grid's households (a stray piece given to a neighbour took its buildings along).
  const tests = after.map((g) => new RingTest(flatRings(g.geometry)));
  const held = new Int32Array(after.length);
  for (const u of units) { const k2 = tests.findIndex((t) => t.contains(u.at[0], u.at[1])); if (k2 >= 0) held[k2] += u.households; }
  const [lo, hi] = o.target && o.tolerance !== undefined
    ? [Math.max(min, Math.floor(o.target * (1 - o.tolerance))), Math.min(max, Math.ceil(o.target * (1 + o.tolerance)))] : [min, max];
  after.forEach((g, i) => { if (held[i] < lo || held[i] > hi) problems.push({ code: 'out_of_band', values: { code: g.properties.code, n: held[i], min: lo, max: hi } }); });
  return { change: assertValid(withNeighbourVertices(grids, { before: chosen, after })), problems };
}

/** Splits units into k parts of near-equal households: cut across the long axis, recursively. */
function bisect(units: Unit[], idx: number[], k: number, first: number, part: Int32Array, rnd: () => number) {
  if (k <= 1 || idx.length <= 1) { for (const i of idx) part[i] = first; return; }
  const k1 = Math.floor(k / 2);
  const w = idx.map((i) => units[i].households);
  const total = w.reduce((a, b) => a + b, 0);
  // the long axis of the points (weighted by households, at least 1), turned by up to ±20° by the seed
  const cos = Math.cos((units[idx[0]].at[1] * Math.PI) / 180);
  let mx = 0, my = 0, sw = 0;
  idx.forEach((i, j) => { const ww = Math.max(1, w[j]); mx += units[i].at[0] * cos * ww; my += units[i].at[1] * ww; sw += ww; });
  mx /= sw; my /= sw;
  let sxx = 0, syy = 0, sxy = 0;
  idx.forEach((i, j) => { const ww = Math.max(1, w[j]); const dx = units[i].at[0] * cos - mx, dy = units[i].at[1] - my; sxx += ww * dx * dx; syy += ww * dy * dy; sxy += ww * dx * dy; });
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy) + (rnd() - 0.5) * (Math.PI / 4.5);
  const ax = Math.cos(angle), ay = Math.sin(angle);
  const sorted = idx.map((i, j) => ({ i, w: w[j], t: units[i].at[0] * cos * ax + units[i].at[1] * ay })).sort((a, b) => a.t - b.t || a.i - b.i);
  const goal = (total * k1) / k;
  let acc = 0, cut = 0, best = Infinity;
  for (let j = 0; j < sorted.length - 1; j++) {
    acc += sorted[j].w;
    const d = Math.abs(acc - goal);
    if (d < best) { best = d; cut = j + 1; }
  }
  cut = Math.max(1, Math.min(sorted.length - 1, cut));
  bisect(units, sorted.slice(0, cut).map((x) => x.i), k1, first, part, rnd);
  bisect(units, sorted.slice(cut).map((x) => x.i), k - k1, first + k1, part, rnd);
}

/**
 * The Voronoi edges between sites of different parts (edges inside one part bound nothing),
 * from the Delaunay triangulation: the edge between sites i and j joins the circumcentres of
 * the two triangles on edge i–j (a hull edge: a ray outward). Taken from the triangles, not
 * from the cells' polygons, so that the four cocircular corners of a rectangular footprint
 * (one Voronoi vertex, computed twice a hair apart) still give borders that close.
 */
function partBorders(delaunay: Delaunay<Float64Array>, bounds: [number, number, number, number], sitePart: number[]): Position[][] {
  const { triangles, halfedges, points } = delaunay;
  // Circumcentres to 1e-8° (about a millimetre): a rectangle's four corners give one Voronoi
  // vertex computed twice a hair apart, which would leave slivers that fold back on themselves.
  const cc = delaunay.voronoi(bounds).circumcenters.map((v) => Math.round(v * 1e8) / 1e8);
  const far = 4 * Math.hypot(bounds[2] - bounds[0], bounds[3] - bounds[1]);
  const out: Position[][] = [];
  for (let e = 0; e < halfedges.length; e++) {
    const i = triangles[e], j = triangles[e % 3 === 2 ? e - 2 : e + 1];
    if (sitePart[i] === sitePart[j]) continue;
    const o = halfedges[e];
    const t = Math.floor(e / 3);
    const c: Position = [cc[2 * t], cc[2 * t + 1]];
    if (o >= 0) {
      if (e > o) continue;
      const u = Math.floor(o / 3);
      out.push([c, [cc[2 * u], cc[2 * u + 1]]]);
      continue;
    }
    // on the hull: away from the triangle's third corner
    const k = triangles[e % 3 === 0 ? e + 2 : e - 1];
    const [xi, yi, xj, yj, xk, yk] = [points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1], points[2 * k], points[2 * k + 1]];
    let nx = yj - yi, ny = -(xj - xi);
    if (nx * (xk - xi) + ny * (yk - yi) > 0) { nx = -nx; ny = -ny; }
    const len = Math.hypot(nx, ny) || 1;
    out.push([c, [c[0] + (nx / len) * far, c[1] + (ny / len) * far]]);
  }
  return out;
}

function footprintIndex(units: Unit[]) {
  const withPrint = units.map((u, i) => ({ u, i })).filter((x) => x.u.footprint);
  const index = new Flatbush(Math.max(1, withPrint.length));
  const tests = withPrint.map((x) => new RingTest(flatRings(x.u.footprint!)));
  for (const t of tests) index.add(...t.bbox);
  if (withPrint.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { at: (x: number, y: number) => { for (const k of index.search(x, y, x, y)) if (k < tests.length && tests[k].contains(x, y)) return withPrint[k].i; return -1; } };
}

/**
 * Each part kept in one piece: a piece of a part away from its main piece (the one with the
 * most area) goes to the neighbouring part it shares the longest border with.
 */
function joinStrays(A: ReturnType<typeof arrange>, label: number[], k: number) {
  const { F } = A;
  const xy = F.graph.xy;
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  const area = F.faces.map((f) => Math.abs(F.cycleArea[f.shell]) - f.holes.reduce((s, c) => s + Math.abs(F.cycleArea[c]), 0));
  for (let pass = 0; pass < 4; pass++) {
    const parent = F.faces.map((_, f) => f);
    const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f])));
    for (let e = 0; e < F.graph.u.length; e++) {
      if (F.dropped[e]) continue;
      const a = faceOf(2 * e), b = faceOf(2 * e + 1);
      if (a >= 0 && b >= 0 && label[a] >= 0 && label[a] === label[b]) parent[find(a)] = find(b);
    }
    const pieceArea = new Map<number, number>();
    F.faces.forEach((_, f) => { if (label[f] >= 0) pieceArea.set(find(f), (pieceArea.get(find(f)) ?? 0) + area[f]); });
    const main = new Map<number, number>();
    for (const [root, a] of pieceArea) {
      const l = label[root];
      const m = main.get(l);
      if (m === undefined || a > pieceArea.get(m)!) main.set(l, root);
    }
    let changed = false;
    for (const [root] of pieceArea) {
      const l = label[root];
      if (main.get(l) === root) continue;
      const border = new Float64Array(k);
      for (let e = 0; e < F.graph.u.length; e++) {
        if (F.dropped[e]) continue;
        const a = faceOf(2 * e), b = faceOf(2 * e + 1);
        if (a < 0 || b < 0) continue;
        const [inside, out] = find(a) === root ? [a, b] : find(b) === root ? [b, a] : [-1, -1];
        if (inside < 0 || label[out] < 0 || label[out] === l) continue;
        const u = F.graph.u[e], v = F.graph.v[e];
        border[label[out]] += Math.hypot(xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]);
      }
      let to = -1;
      for (let p = 0; p < k; p++) if (border[p] > 0 && (to < 0 || border[p] > border[to])) to = p;
      if (to < 0) continue;
      F.faces.forEach((_, f) => { if (label[f] >= 0 && find(f) === root) label[f] = to; });
      changed = true;
    }
    if (!changed) return;
  }
}

/** Reading order of a shape: north first, then west (rows of ~ a grid's height). */
function northWest(g: AreaGeometry): number {
  const [w, , , n] = geomBBox(g);
  return -n * 1e4 + w;
}
