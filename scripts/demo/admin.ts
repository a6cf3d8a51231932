// District → streets (街道) → communities (社区/村) on the lattice.
//
// Arterial roads run along chosen lattice lines and cut the district into superblocks; a
// superblock (trimmed by the outline) is a community, small edge fragments are merged into a
// neighbour, large ones are split along a secondary road. Communities are grouped into
// streets by balanced region growing. Every region is checked to be one simple ring.
import { DISTRICT_CODE, STREET_NAMES, URBAN_COMMUNITY_NAMES, VILLAGE_NAMES } from './names';
import { rngFor, type Rng } from './rng';
import { buildMask, cellsByLabel, isSimpleRegion, neighbours, type Dims } from './lattice';

export const NX = 46;
export const NY = 43;
export const CELL = 230;

export interface Community {
  cells: number[];
  street: number;
  code: string;
  name: string; // full name, e.g. 幸福社区 / 张家庄村
  village: boolean;
  /** Centroid in cell units (i, j). */
  ci: number;
  cj: number;
}

export interface Street {
  code: string;
  name: string;
  communities: number[];
  cells: number[];
}

export interface SplitLine {
  axis: 'i' | 'j'; // a line of constant i (north–south) or constant j (east–west)
  at: number;
  /** Runs [from, to) of cell rows (axis i) or columns (axis j) along the line. */
  runs: [number, number][];
}

export interface Admin {
  dims: Dims;
  mask: Int32Array; // 0 inside the district, -1 outside
  districtCells: number[];
  commOf: Int32Array; // cell → community index (code order) or -1
  streetOf: Int32Array; // cell → street index or -1
  communities: Community[]; // in code order
  streets: Street[]; // in code order
  arterialI: number[]; // interior lattice lines i = const carrying arterial roads
  arterialJ: number[];
  splits: SplitLine[];
}

class Retry extends Error {}

function lines(rng: Rng, n: number): number[] {
  const out = [0];
  let p = rng.int(5, 8);
  while (p < n - 4) {
    out.push(p);
    p += rng.int(6, 9);
  }
  out.push(n);
  return out;
}

function centroid(d: Dims, cells: readonly number[]): [number, number] {
  let si = 0;
  let sj = 0;
  for (const c of cells) {
    const i = c % d.nx;
    si += i + 0.5;
    sj += (c - i) / d.nx + 0.5;
  }
  return [si / cells.length, sj / cells.length];
}

/** Reading order: north→south in bands of `band` cells, then west→east. */
export function readingOrder<T>(items: T[], pos: (t: T) => [number, number], ny: number, band: number): T[] {
  return items
    .map((t, k) => ({ t, k, p: pos(t) }))
    .sort((x, y) => {
      const bx = Math.floor((ny - x.p[1]) / band);
      const by = Math.floor((ny - y.p[1]) / band);
      if (bx !== by) return bx - by;
      if (x.p[0] !== y.p[0]) return x.p[0] - y.p[0];
      return x.k - y.k;
    })
    .map((x) => x.t);
}

function components(d: Dims, labels: Int32Array, cells: readonly number[]): number[][] {
  const set = new Set(cells);
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const c0 of cells) {
    if (seen.has(c0)) continue;
    const comp = [c0];
    seen.add(c0);
    for (let k = 0; k < comp.length; k++) {
      for (const n of neighbours(d, comp[k])) {
        if (set.has(n) && !seen.has(n) && labels[n] === labels[c0]) {
          seen.add(n);
          comp.push(n);
        }
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

function tryLayout(rng: Rng, d: Dims, districtCells: number[]) {
  const li = lines(rng, d.nx);
  const lj = lines(rng, d.ny);
  const bandOf = (ls: number[], x: number) => {
    let k = 0;
    while (ls[k + 1] <= x) k++;
    return k;
  };
  // superblocks
  const sb = new Int32Array(d.nx * d.ny).fill(-1);
  for (const c of districtCells) {
    const i = c % d.nx;
    const j = (c - i) / d.nx;
    sb[c] = bandOf(li, i) * 100 + bandOf(lj, j);
  }
  const byLabel = new Map<number, number[]>();
  for (const c of districtCells) {
    const l = sb[c];
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l)!.push(c);
  }
  const frags: number[][] = [];
  for (const l of [...byLabel.keys()].sort((a, b) => a - b)) frags.push(...components(d, sb, byLabel.get(l)!));
  const lab = new Int32Array(d.nx * d.ny).fill(-1);
  frags.forEach((cells, k) => cells.forEach((c) => (lab[c] = k)));
  const alive = frags.map(() => true);
  // merge small fragments into the neighbour they share most border with
  const MIN = 18;
  for (;;) {
    let small = -1;
    for (let k = 0; k < frags.length; k++) {
      if (alive[k] && frags[k].length < MIN && (small < 0 || frags[k].length < frags[small].length)) small = k;
    }
    if (small < 0) break;
    const shared = new Map<number, number>();
    for (const c of frags[small]) for (const n of neighbours(d, c)) {
      const o = lab[n];
      if (o >= 0 && o !== small) shared.set(o, (shared.get(o) ?? 0) + 1);
    }
    let best = -1;
    let bestN = 0;
    for (const [o, n] of [...shared.entries()].sort((a, b) => a[0] - b[0])) if (n > bestN) {
      best = o;
      bestN = n;
    }
    if (best < 0) throw new Retry('isolated fragment');
    for (const c of frags[small]) lab[c] = best;
    frags[best] = [...frags[best], ...frags[small]].sort((a, b) => a - b);
    frags[small] = [];
    alive[small] = false;
  }
  let comms: number[][] = frags.filter((_, k) => alive[k]);
  // split large ones along a secondary road
  const MAX = 78;
  const splits: SplitLine[] = [];
  const out: number[][] = [];
  for (const cells of comms) {
    if (cells.length <= MAX) {
      out.push(cells);
      continue;
    }
    const is = cells.map((c) => c % d.nx);
    const js = cells.map((c) => Math.floor(c / d.nx));
    const wi = Math.max(...is) - Math.min(...is) + 1;
    const wj = Math.max(...js) - Math.min(...js) + 1;
    const axis: 'i' | 'j' = wi >= wj ? 'i' : 'j';
    const co = axis === 'i' ? is : js;
    const lo = Math.min(...co);
    const hi = Math.max(...co) + 1;
    const at = Math.round((lo + hi) / 2) + rng.int(-1, 1);
    const a = cells.filter((_, k) => co[k] < at);
    const b = cells.filter((_, k) => co[k] >= at);
    if (a.length < 22 || b.length < 22) throw new Retry('bad split');
    out.push(a, b);
    const aSet = new Set(a);
    const bSet = new Set(b);
    const runs: [number, number][] = [];
    let start = -1;
    const n = axis === 'i' ? d.ny : d.nx;
    for (let k = 0; k <= n; k++) {
      const inc =
        k < n &&
        (axis === 'i'
          ? aSet.has(k * d.nx + at - 1) && bSet.has(k * d.nx + at)
          : aSet.has((at - 1) * d.nx + k) && bSet.has(at * d.nx + k));
      if (inc && start < 0) start = k;
      if (!inc && start >= 0) {
        runs.push([start, k]);
        start = -1;
      }
    }
    splits.push({ axis, at, runs });
  }
  comms = out;
  if (comms.length < 26 || comms.length > 34) throw new Retry(`community count ${comms.length}`);
  const commOf = new Int32Array(d.nx * d.ny).fill(-1);
  comms.forEach((cells, k) => cells.forEach((c) => (commOf[c] = k)));
  comms.forEach((cells, k) => {
    if (!isSimpleRegion(d, commOf, k, cells)) throw new Retry('community not simple');
  });
  return { li, lj, comms, commOf, splits };
}

function groupStreets(rng: Rng, d: Dims, comms: number[][], commOf: Int32Array): number[] | null {
  const n = comms.length;
  const S = Math.min(Math.floor(n / 4), Math.max(Math.ceil(n / 6), Math.round(n / 5)));
  const cen = comms.map((c) => centroid(d, c));
  const adj: Set<number>[] = comms.map(() => new Set());
  comms.forEach((cells, k) => {
    for (const c of cells) for (const nb of neighbours(d, c)) {
      const o = commOf[nb];
      if (o >= 0 && o !== k) adj[k].add(o);
    }
  });
  const seeds = [rng.int(0, n - 1)];
  while (seeds.length < S) {
    let best = -1;
    let bestD = -1;
    for (let k = 0; k < n; k++) {
      if (seeds.includes(k)) continue;
      const dd = Math.min(...seeds.map((s) => Math.hypot(cen[k][0] - cen[s][0], cen[k][1] - cen[s][1])));
      if (dd > bestD) {
        bestD = dd;
        best = k;
      }
    }
    seeds.push(best);
  }
  const streetOf = new Array<number>(n).fill(-1);
  const size = new Array<number>(S).fill(1);
  seeds.forEach((s, k) => (streetOf[s] = k));
  let left = n - S;
  while (left > 0) {
    const order = [...Array(S).keys()].sort((a, b) => size[a] - size[b] || a - b);
    let grown = false;
    for (const s of order) {
      if (size[s] >= 6) continue;
      const cand: number[] = [];
      for (let k = 0; k < n; k++) {
        if (streetOf[k] !== s) continue;
        for (const o of adj[k]) if (streetOf[o] < 0 && !cand.includes(o)) cand.push(o);
      }
      if (!cand.length) continue;
      const sc = cen[seeds[s]];
      cand.sort((a, b) => Math.hypot(cen[a][0] - sc[0], cen[a][1] - sc[1]) - Math.hypot(cen[b][0] - sc[0], cen[b][1] - sc[1]) || a - b);
      const pickFrom = cand.slice(0, Math.min(2, cand.length));
      streetOf[rng.pick(pickFrom)] = s;
      size[s]++;
      left--;
      grown = true;
      break;
    }
    if (!grown) return null;
  }
  if (size.some((z) => z < 4 || z > 6)) return null;
  // each street must be one simple region
  const lab = new Int32Array(d.nx * d.ny).fill(-1);
  comms.forEach((cells, k) => cells.forEach((c) => (lab[c] = streetOf[k])));
  const byStreet = cellsByLabel(lab, S);
  for (let s = 0; s < S; s++) if (!isSimpleRegion(d, lab, s, byStreet[s])) return null;
  return streetOf;
}

export function buildAdmin(seed: number): Admin {
  const d: Dims = { nx: NX, ny: NY };
  const mask = buildMask(rngFor(seed, 'mask'), d);
  const districtCells: number[] = [];
  for (let c = 0; c < mask.length; c++) if (mask[c] === 0) districtCells.push(c);
  const rng = rngFor(seed, 'admin');
  for (let attempt = 0; attempt < 200; attempt++) {
    let layout: ReturnType<typeof tryLayout>;
    try {
      layout = tryLayout(rng, d, districtCells);
    } catch (e) {
      if (e instanceof Retry) continue;
      throw e;
    }
    let streetOfComm: number[] | null = null;
    for (let t = 0; t < 60 && !streetOfComm; t++) streetOfComm = groupStreets(rng, d, layout.comms, layout.commOf);
    if (!streetOfComm) continue;
    bumpBorders(rng, d, layout.comms, layout.commOf, streetOfComm, 45);
    return finish(rng, d, mask, districtCells, layout, streetOfComm);
  }
  throw new Error('could not lay out the district');
}

function finish(
  rng: Rng,
  d: Dims,
  mask: Int32Array,
  districtCells: number[],
  layout: ReturnType<typeof tryLayout>,
  streetOfComm: number[],
): Admin {
  const { comms } = layout;
  const S = Math.max(...streetOfComm) + 1;
  // streets in reading order
  const streetCells: number[][] = Array.from({ length: S }, () => []);
  comms.forEach((cells, k) => streetCells[streetOfComm[k]].push(...cells));
  const streetOrder = readingOrder([...Array(S).keys()], (s) => centroid(d, streetCells[s]), d.ny, 12);
  const streetRank = new Array<number>(S);
  streetOrder.forEach((s, r) => (streetRank[s] = r));
  // villages: the communities on the outline farthest from the middle
  const dc = centroid(d, districtCells);
  const touchesEdge = comms.map((cells) =>
    cells.some((c) => {
      const i = c % d.nx;
      const j = (c - i) / d.nx;
      return i === 0 || j === 0 || i === d.nx - 1 || j === d.ny - 1 || neighbours(d, c).some((n) => mask[n] < 0);
    }),
  );
  const far = comms.map((cells) => {
    const c = centroid(d, cells);
    return Math.hypot((c[0] - dc[0]) / (d.nx / 2), (c[1] - dc[1]) / (d.ny / 2));
  });
  const nVillage = Math.round(comms.length * 0.22);
  const villageSet = new Set(
    [...comms.keys()].filter((k) => touchesEdge[k]).sort((a, b) => far[b] - far[a] || a - b).slice(0, nVillage),
  );
  // communities in code order: by street, then reading order inside the street
  const ordered: number[] = [];
  const streets: Street[] = [];
  const streetNames = STREET_NAMES.slice();
  for (let r = 0; r < S; r++) {
    const s = streetOrder[r];
    const members = readingOrder(
      [...comms.keys()].filter((k) => streetOfComm[k] === s),
      (k) => centroid(d, comms[k]),
      d.ny,
      6,
    );
    const code = `${DISTRICT_CODE}${String(r + 1).padStart(3, '0')}`;
    streets.push({ code, name: streetNames[r], communities: [], cells: streetCells[s].slice().sort((a, b) => a - b) });
    for (const k of members) {
      streets[r].communities.push(ordered.length);
      ordered.push(k);
    }
  }
  const urbanNames = rng.shuffle(URBAN_COMMUNITY_NAMES.slice());
  const villageNames = rng.shuffle(VILLAGE_NAMES.slice());
  const communities: Community[] = [];
  const commOf = new Int32Array(d.nx * d.ny).fill(-1);
  const streetOf = new Int32Array(d.nx * d.ny).fill(-1);
  const perStreet = new Array<number>(S).fill(0);
  ordered.forEach((k, idx) => {
    const r = streetRank[streetOfComm[k]];
    perStreet[r]++;
    const village = villageSet.has(k);
    const cen = centroid(d, comms[k]);
    communities.push({
      cells: comms[k],
      street: r,
      code: `${streets[r].code}${String(perStreet[r]).padStart(3, '0')}`,
      name: village ? `${villageNames.shift()}村` : `${urbanNames.shift()}社区`,
      village,
      ci: cen[0],
      cj: cen[1],
    });
    for (const c of comms[k]) {
      commOf[c] = idx;
      streetOf[c] = r;
    }
  });
  return {
    dims: d,
    mask,
    districtCells,
    commOf,
    streetOf,
    communities,
    streets,
    arterialI: layout.li.slice(1, -1),
    arterialJ: layout.lj.slice(1, -1),
    splits: layout.splits,
  };
}

/**
 * Move short runs of border cells from one community to its neighbour, so that community
 * and street borders leave the arterial roads here and there, as real ones do.
 */
function bumpBorders(rng: Rng, d: Dims, comms: number[][], commOf: Int32Array, streetOfComm: number[], count: number): void {
  const cellsOf = (k: number) => {
    const out: number[] = [];
    for (let c = 0; c < commOf.length; c++) if (commOf[c] === k) out.push(c);
    return out;
  };
  const streetLabels = () => {
    const lab = new Int32Array(commOf.length).fill(-1);
    for (let c = 0; c < commOf.length; c++) if (commOf[c] >= 0) lab[c] = streetOfComm[commOf[c]];
    return lab;
  };
  const streetOk = (lab: Int32Array, s: number) => {
    const cells: number[] = [];
    for (let c = 0; c < lab.length; c++) if (lab[c] === s) cells.push(c);
    return isSimpleRegion(d, lab, s, cells);
  };
  const at = (i: number, j: number) => (i < 0 || j < 0 || i >= d.nx || j >= d.ny ? -1 : j * d.nx + i);
  let done = 0;
  for (let attempt = 0; attempt < count * 20 && done < count; attempt++) {
    const a = rng.int(0, commOf.length - 1);
    const X = commOf[a];
    if (X < 0) continue;
    const ai = a % d.nx;
    const aj = (a - ai) / d.nx;
    const dirs: [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1]];
    const [di, dj] = rng.pick(dirs);
    const b = at(ai + di, aj + dj);
    if (b < 0) continue;
    const Y = commOf[b];
    if (Y < 0 || Y === X) continue;
    const [ti, tj] = [dj, di]; // along the border
    const len = rng.int(2, 4);
    const depth = rng.int(1, 2);
    const move: number[] = [];
    let ok = true;
    for (let s = 0; s < len && ok; s++) {
      if (commOf[at(ai + s * ti + di, aj + s * tj + dj)] !== Y) ok = false;
      for (let t = 0; t < depth && ok; t++) {
        const c = at(ai + s * ti - t * di, aj + s * tj - t * dj);
        if (c < 0 || commOf[c] !== X) ok = false;
        else move.push(c);
      }
    }
    if (!ok) continue;
    for (const c of move) commOf[c] = Y;
    const xs = cellsOf(X);
    const ys = cellsOf(Y);
    let valid = xs.length >= 22 && ys.length <= 84 && isSimpleRegion(d, commOf, X, xs) && isSimpleRegion(d, commOf, Y, ys);
    if (valid && streetOfComm[X] !== streetOfComm[Y]) {
      const lab = streetLabels();
      valid = streetOk(lab, streetOfComm[X]) && streetOk(lab, streetOfComm[Y]);
    }
    if (!valid) {
      for (const c of move) commOf[c] = X;
      continue;
    }
    comms[X] = xs;
    comms[Y] = ys;
    done++;
  }
}
