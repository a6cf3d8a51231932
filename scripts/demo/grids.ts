// Communities → base grids (基础网格) and dedicated grids (专属网格).
//
// A community's cells are split into base grids by recursive guillotine cuts. About half of
// the dedicated grids are carved out of the tiling (a block of whole cells on the community
// border that no base grid covers); the other half are rectangles drawn on top of one base
// grid, which stays unchanged. Grid numbers run west→east, north→south inside a community:
// base grids 001…, dedicated grids 901….
import type { DedicatedType } from '../../src/domain/types';
import type { Admin } from './admin';
import { readingOrder } from './admin';
import { cellCenter, cellQuad, isSimpleRegion, neighbours, type Lattice } from './lattice';
import { DEDICATED_NAMES, GIVEN_CHARS, SURNAMES } from './names';
import { rngFor, type Rng } from './rng';
import { bilinear, insideConvex, quadAxisU, rectCorners, type Rect } from './geom';
import { riverClearance, type River } from './water';

export type DedType = Exclude<DedicatedType, ''>;

export interface Grid {
  /** Index in the final list (code order). */
  index: number;
  code: string;
  name: string;
  kind: 'base' | 'dedicated';
  community: number;
  dedicatedType: DedicatedType;
  /** The grid's own band, or null to use the default 150–500. */
  band: [number, number] | null;
  village: boolean;
  /** Lattice cells (base grids and carved dedicated grids); empty for drawn-on-top grids. */
  cells: number[];
  /** Drawn-on-top dedicated grids: their rectangle (metric) and the base grid below. */
  rect: Rect | null;
  host: number; // index of the host base grid, -1 otherwise
  hostCell: number; // cell holding the rectangle, -1 otherwise
  institution: string; // dedicated grids: the school/hospital/... name
  gridHead: string;
  fullTime: string;
  partTime: string;
}

export interface GridLayout {
  grids: Grid[];
  /** cell → index of the grid (base or carved dedicated) tiling it. */
  gridOf: Int32Array;
}

const CARVED: DedType[] = ['school', 'school', 'school', 'hospital', 'hospital', 'market', 'market', 'enterprise', 'enterprise', 'park', 'park'];
const ON_TOP: DedType[] = ['school', 'school', 'school', 'hospital', 'hospital', 'market', 'market', 'enterprise', 'enterprise', 'enterprise', 'park'];

const BLOCKS: Record<DedType, [number, number][]> = {
  school: [[2, 1], [1, 2], [2, 2]],
  hospital: [[1, 1], [2, 1], [1, 2]],
  market: [[1, 1], [2, 1]],
  enterprise: [[2, 2], [3, 2], [2, 3]],
  park: [[2, 2], [2, 1], [1, 2]],
};

function guillotine(rng: Rng, nx: number, cells: number[], k: number): number[][] {
  if (k === 1) return [cells];
  const is = cells.map((c) => c % nx);
  const js = cells.map((c) => Math.floor(c / nx));
  const wi = Math.max(...is) - Math.min(...is) + 1;
  const wj = Math.max(...js) - Math.min(...js) + 1;
  let axis: 'i' | 'j' = wi > wj ? 'i' : wj > wi ? 'j' : rng.chance(0.5) ? 'i' : 'j';
  if (rng.chance(0.15)) axis = axis === 'i' ? 'j' : 'i';
  const co = axis === 'i' ? is : js;
  const k1 = rng.chance(0.5) ? Math.floor(k / 2) : Math.ceil(k / 2);
  const target = (cells.length * k1) / k;
  const lo = Math.min(...co);
  const hi = Math.max(...co);
  const opts: { t: number; err: number }[] = [];
  for (let t = lo + 1; t <= hi; t++) {
    const n = co.filter((x) => x < t).length;
    opts.push({ t, err: Math.abs(n - target) + rng.range(0, 1.5) });
  }
  if (!opts.length) throw new Error('guillotine: cannot cut');
  opts.sort((a, b) => a.err - b.err);
  const t = opts[0].t;
  const a = cells.filter((_, x) => co[x] < t);
  const b = cells.filter((_, x) => co[x] >= t);
  if (a.length < k1 || b.length < k - k1) throw new Error('guillotine: too small');
  return [...guillotine(rng, nx, a, k1), ...guillotine(rng, nx, b, k - k1)];
}

function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS) : rng.pick(GIVEN_CHARS);
  return rng.pick(SURNAMES) + given;
}

function staff(rng: Rng, n: number): string {
  const out: string[] = [];
  while (out.length < n) {
    const p = personName(rng);
    if (!out.includes(p)) out.push(p);
  }
  return out.join('、');
}

export function buildGrids(seed: number, admin: Admin, L: Lattice, river: River): GridLayout {
  const rng = rngFor(seed, 'grids');
  const d = admin.dims;
  const comms = admin.communities;
  const cellClear = (c: number) => riverClearance(river, cellCenter(L, c));
  // which communities get a carved dedicated grid
  const urban = rng.shuffle([...comms.keys()].filter((k) => !comms[k].village));
  const villages = rng.shuffle([...comms.keys()].filter((k) => comms[k].village && comms[k].cells.length >= 30));
  const riverside = (k: number) => comms[k].cells.some((c) => cellClear(c) < -0);
  const carvedAt = new Map<number, DedType>();
  for (const t of CARVED) {
    let pool: number[];
    if (t === 'enterprise') pool = villages.filter((k) => !carvedAt.has(k));
    else if (t === 'park') pool = urban.filter((k) => !carvedAt.has(k) && riverside(k));
    else pool = urban.filter((k) => !carvedAt.has(k) && !riverside(k));
    if (!pool.length) pool = urban.filter((k) => !carvedAt.has(k));
    carvedAt.set(pool[0], t);
  }

  interface Piece {
    community: number;
    cells: number[];
    dedicated: DedType | null;
  }
  const pieces: Piece[] = [];
  for (let k = 0; k < comms.length; k++) {
    const cm = comms[k];
    const n = cm.cells.length;
    const kBase = cm.village ? Math.min(6, Math.max(3, Math.round(n / 10))) : Math.min(12, Math.max(3, Math.round(n / 5.6)));
    const dt = carvedAt.get(k) ?? null;
    let done = false;
    for (let attempt = 0; attempt < 400 && !done; attempt++) {
      let block: number[] = [];
      if (dt) {
        const set = new Set(cm.cells);
        const cands: number[][] = [];
        for (const [w, h] of BLOCKS[dt]) {
          for (const c0 of cm.cells) {
            const i0 = c0 % d.nx;
            const j0 = (c0 - i0) / d.nx;
            if (i0 + w > d.nx || j0 + h > d.ny) continue;
            const b: number[] = [];
            for (let dj = 0; dj < h; dj++) for (let di = 0; di < w; di++) b.push((j0 + dj) * d.nx + i0 + di);
            if (!b.every((c) => set.has(c))) continue;
            const bset = new Set(b);
            const onBorder = b.some((c) => neighbours(d, c).length < 4 || neighbours(d, c).some((x) => !set.has(x) && !bset.has(x)));
            if (!onBorder) continue;
            if (dt === 'park' ? !b.some((c) => cellClear(c) < 0) : !b.every((c) => cellClear(c) > 130)) continue;
            cands.push(b);
          }
        }
        if (!cands.length) throw new Error(`no place for a carved ${dt} in ${cm.name}`);
        block = rng.pick(cands);
      }
      const bset = new Set(block);
      const rest = cm.cells.filter((c) => !bset.has(c));
      let parts: number[][];
      try {
        parts = guillotine(rng, d.nx, rest, kBase);
      } catch {
        continue;
      }
      const minCells = cm.village ? 5 : 2;
      if (parts.some((p) => p.length < minCells)) continue;
      const lab = new Int32Array(d.nx * d.ny).fill(-1);
      parts.forEach((p, x) => p.forEach((c) => (lab[c] = x)));
      block.forEach((c) => (lab[c] = parts.length));
      let ok = parts.every((p, x) => isSimpleRegion(d, lab, x, p));
      if (ok && block.length) ok = isSimpleRegion(d, lab, parts.length, block);
      if (!ok) continue;
      for (const p of parts) pieces.push({ community: k, cells: p.slice().sort((a, b) => a - b), dedicated: null });
      if (block.length) pieces.push({ community: k, cells: block.slice().sort((a, b) => a - b), dedicated: dt });
      done = true;
    }
    if (!done) throw new Error(`could not split ${cm.name} into grids`);
  }

  // drawn-on-top dedicated grids: a rectangle inside one cell of a base grid
  interface TopPlan {
    community: number;
    host: Piece;
    cell: number;
    rect: Rect;
    type: DedType;
  }
  const tops: TopPlan[] = [];
  const usedComm = new Set<number>();
  const onTopCommunities = rng.shuffle(urban.filter((k) => !carvedAt.has(k)));
  const extra = rng.shuffle(urban.filter((k) => carvedAt.has(k)));
  const commPool = [...onTopCommunities, ...extra];
  for (const t of ON_TOP) {
    let placed = false;
    for (const k of commPool) {
      if (usedComm.has(k)) continue;
      const hosts = pieces.filter((p) => p.community === k && !p.dedicated && p.cells.length >= 3);
      for (const host of rng.shuffle(hosts.slice())) {
        for (const c of rng.shuffle(host.cells.slice())) {
          if (cellClear(c) < 150) continue;
          const q = cellQuad(L, c);
          const v = rng.range(0.42, 0.58);
          const ctr = bilinear(q, rng.range(0.42, 0.58), v);
          const r: Rect = { c: ctr, ex: quadAxisU(q, v), a: rng.range(46, 64), b: rng.range(36, 50) };
          if (!insideConvex(q, rectCorners(r), 20)) continue;
          tops.push({ community: k, host, cell: c, rect: r, type: t });
          placed = true;
          break;
        }
        if (placed) break;
      }
      if (placed) {
        usedComm.add(k);
        break;
      }
    }
    if (!placed) throw new Error(`no place for an on-top ${t}`);
  }

  // codes, names, bands, staff — community by community
  const names = Object.fromEntries(
    (Object.keys(DEDICATED_NAMES) as DedType[]).map((t) => [t, rng.shuffle(DEDICATED_NAMES[t].slice())]),
  ) as Record<DedType, string[]>;
  const staffRng = rngFor(seed, 'staff');
  const grids: Grid[] = [];
  const gridOf = new Int32Array(d.nx * d.ny).fill(-1);
  const center = (cells: number[]): [number, number] => {
    let si = 0;
    let sj = 0;
    for (const c of cells) {
      si += (c % d.nx) + 0.5;
      sj += Math.floor(c / d.nx) + 0.5;
    }
    return [si / cells.length, sj / cells.length];
  };
  const cellPos = (c: number): [number, number] => [(c % d.nx) + 0.5, Math.floor(c / d.nx) + 0.5];
  for (let k = 0; k < comms.length; k++) {
    const cm = comms[k];
    const explicitBand = cm.village || rng.chance(0.55);
    const band: [number, number] | null = cm.village ? [300, 500] : explicitBand ? [150, 300] : null;
    const base = readingOrder(pieces.filter((p) => p.community === k && !p.dedicated), (p) => center(p.cells), d.ny, 3);
    const pieceIndex = new Map<Piece, number>();
    base.forEach((p, x) => {
      const index = grids.length;
      pieceIndex.set(p, index);
      grids.push({
        index,
        code: `${cm.code}${String(x + 1).padStart(3, '0')}`,
        name: `${cm.name}第${x + 1}网格`,
        kind: 'base',
        community: k,
        dedicatedType: '',
        band,
        village: cm.village,
        cells: p.cells,
        rect: null,
        host: -1,
        hostCell: -1,
        institution: '',
        gridHead: '',
        fullTime: '',
        partTime: '',
      });
      p.cells.forEach((c) => (gridOf[c] = index));
    });
    type Ded = { carved: Piece | null; top: TopPlan | null; pos: [number, number] };
    const ded: Ded[] = [
      ...pieces.filter((p) => p.community === k && p.dedicated).map((p) => ({ carved: p, top: null, pos: center(p.cells) })),
      ...tops.filter((t) => t.community === k).map((t) => ({ carved: null, top: t, pos: cellPos(t.cell) })),
    ];
    readingOrder(ded, (x) => x.pos, d.ny, 3).forEach((x, n) => {
      const index = grids.length;
      const type = (x.carved ? x.carved.dedicated : x.top!.type) as DedType;
      const inst = names[type].shift() ?? `${cm.name.replace(/(社区|村)$/, '')}${type}`;
      grids.push({
        index,
        code: `${cm.code}${String(901 + n)}`,
        name: `${inst}专属网格`,
        kind: 'dedicated',
        community: k,
        dedicatedType: type,
        band: null,
        village: cm.village,
        cells: x.carved ? x.carved.cells : [],
        rect: x.top ? x.top.rect : null,
        host: x.top ? pieceIndex.get(x.top.host)! : -1,
        hostCell: x.top ? x.top.cell : -1,
        institution: inst,
        gridHead: '',
        fullTime: '',
        partTime: '',
      });
      if (x.carved) x.carved.cells.forEach((c) => (gridOf[c] = index));
    });
  }
  for (const g of grids) {
    g.gridHead = staff(staffRng, 1);
    g.fullTime = staff(staffRng, g.kind === 'base' ? staffRng.int(1, 2) : 1);
    g.partTime = staff(staffRng, g.kind === 'base' ? staffRng.int(2, 4) : staffRng.int(1, 2));
  }
  for (const c of admin.districtCells) if (gridOf[c] < 0) throw new Error(`cell ${c} has no grid`);
  return { grids, gridOf };
}

