// The scores of a plan, as redistricting tools report them (Dave's Redistricting App): per
// grid Polsby-Popper (4πA / P²) and Reock (A / the area of the smallest circle around it),
// and for a set of grids the ideal size, the largest deviation from it and the share in band.
import type { AreaGeometry } from '../domain/types';
import { rings } from './topology';

const M_PER_DEG = 111_320;

/** Vertices in metres around the geometry's first vertex (a local equirectangular projection). */
function local(g: AreaGeometry): { rings: [number, number][][] } {
  const all = rings(g);
  const [x0, y0] = all[0][0];
  const k = Math.cos((y0 * Math.PI) / 180);
  return { rings: all.map((r) => r.map((p) => [(p[0] - x0) * M_PER_DEG * k, (p[1] - y0) * M_PER_DEG] as [number, number])) };
}

/** Area in the same local metres as the perimeter and the circle (a ratio of like with like): shells less holes. */
function localArea(g: AreaGeometry): number {
  const { rings: rs } = local(g);
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let k = 0, total = 0;
  for (const poly of polys) {
    poly.forEach((_, r) => {
      const ring = rs[k++];
      let a = 0;
      for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
      total += (r === 0 ? 1 : -1) * Math.abs(a / 2);
    });
  }
  return total;
}

export function polsbyPopper(g: AreaGeometry): number {
  const { rings: rs } = local(g);
  let perimeter = 0;
  for (const r of rs) for (let i = 0; i + 1 < r.length; i++) perimeter += Math.hypot(r[i + 1][0] - r[i][0], r[i + 1][1] - r[i][1]);
  return perimeter > 0 ? (4 * Math.PI * localArea(g)) / (perimeter * perimeter) : 0;
}

export function reock(g: AreaGeometry): number {
  // the circle round every part (a grid in two pieces, a tiny first one, is not the tiny one)
  const all = local(g).rings.flat();
  // a fixed stride through the points (a prime not dividing their count): Welzl's algorithm
  // wants them in no particular order, and a ring's own order is its worst case
  const stride = [7919, 7907, 7901].find((q) => all.length % q !== 0) ?? 1;
  const pts = all.map((_, i) => all[(i * stride) % all.length]);
  const c = enclosingCircle(pts);
  return c.r > 0 ? localArea(g) / (Math.PI * c.r * c.r) : 0;
}

/** The smallest circle around the points (Welzl's algorithm, iterative; points in a fixed order). */
function enclosingCircle(points: [number, number][]): { x: number; y: number; r: number } {
  const inside = (c: { x: number; y: number; r: number }, p: [number, number]) => Math.hypot(p[0] - c.x, p[1] - c.y) <= c.r * (1 + 1e-12) + 1e-9;
  const two = (a: [number, number], b: [number, number]) => ({ x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2, r: Math.hypot(a[0] - b[0], a[1] - b[1]) / 2 });
  const three = (a: [number, number], b: [number, number], c: [number, number]) => {
    const d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]));
    if (d === 0) return two(a, c);
    const sa = a[0] ** 2 + a[1] ** 2, sb = b[0] ** 2 + b[1] ** 2, sc = c[0] ** 2 + c[1] ** 2;
    const x = (sa * (b[1] - c[1]) + sb * (c[1] - a[1]) + sc * (a[1] - b[1])) / d;
    const y = (sa * (c[0] - b[0]) + sb * (a[0] - c[0]) + sc * (b[0] - a[0])) / d;
    return { x, y, r: Math.hypot(a[0] - x, a[1] - y) };
  };
  let c = { x: 0, y: 0, r: -1 };
  for (let i = 0; i < points.length; i++) {
    if (c.r >= 0 && inside(c, points[i])) continue;
    c = { x: points[i][0], y: points[i][1], r: 0 };
    for (let j = 0; j < i; j++) {
      if (inside(c, points[j])) continue;
      c = two(points[i], points[j]);
      for (let k = 0; k < j; k++) if (!inside(c, points[k])) c = three(points[i], points[j], points[k]);
    }
  }
  return c;
}

export interface PlanScores {
  grids: number;
  households: number;
  ideal: number;
  /** largest |households − ideal| / ideal */
  largestDeviation: number;
  inBand: number;
  meanPolsbyPopper: number;
  worstPolsbyPopper: number;
  meanReock: number;
  /** households and buildings a proposal moves to another grid */
  movedHouseholds: number;
  movedBuildings: number;
}

export function planScores(grids: { geometry: AreaGeometry; households: number; band: [number, number] | null }[], moved = { households: 0, buildings: 0 }): PlanScores {
  const n = grids.length;
  const households = grids.reduce((s, g) => s + g.households, 0);
  const ideal = n ? households / n : 0;
  const pp = grids.map((g) => polsbyPopper(g.geometry));
  const rk = grids.map((g) => reock(g.geometry));
  return {
    grids: n, households, ideal,
    largestDeviation: ideal > 0 ? Math.max(...grids.map((g) => Math.abs(g.households - ideal) / ideal)) : 0,
    inBand: grids.filter((g) => g.band && g.households >= g.band[0] && g.households <= g.band[1]).length,
    meanPolsbyPopper: n ? pp.reduce((a, b) => a + b, 0) / n : 0,
    worstPolsbyPopper: n ? Math.min(...pp) : 0,
    meanReock: n ? rk.reduce((a, b) => a + b, 0) / n : 0,
    movedHouseholds: moved.households, movedBuildings: moved.buildings,
  };
}
