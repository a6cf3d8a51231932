// Roads (base map only): arterials along the superblock lines, secondary roads along the
// lines that split large superblocks, and a few local lanes along base-grid borders.
import type { RoadProps } from '../../src/domain/types';
import type { Admin } from './admin';
import type { GridLayout } from './grids';
import { vid, type Lattice } from './lattice';
import { EW_ROADS, LOCAL_ROADS, NS_ROADS, SECONDARY_ROADS } from './names';
import { rngFor } from './rng';

export interface Road {
  name: string;
  class: RoadProps['class'];
  axis: 'i' | 'j';
  at: number;
  /** Vertex ids along the road. */
  path: number[];
}

export interface RoadNet {
  roads: Road[];
  /** Name of the arterial nearest to a cell, and a house number on it. */
  addressFor(cell: number, salt: number): string;
}

/** Runs of consecutive included segments along a lattice line. */
function runs(count: number, include: (k: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let k = 0; k <= count; k++) {
    const inc = k < count && include(k);
    if (inc && start < 0) start = k;
    if (!inc && start >= 0) {
      out.push([start, k]);
      start = -1;
    }
  }
  return out;
}

/** `riverI`: where the river runs, in cell units; the arterial nearest it is 虞河路. */
export function buildRoads(seed: number, admin: Admin, L: Lattice, layout: GridLayout, riverI: number): RoadNet {
  const rng = rngFor(seed, 'roads');
  const { nx, ny } = admin.dims;
  const inD = (i: number, j: number) => i >= 0 && j >= 0 && i < nx && j < ny && admin.mask[j * nx + i] === 0;
  const roads: Road[] = [];
  const nsName = new Map<number, string>();
  const ewName = new Map<number, string>();
  const byRiver = admin.arterialI.reduce((best, a) => (Math.abs(a - riverI) < Math.abs(best - riverI) ? a : best));
  const nsNames = NS_ROADS.filter((n) => n !== '虞河路');
  admin.arterialI.forEach((a) => nsName.set(a, a === byRiver ? '虞河路' : nsNames.shift()!));
  [...admin.arterialJ].sort((x, y) => y - x).forEach((b, k) => ewName.set(b, EW_ROADS[k]));
  for (const a of admin.arterialI) {
    for (const [s, e] of runs(ny, (j) => inD(a - 1, j) || inD(a, j))) {
      const path: number[] = [];
      for (let j = e; j >= s; j--) path.push(vid(L, a, j)); // north to south
      roads.push({ name: nsName.get(a)!, class: 'arterial', axis: 'i', at: a, path });
    }
  }
  for (const b of [...admin.arterialJ].sort((x, y) => y - x)) {
    for (const [s, e] of runs(nx, (i) => inD(i, b - 1) || inD(i, b))) {
      const path: number[] = [];
      for (let i = s; i <= e; i++) path.push(vid(L, i, b)); // west to east
      roads.push({ name: ewName.get(b)!, class: 'arterial', axis: 'j', at: b, path });
    }
  }
  // north–south roads are 路, east–west ones 街
  const secNames = {
    i: SECONDARY_ROADS.filter((n) => n.endsWith('路')),
    j: SECONDARY_ROADS.filter((n) => n.endsWith('街')),
  };
  const secUsed = { i: 0, j: 0 };
  const secondaryName = (axis: 'i' | 'j') => secNames[axis][secUsed[axis]++ % secNames[axis].length];
  admin.splits.forEach((sp) => {
    const name = secondaryName(sp.axis);
    for (const [s, e] of sp.runs) {
      const path: number[] = [];
      if (sp.axis === 'i') for (let j = e; j >= s; j--) path.push(vid(L, sp.at, j));
      else for (let i = s; i <= e; i++) path.push(vid(L, i, sp.at));
      roads.push({ name, class: 'secondary', axis: sp.axis, at: sp.at, path });
    }
  });
  const commAt = (i: number, j: number) => (i >= 0 && j >= 0 && i < nx && j < ny ? admin.commOf[j * nx + i] : -1);
  // local lanes: straight borders between two base grids of one urban community
  const gridAt = (i: number, j: number) => (i >= 0 && j >= 0 && i < nx && j < ny ? layout.gridOf[j * nx + i] : -1);
  const isBase = (g: number) => g >= 0 && layout.grids[g].kind === 'base';
  const arterialI = new Set(admin.arterialI);
  const arterialJ = new Set(admin.arterialJ);
  const cands: { axis: 'i' | 'j'; at: number; s: number; e: number; comm: number }[] = [];
  for (let a = 1; a < nx; a++) {
    if (arterialI.has(a)) continue;
    const ok = (j: number) => {
      const x = gridAt(a - 1, j);
      const y = gridAt(a, j);
      return isBase(x) && isBase(y) && x !== y && commAt(a - 1, j) === commAt(a, j) && !admin.communities[commAt(a, j)].village;
    };
    for (const [s, e] of runs(ny, ok)) if (e - s >= 3) cands.push({ axis: 'i', at: a, s, e, comm: commAt(a, s) });
  }
  for (let b = 1; b < ny; b++) {
    if (arterialJ.has(b)) continue;
    const ok = (i: number) => {
      const x = gridAt(i, b - 1);
      const y = gridAt(i, b);
      return isBase(x) && isBase(y) && x !== y && commAt(i, b - 1) === commAt(i, b) && !admin.communities[commAt(i, b)].village;
    };
    for (const [s, e] of runs(nx, ok)) if (e - s >= 3) cands.push({ axis: 'j', at: b, s, e, comm: commAt(s, b) });
  }
  const usedComm = new Set<number>();
  let lane = 0;
  let secondary = admin.splits.length;
  for (const c of rng.shuffle(cands)) {
    if (usedComm.has(c.comm) || lane >= LOCAL_ROADS.length) continue;
    usedComm.add(c.comm);
    const path: number[] = [];
    if (c.axis === 'i') for (let j = c.e; j >= c.s; j--) path.push(vid(L, c.at, j));
    else for (let i = c.s; i <= c.e; i++) path.push(vid(L, i, c.at));
    // the longer ones are secondary roads (支路), the rest lanes (巷)
    if (c.e - c.s >= 5 && secondary < 8) {
      secondary++;
      roads.push({ name: secondaryName(c.axis), class: 'secondary', axis: c.axis, at: c.at, path });
    } else roads.push({ name: LOCAL_ROADS[lane++], class: 'local', axis: c.axis, at: c.at, path });
  }

  const addrRng = rngFor(seed, 'addresses');
  const addressFor = (cell: number, salt: number) => {
    const i = cell % nx;
    const j = (cell - i) / nx;
    let best = { d: Infinity, name: '', along: 0, side: 0 };
    for (const a of admin.arterialI) {
      const dd = Math.abs(i + 0.5 - a);
      if (dd < best.d) best = { d: dd, name: nsName.get(a)!, along: ny - j, side: i + 0.5 < a ? 1 : 0 };
    }
    for (const b of admin.arterialJ) {
      const dd = Math.abs(j + 0.5 - b);
      if (dd < best.d) best = { d: dd, name: ewName.get(b)!, along: i + 1, side: j + 0.5 < b ? 1 : 0 };
    }
    const num = 2 * (best.along * 4 + ((salt + addrRng.int(0, 3)) % 4)) + (best.side ? 1 : 2);
    return `${best.name}${num}号`;
  };
  return { roads, addressFor };
}
