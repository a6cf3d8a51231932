// The jittered lattice every polygon is built from, and region tools on its cells.
//
// Cells are indexed c = j * nx + i (i east, j north); vertices v = j * (nx + 1) + i.
// A region is a set of cells with one label; its ring walks the lattice vertices along its
// border, every intermediate vertex included, so two regions that share a border share it
// segment for segment with identical coordinates.
import type { Rng } from './rng';
import { toLonLat, type XY } from './projection';
import { cross, sub } from './geom';

export interface Lattice {
  nx: number;
  ny: number;
  cell: number; // nominal cell size, m
  /** Vertex positions in the metric frame (unrounded). */
  x: Float64Array;
  y: Float64Array;
  /** Vertex positions in lon/lat, rounded to 7 decimals: the only coordinates written. */
  lon: Float64Array;
  lat: Float64Array;
}

export function vid(L: { nx: number }, i: number, j: number): number {
  return j * (L.nx + 1) + i;
}

export function vxy(L: Lattice, v: number): XY {
  return [L.x[v], L.y[v]];
}

/** Cell corners [P00, P10, P11, P01] counter-clockwise, metric. */
export function cellQuad(L: Lattice, c: number): XY[] {
  const i = c % L.nx;
  const j = (c - i) / L.nx;
  return [vxy(L, vid(L, i, j)), vxy(L, vid(L, i + 1, j)), vxy(L, vid(L, i + 1, j + 1)), vxy(L, vid(L, i, j + 1))];
}

export function cellCenter(L: Lattice, c: number): XY {
  const q = cellQuad(L, c);
  return [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];
}

/**
 * Lattice with gentle large-scale warp (roads bend a little) and per-vertex jitter. Vertices
 * on arterial lines are jittered only along the line, so arterial roads stay smooth.
 */
export function buildLattice(
  rng: Rng,
  nx: number,
  ny: number,
  cell: number,
  arterialI: ReadonlySet<number>,
  arterialJ: ReadonlySet<number>,
): Lattice {
  const nv = (nx + 1) * (ny + 1);
  const x = new Float64Array(nv);
  const y = new Float64Array(nv);
  const lon = new Float64Array(nv);
  const lat = new Float64Array(nv);
  const phX = rng.range(0, 2 * Math.PI);
  const phY = rng.range(0, 2 * Math.PI);
  const ampX = 38;
  const ampY = 32;
  const lamX = 4200;
  const lamY = 3700;
  const jit = 0.085 * cell;
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const bx = i * cell;
      const by = j * cell;
      // vertical lines sway east–west along their length, horizontal lines north–south
      const wx = ampX * Math.sin((2 * Math.PI * by) / lamX + phX + 0.35 * i);
      const wy = ampY * Math.sin((2 * Math.PI * bx) / lamY + phY + 0.3 * j);
      const jx = arterialI.has(i) ? rng.range(-1.5, 1.5) : rng.range(-jit, jit);
      const jy = arterialJ.has(j) ? rng.range(-1.5, 1.5) : rng.range(-jit, jit);
      const v = vid({ nx }, i, j);
      x[v] = bx + wx + jx;
      y[v] = by + wy + jy;
      const ll = toLonLat([x[v], y[v]]);
      lon[v] = ll[0];
      lat[v] = ll[1];
    }
  }
  const L: Lattice = { nx, ny, cell, x, y, lon, lat };
  // every cell must be a strictly convex quad (buildings are placed with convex tests)
  for (let c = 0; c < nx * ny; c++) {
    const q = cellQuad(L, c);
    for (let k = 0; k < 4; k++) {
      const a = q[k];
      const b = q[(k + 1) % 4];
      const d = q[(k + 2) % 4];
      if (cross(sub(b, a), sub(d, b)) <= 0) throw new Error(`lattice cell ${c} is not convex`);
    }
  }
  return L;
}

// ---------------------------------------------------------------- regions on cell labels

export interface Dims {
  nx: number;
  ny: number;
}

/** 4-neighbours of cell c inside the lattice (bottom, right, top, left). */
export function neighbours(d: Dims, c: number): number[] {
  const i = c % d.nx;
  const j = (c - i) / d.nx;
  const out: number[] = [];
  if (j > 0) out.push(c - d.nx);
  if (i < d.nx - 1) out.push(c + 1);
  if (j < d.ny - 1) out.push(c + d.nx);
  if (i > 0) out.push(c - 1);
  return out;
}

function labelAt(d: Dims, labels: Int32Array, i: number, j: number): number {
  if (i < 0 || j < 0 || i >= d.nx || j >= d.ny) return -1;
  return labels[j * d.nx + i];
}

export interface Trace {
  /** Boundary loops as vertex ids (not closed); the first is the one through the lowest vertex. */
  loops: number[][];
  /** A vertex with two outgoing border edges (region touches itself at a corner). */
  pinch: boolean;
}

/** Border loops of the cells with `label` (the region lies on the left of each edge). */
export function traceRegion(d: Dims, labels: Int32Array, label: number, cells: readonly number[]): Trace {
  const next = new Map<number, number>();
  let pinch = false;
  const W = d.nx + 1;
  const addEdge = (a: number, b: number) => {
    if (next.has(a)) pinch = true;
    else next.set(a, b);
  };
  for (const c of cells) {
    const i = c % d.nx;
    const j = (c - i) / d.nx;
    const v00 = j * W + i;
    const v10 = v00 + 1;
    const v01 = v00 + W;
    const v11 = v01 + 1;
    if (labelAt(d, labels, i, j - 1) !== label) addEdge(v00, v10);
    if (labelAt(d, labels, i + 1, j) !== label) addEdge(v10, v11);
    if (labelAt(d, labels, i, j + 1) !== label) addEdge(v11, v01);
    if (labelAt(d, labels, i - 1, j) !== label) addEdge(v01, v00);
  }
  const starts = [...next.keys()].sort((a, b) => a - b);
  const seen = new Set<number>();
  const loops: number[][] = [];
  for (const s of starts) {
    if (seen.has(s)) continue;
    const loop: number[] = [];
    let v = s;
    while (!seen.has(v)) {
      seen.add(v);
      loop.push(v);
      const n = next.get(v);
      if (n === undefined) throw new Error('traceRegion: open border');
      v = n;
    }
    loops.push(loop);
  }
  return { loops, pinch };
}

export function isConnected(d: Dims, labels: Int32Array, label: number, cells: readonly number[]): boolean {
  if (cells.length === 0) return false;
  const seen = new Set<number>([cells[0]]);
  const stack = [cells[0]];
  while (stack.length) {
    const c = stack.pop()!;
    for (const n of neighbours(d, c)) {
      if (labels[n] === label && !seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen.size === cells.length;
}

/** One piece, no hole, no corner pinch: its border is one simple ring. */
export function isSimpleRegion(d: Dims, labels: Int32Array, label: number, cells: readonly number[]): boolean {
  if (!isConnected(d, labels, label, cells)) return false;
  const t = traceRegion(d, labels, label, cells);
  return !t.pinch && t.loops.length === 1;
}

export function cellsByLabel(labels: Int32Array, count: number): number[][] {
  const out: number[][] = Array.from({ length: count }, () => []);
  for (let c = 0; c < labels.length; c++) if (labels[c] >= 0) out[labels[c]].push(c);
  return out;
}

/** Ring coordinates (lon/lat, closed) of a traced loop. */
export function loopLonLat(L: Lattice, loop: readonly number[]): [number, number][] {
  const ring: [number, number][] = loop.map((v) => [L.lon[v], L.lat[v]]);
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

// ---------------------------------------------------------------- district outline

/**
 * Cells of the district: a rounded, irregular blob (superellipse with a wobbling radius and
 * a few notches bitten out of its edges), cleaned until it is one simple region.
 */
export function buildMask(rng: Rng, d: Dims): Int32Array {
  const mask = new Int32Array(d.nx * d.ny).fill(-1);
  const ph = [rng.range(0, 6.3), rng.range(0, 6.3), rng.range(0, 6.3), rng.range(0, 6.3)];
  const notches: { u: number; v: number; r: number }[] = [];
  for (let k = 0; k < 7; k++) {
    const t = rng.range(0, 2 * Math.PI);
    notches.push({ u: 1.02 * Math.cos(t), v: 1.02 * Math.sin(t), r: rng.range(0.09, 0.17) });
  }
  for (let j = 0; j < d.ny; j++) {
    for (let i = 0; i < d.nx; i++) {
      const u = ((i + 0.5) / d.nx) * 2 - 1;
      const v = ((j + 0.5) / d.ny) * 2 - 1;
      const th = Math.atan2(v, u);
      const r = Math.pow(Math.pow(Math.abs(u), 3.2) + Math.pow(Math.abs(v), 3.2), 1 / 3.2);
      const R =
        0.975 +
        0.045 * Math.sin(2 * th + ph[0]) +
        0.035 * Math.sin(3 * th + ph[1]) +
        0.03 * Math.sin(5 * th + ph[2]) +
        0.02 * Math.sin(9 * th + ph[3]);
      let inside = r <= R;
      for (const n of notches) if (Math.hypot(u - n.u, v - n.v) < n.r) inside = false;
      if (inside) mask[j * d.nx + i] = 0;
    }
  }
  cleanMask(d, mask);
  return mask;
}

function cleanMask(d: Dims, mask: Int32Array): void {
  for (let round = 0; round < 50; round++) {
    let changed = false;
    // keep the largest piece
    const comp = new Int32Array(mask.length).fill(-1);
    let best = -1;
    let bestSize = 0;
    let nComp = 0;
    for (let c = 0; c < mask.length; c++) {
      if (mask[c] !== 0 || comp[c] >= 0) continue;
      const stack = [c];
      comp[c] = nComp;
      let size = 0;
      while (stack.length) {
        const x = stack.pop()!;
        size++;
        for (const n of neighbours(d, x)) if (mask[n] === 0 && comp[n] < 0) {
          comp[n] = nComp;
          stack.push(n);
        }
      }
      if (size > bestSize) {
        bestSize = size;
        best = nComp;
      }
      nComp++;
    }
    for (let c = 0; c < mask.length; c++) if (mask[c] === 0 && comp[c] !== best) {
      mask[c] = -1;
      changed = true;
    }
    // fill holes: empty cells that cannot reach the lattice edge through empty cells
    const outside = new Uint8Array(mask.length);
    const stack: number[] = [];
    for (let c = 0; c < mask.length; c++) {
      const i = c % d.nx;
      const j = (c - i) / d.nx;
      if (mask[c] !== 0 && (i === 0 || j === 0 || i === d.nx - 1 || j === d.ny - 1)) {
        outside[c] = 1;
        stack.push(c);
      }
    }
    while (stack.length) {
      const x = stack.pop()!;
      for (const n of neighbours(d, x)) if (mask[n] !== 0 && !outside[n]) {
        outside[n] = 1;
        stack.push(n);
      }
    }
    for (let c = 0; c < mask.length; c++) if (mask[c] !== 0 && !outside[c]) {
      mask[c] = 0;
      changed = true;
    }
    // spurs: cells with at most one neighbour in the district
    for (let c = 0; c < mask.length; c++) {
      if (mask[c] !== 0) continue;
      const k = neighbours(d, c).filter((n) => mask[n] === 0).length;
      if (k <= 1) {
        mask[c] = -1;
        changed = true;
      }
    }
    // corner pinches: fill one of the two empty cells of a checkerboard 2x2
    for (let j = 0; j < d.ny - 1; j++) {
      for (let i = 0; i < d.nx - 1; i++) {
        const a = mask[j * d.nx + i] === 0;
        const b = mask[j * d.nx + i + 1] === 0;
        const c = mask[(j + 1) * d.nx + i] === 0;
        const e = mask[(j + 1) * d.nx + i + 1] === 0;
        if (a && e && !b && !c) {
          mask[j * d.nx + i + 1] = 0;
          changed = true;
        } else if (b && c && !a && !e) {
          mask[j * d.nx + i] = 0;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const cells: number[] = [];
  for (let c = 0; c < mask.length; c++) if (mask[c] === 0) cells.push(c);
  if (!isSimpleRegion(d, mask, 0, cells)) throw new Error('district mask is not a simple region');
}
