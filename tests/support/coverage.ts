// Random coverages shaped like real ones, for the land rule's property tests: a jittered
// lattice of cells whose shared edges wiggle through a few extra vertices (neighbours hold
// them identically), coordinates rounded to 1e-7° as exports are, and planted defects —
// cells deleted, one grid's corner moved so it opens a gap or overlaps its neighbours, the
// outer edge pushed over or short of the boundary. The boundary is the lattice's outline,
// either with only its four corners (its vertices miss the grid edges) or with every grid
// vertex along it.
import seedrandom from 'seedrandom';
import type { Position } from 'geojson';
import type { LandMember } from '../../src/checks/land';
import { checkArea } from '../../src/checks/repair';

export interface CoverageOptions {
  cols: number;
  rows: number;
  boundary: 'corners' | 'noded' | 'none';
  /** defects only away from the outer edge (so a run without a boundary can see all of them) */
  interiorOnly?: boolean;
}

export interface Coverage {
  region: { type: 'Polygon'; coordinates: Position[][] } | null;
  /** the lattice's outline, whatever the boundary option */
  outline: Position[];
  members: LandMember[];
}

const r7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function randomCoverage(seed: number, o: CoverageOptions): Coverage {
  const rnd = seedrandom(`coverage-${seed}`);
  const X0 = 119.1, Y0 = 36.7, D = 0.002;
  const onEdge = (i: number, j: number) => i === 0 || j === 0 || i === o.cols || j === o.rows;
  const V: Position[][] = [];
  for (let i = 0; i <= o.cols; i++) {
    V.push([]);
    for (let j = 0; j <= o.rows; j++) {
      // Outline vertices slide along the outline only, so it stays a rectangle.
      const jx = i === 0 || i === o.cols ? 0 : (rnd() - 0.5) * D * 0.4;
      const jy = j === 0 || j === o.rows ? 0 : (rnd() - 0.5) * D * 0.4;
      V[i].push([r7(X0 + i * D + jx), r7(Y0 + j * D + jy)]);
    }
  }
  // Intermediate vertices of each lattice edge, the same for both cells along it.
  const between = new Map<string, Position[]>();
  const edgePoints = (a: [number, number], b: [number, number]): Position[] => {
    const fwd = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const key = fwd ? `${a}|${b}` : `${b}|${a}`;
    let pts = between.get(key);
    if (!pts) {
      const [p, q] = fwd ? [V[a[0]][a[1]], V[b[0]][b[1]]] : [V[b[0]][b[1]], V[a[0]][a[1]]];
      const outline = onEdge(...a) && onEdge(...b) && (a[0] === b[0] || a[1] === b[1]) && (a[0] % o.cols === 0 || a[1] % o.rows === 0);
      const k = Math.floor(rnd() * 4);
      pts = [];
      for (let s = 1; s <= k; s++) {
        const t = s / (k + 1);
        const wob = outline ? 0 : (rnd() - 0.5) * D * 0.08;
        // Across the edge for wiggle; outline points stay on the straight outline.
        const dx = q[0] - p[0], dy = q[1] - p[1], len = Math.hypot(dx, dy);
        pts.push([r7(p[0] + t * dx - (dy / len) * wob), r7(p[1] + t * dy + (dx / len) * wob)]);
      }
      between.set(key, pts);
    }
    return fwd ? pts : [...pts].reverse();
  };
  const cellRing = (i: number, j: number): Position[] => {
    const corners: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
    const ring: Position[] = [];
    corners.forEach((c, k) => {
      ring.push([...V[c[0]][c[1]]]);
      ring.push(...edgePoints(c, corners[(k + 1) % 4]).map((p) => [...p]));
    });
    ring.push([...ring[0]]);
    return ring;
  };
  const members: LandMember[] = [];
  const cells: { i: number; j: number; ring: Position[] }[] = [];
  for (let j = o.rows - 1; j >= 0; j--) for (let i = 0; i < o.cols; i++) cells.push({ i, j, ring: cellRing(i, j) });

  // Planted defects.
  const interior = (c: { i: number; j: number }) => c.i > 0 && c.j > 0 && c.i < o.cols - 1 && c.j < o.rows - 1;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const deleted = new Set<number>();
  const nDelete = Math.floor(rnd() * 2);
  for (let k = 0; k < nDelete; k++) {
    const choices = cells.map((_, n) => n).filter((n) => !o.interiorOnly || interior(cells[n]));
    if (choices.length) deleted.add(pick(choices));
  }
  const nMove = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < nMove; k++) {
    const n = pick(cells.map((_, m) => m).filter((m) => !deleted.has(m) && (!o.interiorOnly || interior(cells[m]))));
    if (n === undefined) break;
    const ring = cells[n].ring;
    // Move one of its four lattice corners (the vertices that are not edge points).
    const cornerIdx: number[] = [];
    const corners = [[cells[n].i, cells[n].j], [cells[n].i + 1, cells[n].j], [cells[n].i + 1, cells[n].j + 1], [cells[n].i, cells[n].j + 1]];
    ring.forEach((p, q) => { if (q < ring.length - 1 && corners.some(([a, b]) => V[a][b][0] === p[0] && V[a][b][1] === p[1])) cornerIdx.push(q); });
    const q = pick(cornerIdx);
    const moved = ring.map((p) => [...p]);
    moved[q] = [r7(ring[q][0] + (rnd() - 0.5) * D * 0.5), r7(ring[q][1] + (rnd() - 0.5) * D * 0.5)];
    if (q === 0) moved[moved.length - 1] = [...moved[0]];
    if (!checkArea({ type: 'Polygon', coordinates: [moved] })) cells[n].ring = moved; // a move that twists the ring is not planted
  }
  cells.forEach((c, n) => {
    if (deleted.has(n)) return;
    const code = `370705001001${String(n + 1).padStart(3, '0')}`;
    members.push({ grid: members.length, code, kind: 'base', geometry: { type: 'Polygon', coordinates: [c.ring] } });
  });

  // The outline: every vertex along the lattice's outside, counter-clockwise.
  const outline: Position[] = [];
  const walk: [number, number][] = [];
  for (let i = 0; i < o.cols; i++) walk.push([i, 0]);
  for (let j = 0; j < o.rows; j++) walk.push([o.cols, j]);
  for (let i = o.cols; i > 0; i--) walk.push([i, o.rows]);
  for (let j = o.rows; j > 0; j--) walk.push([0, j]);
  walk.forEach((c, k) => {
    outline.push([...V[c[0]][c[1]]]);
    outline.push(...edgePoints(c, walk[(k + 1) % walk.length]));
  });
  outline.push([...outline[0]]);
  const corners: Position[] = [V[0][0], V[o.cols][0], V[o.cols][o.rows], V[0][o.rows], V[0][0]].map((p) => [...p]);
  const region = o.boundary === 'none' ? null : { type: 'Polygon' as const, coordinates: [o.boundary === 'corners' ? corners : outline] };
  return { region, outline, members };
}
