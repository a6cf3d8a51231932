// A district on a detailed coastline, for the land rule at real-outline scale: a lattice of
// grids whose top row follows a fractal coast of ~100,000+ vertices (the grids' corners on the
// coast fall between its vertices, as real grid layers do), with planted defects whose
// findings are known in advance — cells deleted (gaps), one grid's corner pushed out into
// three neighbours (overlaps) or pulled in (gaps), top-row grids pushed out to sea (spill).
// Expected areas come from GeographicLib. `coarse` makes the top row follow only every
// 100th coast vertex, so the whole coast is unmatched (a benchmark case, no expectations).
// Used by tests/unit/land-coast.test.ts and the benchmark; `npx tsx scripts/fixtures/write-coast.mts`
// writes it as GeoJSON to look at.
import seedrandom from 'seedrandom';
import geographiclib from 'geographiclib-geodesic';
import type { Position } from 'geojson';
import type { LandMember } from '../../src/checks/land';

export interface CoastOptions {
  cols: number;
  rows: number;
  coastVertices: number;
  seed?: number;
  /** follow only every 100th coast vertex in the top row (no planted defects) */
  coarse?: boolean;
}

export interface Planted {
  what: string;
  kind: 'gap' | 'overlap' | 'spill';
  /** for gaps and spill the ids of the one finding; for overlaps the pairs, one finding each */
  findings: string[][];
  area_m2: number;
}

export interface CoastCase {
  region: { type: 'Polygon'; coordinates: Position[][] };
  members: LandMember[];
  planted: Planted[];
}

const r7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function geodesicArea(ring: Position[]): number {
  const p = geographiclib.Geodesic.WGS84.Polygon(false);
  for (const q of ring.slice(0, -1)) p.AddPoint(q[1]!, q[0]!);
  return Math.abs(p.Compute(false, true).area!);
}

export function coastCase(o: CoastOptions): CoastCase {
  const rnd = seedrandom(`coast-${o.seed ?? 1}`);
  const X0 = 121.0, Y0 = 28.0, D = 0.004;
  const X1 = X0 + o.cols * D;
  const yTop = Y0 + o.rows * D; // the top of the last full row; the coast runs above it
  // The coast: a sum of waves plus a smoothed random walk, x-monotone, between yTop + D/4 and yTop + D.
  const n = o.coastVertices;
  const cx = new Float64Array(n), cy = new Float64Array(n);
  const waves = Array.from({ length: 6 }, (_, k) => ({ a: D * 0.12 / (k + 1), f: (2 + 5 * k * k) * Math.PI / (X1 - X0), p: rnd() * 6.28 }));
  let walk = 0;
  for (let i = 0; i < n; i++) {
    const x = i === 0 ? X0 : i === n - 1 ? X1 : X0 + ((i + (rnd() - 0.5) * 0.8) / (n - 1)) * (X1 - X0);
    walk = walk * 0.98 + (rnd() - 0.5) * D * 0.01;
    let y = yTop + D * 0.6 + walk;
    for (const w of waves) y += w.a * Math.sin(w.f * (x - X0) + w.p);
    cx[i] = r7(x);
    cy[i] = r7(Math.min(yTop + D * 0.98, Math.max(yTop + D * 0.25, y)));
  }
  const coastAt = (x: number) => {
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) { const m = (lo + hi) >> 1; if (cx[m] <= x) lo = m; else hi = m; }
    const t = (x - cx[lo]) / (cx[hi] - cx[lo]);
    return cy[lo] + t * (cy[hi] - cy[lo]);
  };
  const regionRing: Position[] = [[X0, Y0], [X1, Y0]];
  for (let i = n - 1; i >= 0; i--) regionRing.push([cx[i], cy[i]]);
  regionRing.push([X0, Y0]);

  // The lattice: jittered column lines and row lines.
  const xs = Array.from({ length: o.cols + 1 }, (_, c) => r7(c === 0 || c === o.cols ? X0 + c * D : X0 + (c + (rnd() - 0.5) * 0.3) * D));
  const ys = Array.from({ length: o.rows + 1 }, (_, r) => r7(r === 0 ? Y0 : Y0 + (r + (rnd() - 0.5) * (r === o.rows ? 0 : 0.3)) * D));
  const V = (c: number, r: number): Position => [xs[c], ys[r]];
  const code = (c: number, r: number) => `370705001001${String((o.rows - r) * o.cols + c + 1).padStart(3, '0')}`;
  const coastPart = (c: number, lift = 0, step = 1): Position[] => {
    const pts: Position[] = [[xs[c + 1], r7(coastAt(xs[c + 1]) + lift)]];
    const inside: number[] = [];
    for (let i = n - 1; i >= 0; i--) if (cx[i] > xs[c] && cx[i] < xs[c + 1]) inside.push(i);
    inside.forEach((i, k) => { if (k % step === 0) pts.push([cx[i], r7(cy[i] + lift)]); });
    pts.push([xs[c], r7(coastAt(xs[c]) + lift)]);
    return pts;
  };
  const rings = new Map<string, Position[]>();
  const cellKey = (c: number, r: number) => `${c},${r}`;
  for (let r = 0; r <= o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      const ring: Position[] = r < o.rows
        ? [V(c, r), V(c + 1, r), V(c + 1, r + 1), V(c, r + 1)]
        : [V(c, r), V(c + 1, r), ...coastPart(c, 0, o.coarse ? 100 : 1)];
      rings.set(cellKey(c, r), [...ring.map((p) => [...p]), [...ring[0]]]);
    }
  }

  const planted: Planted[] = [];
  if (!o.coarse) {
    // Defects on a sparse pattern, so no two touch: every third lattice corner or cell.
    let k = 0;
    for (let r = 2; r < o.rows - 1; r += 3) {
      for (let c = 2; c < o.cols - 1; c += 3) {
        const kind = k++ % 3;
        const key = cellKey(c, r);
        const old = rings.get(key)!;
        if (kind === 0) {
          rings.delete(key);
          // The gap is bounded by its four edge neighbours (the diagonal ones touch it at a corner).
          planted.push({ what: `cell ${key} deleted`, kind: 'gap', findings: [[code(c - 1, r), code(c + 1, r), code(c, r - 1), code(c, r + 1)].sort()], area_m2: geodesicArea(old) });
        } else {
          // Its north-east corner (ring index 2) pushed out into its neighbours, or pulled in.
          const out = kind === 1;
          const s = (out ? 1 : -1) * D * (0.1 + 0.2 * rnd());
          const moved = old.map((p) => [...p]);
          moved[2] = [r7(old[2][0] + s), r7(old[2][1] + s)];
          rings.set(key, moved);
          const delta = Math.abs(geodesicArea(moved) - geodesicArea(old));
          const me = code(c, r), east = code(c + 1, r), north = code(c, r + 1), ne = code(c + 1, r + 1);
          planted.push(out
            ? { what: `corner of ${key} pushed out`, kind: 'overlap', findings: [[me, east].sort(), [me, north].sort(), [me, ne].sort()], area_m2: delta }
            : { what: `corner of ${key} pulled in`, kind: 'gap', findings: [[me, east, north].sort()], area_m2: delta });
        }
      }
    }
    // Top-row grids pushed out to sea: their coast lifted.
    for (let c = 1; c < o.cols - 1; c += 4) {
      const lift = D * 0.05;
      const key = cellKey(c, o.rows);
      const base = [V(c, o.rows), V(c + 1, o.rows)];
      const ring = [...base, ...coastPart(c, lift)];
      rings.set(key, [...ring.map((p) => [...p]), [...ring[0]]]);
      const sea = [...coastPart(c, 0), ...coastPart(c, lift).reverse()];
      sea.push(sea[0]);
      planted.push({ what: `top cell ${key} over the coast`, kind: 'spill', findings: [[code(c, o.rows)]], area_m2: geodesicArea(sea) });
    }
  }
  const members: LandMember[] = [...rings.entries()].map(([key, ring], i) => {
    const [c, r] = key.split(',').map(Number);
    return { grid: i, code: code(c, r), kind: 'base', geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  return { region: { type: 'Polygon', coordinates: [regionRing] }, members, planted };
}
