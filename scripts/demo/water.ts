// 虞河: a meandering river polygon crossing the district from south to north.
import type { Rng } from './rng';
import type { XY } from './projection';
import { distPointSeg, norm, perp, signedArea } from './geom';

export interface River {
  name: string;
  y0: number;
  dy: number;
  /** Centreline x at y0 + k * dy, and the half width there. */
  cx: Float64Array;
  hw: Float64Array;
  /** Closed CCW ring in the metric frame. */
  ring: XY[];
}

export function buildRiver(rng: Rng, width: number, height: number): River {
  const y0 = -350;
  const dy = 20;
  const n = Math.ceil((height + 700) / dy) + 1;
  const cx = new Float64Array(n);
  const hw = new Float64Array(n);
  const x0 = width * rng.range(0.56, 0.62);
  const p1 = rng.range(0, 6.3);
  const p2 = rng.range(0, 6.3);
  const p3 = rng.range(0, 6.3);
  const slope = rng.range(-0.12, -0.06);
  for (let k = 0; k < n; k++) {
    const y = y0 + k * dy;
    cx[k] =
      x0 +
      slope * (y - height / 2) +
      230 * Math.sin((2 * Math.PI * y) / 2900 + p1) +
      90 * Math.sin((2 * Math.PI * y) / 1150 + p2);
    hw[k] = 27 + 7 * Math.sin((2 * Math.PI * y) / 1700 + p3);
  }
  const right: XY[] = [];
  const left: XY[] = [];
  for (let k = 0; k < n; k++) {
    const a = Math.max(0, k - 1);
    const b = Math.min(n - 1, k + 1);
    const t = norm([cx[b] - cx[a], (b - a) * dy]);
    const nrm = perp(t); // points west (left of a northward tangent)
    const c: XY = [cx[k], y0 + k * dy];
    left.push([c[0] + hw[k] * nrm[0], c[1] + hw[k] * nrm[1]]);
    right.push([c[0] - hw[k] * nrm[0], c[1] - hw[k] * nrm[1]]);
  }
  const ring: XY[] = [...right, ...left.reverse()];
  if (signedArea(ring) < 0) ring.reverse();
  ring.push(ring[0]);
  return { name: '虞河', y0, dy, cx, hw, ring };
}

/** Distance from p to the river bank; negative inside the river. */
export function riverClearance(r: River, p: XY): number {
  const k0 = Math.floor((p[1] - r.y0) / r.dy);
  let best = Infinity;
  for (let k = Math.max(0, k0 - 40); k < Math.min(r.cx.length - 1, k0 + 40); k++) {
    const a: XY = [r.cx[k], r.y0 + k * r.dy];
    const b: XY = [r.cx[k + 1], r.y0 + (k + 1) * r.dy];
    const d = distPointSeg(p, a, b) - Math.max(r.hw[k], r.hw[k + 1]);
    if (d < best) best = d;
  }
  if (best === Infinity) {
    // far beyond the river's ends: plain horizontal distance is a safe lower bound
    return 1e6;
  }
  return best;
}
