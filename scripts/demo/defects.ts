// Defects planted on purpose for the coverage checker to find (data/demo/planted.json).
// Each sits in its own community, in grids that nothing else special touches.
import type { Admin } from './admin';
import type { GridLayout } from './grids';
import { cellCenter, vid, vxy, type Lattice } from './lattice';
import type { XY } from './projection';
import { rngFor } from './rng';
import { add, dist, norm, rectCorners, scale, sideDist, type Rect } from './geom';
import { riverClearance, type River } from './water';

export interface MovedVertex {
  kind: 'gap' | 'overlap';
  grid: number; // the grid whose ring is edited
  other: number; // its neighbour across the edge
  v: number; // lattice vertex id moved (in `grid`'s ring only)
  p: number; // the lattice neighbours of v along the shared edge
  n: number;
  to: XY; // new position (metric)
}

export interface Straddler {
  a: number; // grid holding the larger share
  b: number;
  cellA: number;
  cellB: number;
  rect: Rect;
  residential: boolean;
}

export interface Plan {
  moved: MovedVertex[];
  straddlers: Straddler[];
  /** Household totals forced far outside the band. */
  bandTargets: Map<number, number>;
  /** Grids taking part in a planted defect (kept clear of other planted things). */
  special: Set<number>;
  /** Cells whose buildings keep a wider margin (next to a moved vertex). */
  wideMargin: Set<number>;
}

export function planDefects(seed: number, admin: Admin, L: Lattice, layout: GridLayout, river: River): Plan {
  const rng = rngFor(seed, 'defects');
  const { grids, gridOf } = layout;
  const d = admin.dims;
  const hosts = new Set(grids.filter((g) => g.host >= 0).map((g) => g.host));
  const isPlain = (g: number) => g >= 0 && grids[g].kind === 'base' && !grids[g].village && !hosts.has(g);
  const communities = rng.shuffle(
    [...admin.communities.keys()].filter((k) => !admin.communities[k].village),
  );
  const usedComm = new Set<number>();
  const special = new Set<number>();
  const wideMargin = new Set<number>();
  const moved: MovedVertex[] = [];
  const straddlers: Straddler[] = [];
  const bandTargets = new Map<number, number>();
  const cellAt = (i: number, j: number) => (i < 0 || j < 0 || i >= d.nx || j >= d.ny ? -1 : j * d.nx + i);
  const g = (c: number) => (c < 0 ? -1 : gridOf[c]);

  const takeCommunity = (fn: (k: number) => boolean) => {
    for (const k of communities) {
      if (usedComm.has(k)) continue;
      if (fn(k)) {
        usedComm.add(k);
        return;
      }
    }
    throw new Error('planDefects: ran out of communities');
  };

  // gaps and overlaps: a vertex on a straight stretch of border between exactly two base grids
  for (const kind of ['gap', 'overlap', 'gap', 'overlap', 'gap', 'overlap'] as const) {
    takeCommunity((k) => {
      const cands: MovedVertex[] = [];
      for (const c of admin.communities[k].cells) {
        const i = c % d.nx;
        const j = (c - i) / d.nx;
        // vertex (i, j) is the SW corner of cell c
        const ne = g(cellAt(i, j));
        const nw = g(cellAt(i - 1, j));
        const se = g(cellAt(i, j - 1));
        const sw = g(cellAt(i - 1, j - 1));
        const four = [cellAt(i, j), cellAt(i - 1, j), cellAt(i, j - 1), cellAt(i - 1, j - 1)];
        if (four.some((x) => x < 0 || admin.commOf[x] !== k)) continue;
        if (![ne, nw, se, sw].every(isPlain)) continue;
        if (four.some((x) => riverClearance(river, cellCenter(L, x)) < 60)) continue;
        const v = vid(L, i, j);
        if (sw === nw && se === ne && sw !== se) {
          // north–south border
          const [A, B] = rng.chance(0.5) ? [sw, se] : [se, sw];
          cands.push({ kind, grid: A, other: B, v, p: vid(L, i, j - 1), n: vid(L, i, j + 1), to: [0, 0] });
        } else if (sw === se && nw === ne && sw !== nw) {
          const [A, B] = rng.chance(0.5) ? [sw, nw] : [nw, sw];
          cands.push({ kind, grid: A, other: B, v, p: vid(L, i - 1, j), n: vid(L, i + 1, j), to: [0, 0] });
        }
      }
      const ok = cands.filter((m) => !special.has(m.grid) && !special.has(m.other));
      if (!ok.length) return false;
      const m = rng.pick(ok);
      const P = vxy(L, m.p);
      const N = vxy(L, m.n);
      const V = vxy(L, m.v);
      const nrm = norm([-(N[1] - P[1]), N[0] - P[0]]); // left of p→n
      const aCell = grids[m.grid].cells.find((c) => dist(cellCenter(L, c), V) < L.cell)!;
      const aSide = Math.sign(sideDist(P, N, cellCenter(L, aCell)));
      const towardA = scale(nrm, aSide);
      const shift = rng.range(13, 21);
      m.to = add(V, scale(towardA, m.kind === 'gap' ? shift : -shift));
      moved.push(m);
      special.add(m.grid);
      special.add(m.other);
      const i = m.v % (d.nx + 1);
      const j = (m.v - i) / (d.nx + 1);
      for (const x of [cellAt(i, j), cellAt(i - 1, j), cellAt(i, j - 1), cellAt(i - 1, j - 1)]) wideMargin.add(x);
      return true;
    });
  }

  // buildings straddling a border between two base grids
  const residentialStraddle = [true, false, true, false, false];
  for (const residential of residentialStraddle) {
    takeCommunity((k) => {
      const cands: { a: number; b: number; ca: number; cb: number; e0: number; e1: number }[] = [];
      for (const c of admin.communities[k].cells) {
        const i = c % d.nx;
        const j = (c - i) / d.nx;
        const right = cellAt(i + 1, j);
        const up = cellAt(i, j + 1);
        if (right >= 0 && admin.commOf[right] === k && g(c) !== g(right) && isPlain(g(c)) && isPlain(g(right)))
          cands.push({ a: g(c), b: g(right), ca: c, cb: right, e0: vid(L, i + 1, j), e1: vid(L, i + 1, j + 1) });
        if (up >= 0 && admin.commOf[up] === k && g(c) !== g(up) && isPlain(g(c)) && isPlain(g(up)))
          cands.push({ a: g(c), b: g(up), ca: c, cb: up, e0: vid(L, i, j + 1), e1: vid(L, i + 1, j + 1) });
      }
      const ok = cands.filter(
        (x) =>
          !special.has(x.a) &&
          !special.has(x.b) &&
          riverClearance(river, cellCenter(L, x.ca)) > 150 &&
          riverClearance(river, cellCenter(L, x.cb)) > 150,
      );
      if (!ok.length) return false;
      const x = rng.pick(ok);
      // the larger share goes to a random side
      const [a, b, ca, cb] = rng.chance(0.5) ? [x.a, x.b, x.ca, x.cb] : [x.b, x.a, x.cb, x.ca];
      const E0 = vxy(L, x.e0);
      const E1 = vxy(L, x.e1);
      const t = rng.range(0.35, 0.65);
      const m: XY = [E0[0] + t * (E1[0] - E0[0]), E0[1] + t * (E1[1] - E0[1])];
      let nA = norm([-(E1[1] - E0[1]), E1[0] - E0[0]]);
      if (sideDist(E0, E1, cellCenter(L, ca)) < 0) nA = scale(nA, -1);
      const half = residential ? 17 : rng.range(11, 15);
      const shift = half * rng.range(0.12, 0.2);
      const rect: Rect = { c: add(m, scale(nA, shift)), ex: nA, a: half, b: residential ? 7 : rng.range(5, 7) };
      if (rectCorners(rect).some((p) => riverClearance(river, p) < 20)) return false;
      straddlers.push({ a, b, cellA: ca, cellB: cb, rect, residential });
      special.add(a);
      special.add(b);
      return true;
    });
  }

  // grids far outside their band
  for (const target of [40, 900, 44, 880]) {
    takeCommunity((k) => {
      const cands = grids.filter(
        (gr) =>
          gr.community === k &&
          isPlain(gr.index) &&
          !special.has(gr.index) &&
          (target < 100 || gr.cells.filter((c) => riverClearance(river, cellCenter(L, c)) > 120).length >= 3),
      );
      if (!cands.length) return false;
      const gr = rng.pick(cands);
      bandTargets.set(gr.index, target);
      special.add(gr.index);
      return true;
    });
  }
  return { moved, straddlers, bandTargets, special, wideMargin };
}
