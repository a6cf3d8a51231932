// Planar geometry in the generator's metric frame (see projection.ts).
import type { XY } from './projection';

export function sub(a: XY, b: XY): XY {
  return [a[0] - b[0], a[1] - b[1]];
}
export function add(a: XY, b: XY): XY {
  return [a[0] + b[0], a[1] + b[1]];
}
export function scale(a: XY, s: number): XY {
  return [a[0] * s, a[1] * s];
}
export function dot(a: XY, b: XY): number {
  return a[0] * b[0] + a[1] * b[1];
}
export function cross(a: XY, b: XY): number {
  return a[0] * b[1] - a[1] * b[0];
}
export function len(a: XY): number {
  return Math.hypot(a[0], a[1]);
}
export function norm(a: XY): XY {
  const l = len(a);
  return [a[0] / l, a[1] / l];
}
/** Rotate by +90° (counter-clockwise). */
export function perp(a: XY): XY {
  return [-a[1], a[0]];
}
export function dist(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Bilinear point of a quad given as [P00, P10, P11, P01] (counter-clockwise). */
export function bilinear(q: readonly XY[], u: number, v: number): XY {
  const w00 = (1 - u) * (1 - v);
  const w10 = u * (1 - v);
  const w11 = u * v;
  const w01 = (1 - u) * v;
  return [
    w00 * q[0][0] + w10 * q[1][0] + w11 * q[2][0] + w01 * q[3][0],
    w00 * q[0][1] + w10 * q[1][1] + w11 * q[2][1] + w01 * q[3][1],
  ];
}

/** Unit direction of the quad's u axis at (u, v). */
export function quadAxisU(q: readonly XY[], v: number): XY {
  const bottom = sub(q[1], q[0]);
  const top = sub(q[2], q[3]);
  return norm([(1 - v) * bottom[0] + v * top[0], (1 - v) * bottom[1] + v * top[1]]);
}

/** An oriented rectangle: centre, unit long axis, half length a, half width b. */
export interface Rect {
  c: XY;
  ex: XY;
  a: number;
  b: number;
}

/** Corners counter-clockwise (ey = perp(ex)). */
export function rectCorners(r: Rect): XY[] {
  const ey = perp(r.ex);
  const ax = scale(r.ex, r.a);
  const by = scale(ey, r.b);
  return [
    sub(sub(r.c, ax), by),
    sub(add(r.c, ax), by),
    add(add(r.c, ax), by),
    add(sub(r.c, ax), by),
  ];
}

/** Map local rectangle coordinates s, t in [0, 1] to a point. */
export function rectPoint(r: Rect, s: number, t: number): XY {
  const ey = perp(r.ex);
  return add(add(r.c, scale(r.ex, (2 * s - 1) * r.a)), scale(ey, (2 * t - 1) * r.b));
}

/** Do two rectangles come closer than `gap` (separating axis test on the inflated rects)? */
export function rectsOverlap(r1: Rect, r2: Rect, gap: number): boolean {
  const d = sub(r2.c, r1.c);
  const axes: XY[] = [r1.ex, perp(r1.ex), r2.ex, perp(r2.ex)];
  for (const n of axes) {
    const p1 = r1.a * Math.abs(dot(r1.ex, n)) + r1.b * Math.abs(dot(perp(r1.ex), n));
    const p2 = r2.a * Math.abs(dot(r2.ex, n)) + r2.b * Math.abs(dot(perp(r2.ex), n));
    if (Math.abs(dot(d, n)) > p1 + p2 + gap) return false;
  }
  return true;
}

/** Signed distance from p to the line through a→b; positive on the left. */
export function sideDist(a: XY, b: XY, p: XY): number {
  const e = sub(b, a);
  return cross(e, sub(p, a)) / len(e);
}

/** Are all points inside the convex CCW polygon, at least `margin` from every edge line? */
export function insideConvex(poly: readonly XY[], pts: readonly XY[], margin: number): boolean {
  for (let k = 0; k < poly.length; k++) {
    const a = poly[k];
    const b = poly[(k + 1) % poly.length];
    for (const p of pts) if (sideDist(a, b, p) < margin) return false;
  }
  return true;
}

export function distPointSeg(p: XY, a: XY, b: XY): number {
  const e = sub(b, a);
  const l2 = dot(e, e);
  let t = l2 > 0 ? dot(sub(p, a), e) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  return dist(p, [a[0] + t * e[0], a[1] + t * e[1]]);
}

/** Even–odd point in ring (ring not closed or closed, either works). */
export function pointInRing(p: XY, ring: readonly XY[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shoelace; positive for counter-clockwise. Works on closed or open rings. */
export function signedArea(ring: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}
