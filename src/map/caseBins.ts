// Zoomed out, cases are binned: square cells about CELL_PX screen pixels wide at the current
// zoom, each drawn as one circle with its count, red when any case in it is overdue. One
// pass over the shown cases (a hash of cell keys), so 400,000 cases bin in milliseconds.
import { CaseStatus } from '../domain/cases';
import type { PointSubset } from './layers';

const CELL_PX = 56;

export interface CaseBins {
  count: number;
  /** mean position of the cases in each bin */
  positions: Float64Array;
  counts: Uint32Array;
  /** how many of them are overdue */
  overdue: Uint32Array;
  /** each bin's bounding box: w, s, e, n (to zoom into it) */
  bounds: Float64Array;
}

export function binCases(shown: PointSubset, status: Uint8Array, zoom: number): CaseBins {
  const lonCell = (CELL_PX * 360) / (256 * 2 ** Math.floor(zoom));
  const n = shown.index.length;
  // Latitude cells shrink with the Mercator stretch: square on screen near the data's middle.
  let midLat = 0;
  for (let k = 0; k < n; k++) midLat += shown.positions[2 * k + 1] / n;
  const latCell = lonCell * Math.cos((midLat * Math.PI) / 180);
  const binOf = new Map<number, number>();
  const sx: number[] = [], sy: number[] = [], counts: number[] = [], overdue: number[] = [], bounds: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = shown.positions[2 * k], y = shown.positions[2 * k + 1];
    const key = Math.floor(x / lonCell) * 1e6 + Math.floor(y / latCell);
    let b = binOf.get(key);
    if (b === undefined) {
      b = counts.length;
      binOf.set(key, b);
      sx.push(0); sy.push(0); counts.push(0); overdue.push(0); bounds.push(x, y, x, y);
    }
    sx[b] += x; sy[b] += y; counts[b]++;
    if (status[shown.index[k]] === CaseStatus.overdue) overdue[b]++;
    bounds[4 * b] = Math.min(bounds[4 * b], x); bounds[4 * b + 1] = Math.min(bounds[4 * b + 1], y);
    bounds[4 * b + 2] = Math.max(bounds[4 * b + 2], x); bounds[4 * b + 3] = Math.max(bounds[4 * b + 3], y);
  }
  const positions = new Float64Array(counts.length * 2);
  counts.forEach((c, b) => { positions[2 * b] = sx[b] / c; positions[2 * b + 1] = sy[b] / c; });
  return { count: counts.length, positions, counts: Uint32Array.from(counts), overdue: Uint32Array.from(overdue), bounds: Float64Array.from(bounds) };
}
