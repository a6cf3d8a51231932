// Grids with many thousands of vertices go through indexes of their edges (point tests,
// building shares, points on the outline): the answers must be those of the plain loops.
import { describe, expect, it } from 'vitest';
import { featureCollection, intersect } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import seedrandom from 'seedrandom';
import { onPackedOutline, packPolygons, pointInPacked } from '../../src/checks/rings';
import { areaInside, footprintTriangles, ringSigns, trianglesArea } from '../../src/checks/share';
import type { AreaGeometry } from '../../src/domain/types';

const rnd = seedrandom('big-grid');
const ring = (n: number, r0: number, cw = false): Position[] => {
  const pts: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * (cw ? n - i : i)) / n;
    const r = r0 * (1 + 0.05 * Math.sin(a * 37) + 0.01 * Math.sin(a * 301));
    pts.push([Math.round((119.1 + r * Math.cos(a)) * 1e7) / 1e7, Math.round((36.7 + r * Math.sin(a)) * 1e7) / 1e7]);
  }
  pts.push(pts[0]);
  return pts;
};
// 3,000 vertices, clockwise (as files often give them), with a 700-vertex hole.
const big: Polygon = { type: 'Polygon', coordinates: [ring(3000, 0.01, true), ring(700, 0.004)] };
const packed = packPolygons([big]);

/** The plain loop the index replaces (even-odd, the same half-open rule). */
function plainInside(x: number, y: number): boolean {
  let inside = false;
  for (const r of big.coordinates) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
    }
  }
  return inside;
}

const planar = (rings: Position[][]) => rings.reduce((s, r, k) => {
  let a = 0;
  for (let i = 0; i + 1 < r.length; i++) a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return s + (k === 0 ? 1 : -1) * Math.abs(a / 2);
}, 0);

/** Sutherland–Hodgman of every ring of the big grid against the footprint's rectangle. */
function clippedShare(fp: Polygon): number {
  const [[x0, y0], , [x1, y1]] = fp.coordinates[0];
  const sides: ((p: Position) => number)[] = [(p) => p[0] - x0, (p) => x1 - p[0], (p) => p[1] - y0, (p) => y1 - p[1]];
  let area = 0;
  big.coordinates.forEach((r) => {
    let pts = r.slice(0, -1).map(([x, y]) => [x - x0, y - y0]);
    for (const side of sides) {
      const f = (p: Position) => side([p[0] + x0, p[1] + y0]);
      const out: Position[] = [];
      for (let i = 0; i < pts.length; i++) {
        const a = pts[(i + pts.length - 1) % pts.length], b = pts[i];
        const fa = f(a), fb = f(b);
        if ((fa >= 0) !== (fb >= 0)) { const t = fa / (fa - fb); out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]); }
        if (fb >= 0) out.push(b);
      }
      pts = out;
    }
    let a = 0;
    for (let i = 0; i < pts.length; i++) { const p = pts[i], q = pts[(i + 1) % pts.length]; a += p[0] * q[1] - q[0] * p[1]; }
    // The outer ring runs clockwise, the hole counter-clockwise: minus both is the area inside.
    area -= a / 2;
  });
  return area / ((x1 - x0) * (y1 - y0));
}

describe('a grid of thousands of vertices', () => {
  it('answers point tests through its edge index exactly as the plain loop does', () => {
    for (let k = 0; k < 5000; k++) {
      const x = 119.1 + (rnd() - 0.5) * 0.024, y = 36.7 + (rnd() - 0.5) * 0.024;
      expect(pointInPacked(packed, 0, x, y), `${x},${y}`).toBe(plainInside(x, y));
    }
    // On the outline: every vertex and edge midpoint is found on it; points beside it are not.
    const outer = big.coordinates[0];
    for (let i = 0; i < outer.length - 1; i += 97) {
      expect(onPackedOutline(packed, 0, outer[i][0], outer[i][1])).toBe(true);
      expect(onPackedOutline(packed, 0, outer[i][0] + 1e-6, outer[i][1])).toBe(false);
    }
  });

  it('gives each footprint across its edge the share Turf works out by a polygon overlay', () => {
    const signs = ringSigns(packed);
    let compared = 0;
    for (const r of big.coordinates) {
      for (let i = 0; i < r.length - 1; i += Math.ceil(r.length / 20)) {
        const [cx, cy] = r[i];
        const w = 0.0002 + rnd() * 0.0002, h = 0.0001 + rnd() * 0.0001;
        const fp: Polygon = { type: 'Polygon', coordinates: [[[cx - w, cy - h], [cx + w, cy - h], [cx + w, cy + h], [cx - w, cy + h], [cx - w, cy - h]]] };
        const [ox, oy] = fp.coordinates[0][0];
        const tris = footprintTriangles(fp as AreaGeometry, ox, oy);
        const share = areaInside(packed, 0, signs, tris, ox, oy) / trianglesArea(tris);
        const part = intersect(featureCollection([{ type: 'Feature', properties: {}, geometry: fp } as Feature<Polygon>, { type: 'Feature', properties: {}, geometry: big } as Feature<Polygon>]));
        const g = part?.geometry as Polygon | MultiPolygon | undefined;
        const want = !g ? 0 : (g.type === 'Polygon' ? planar(g.coordinates) : g.coordinates.reduce((s, p) => s + planar(p), 0)) / planar(fp.coordinates);
        // Turf's overlay snaps coordinates to a tolerance (1e-5 off here); the exact reference
        // is the rings clipped by the footprint rectangle as one window, written out below.
        expect(Math.abs(share - want), `Turf, footprint at ${cx},${cy}`).toBeLessThan(1e-4);
        expect(Math.abs(share - clippedShare(fp)), `footprint at ${cx},${cy}`).toBeLessThan(1e-9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});

describe('a big grid drawn along a footprint’s walls', () => {
  // As an auto-split draws a border along a row house's shared wall: the grid's outline runs
  // along the footprint's walls, through crossings the noder computed on them (a hair off the
  // wall in floating point), and round the land on one side. Footprints turned at random.
  const cases = (n: number) => {
    const r = seedrandom('walls');
    return Array.from({ length: n }, () => {
      const a = r() * Math.PI, s = 0.0002 + r() * 0.0004;
      const ux = Math.cos(a) * s, uy = Math.sin(a) * s, vx = -Math.sin(a) * s * 0.6, vy = Math.cos(a) * s * 0.6;
      const x0 = 13.3 + r() * 0.1, y0 = 52.5 + r() * 0.1;
      const at = (p: number, q: number): Position => [x0 + p * ux + q * vx, y0 + p * uy + q * vy];
      const fp: Polygon = { type: 'Polygon', coordinates: [[at(0, 0), at(1, 0), at(1, 1), at(0, 1), at(0, 0)]] };
      // crossings on the wall (0,0)→(1,0) and on the wall (1,0)→(1,1), where random lines cross them
      const cross = (p: Position, q: Position): Position => {
        const t = 0.2 + r() * 0.6;
        const c = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
        const d = [c[0] + (r() - 0.5) * 1e-3, c[1] + (r() - 0.5) * 1e-3], e = [2 * c[0] - d[0], 2 * c[1] - d[1]];
        const den = (q[0] - p[0]) * (e[1] - d[1]) - (q[1] - p[1]) * (e[0] - d[0]);
        const k = ((d[0] - p[0]) * (e[1] - d[1]) - (d[1] - p[1]) * (e[0] - d[0])) / den;
        return [p[0] + k * (q[0] - p[0]), p[1] + k * (q[1] - p[1])];
      };
      const m1 = cross(at(0, 0), at(1, 0)), m2 = cross(at(1, 0), at(1, 1));
      const arc = (from: number, to: number, q: number) => Array.from({ length: 301 }, (_, i) => at(from + ((to - from) * i) / 300, q + (i % 2 ? 1e-3 : 0)));
      // holding: along both walls, then round the footprint's far side; beyond: round the other side
      const holding: Polygon = { type: 'Polygon', coordinates: [[at(0, 0), m1, at(1, 0), m2, at(1, 1), ...arc(1, -2, 3), ...arc(-2, 0, -0.0), at(0, 0)].filter((p, i, l) => i === 0 || p[0] !== l[i - 1][0] || p[1] !== l[i - 1][1])] };
      const beyond: Polygon = { type: 'Polygon', coordinates: [[at(1, 1), m2, at(1, 0), m1, at(0, 0), ...arc(0, 3, -3), ...arc(3, 1, 1), at(1, 1)].filter((p, i, l) => i === 0 || p[0] !== l[i - 1][0] || p[1] !== l[i - 1][1])] };
      return { fp, holding, beyond };
    });
  };
  const shareIn = (fp: Polygon, g: Polygon) => {
    const p = packPolygons([g]);
    const [ox, oy] = fp.coordinates[0][0];
    const tris = footprintTriangles(fp as AreaGeometry, ox, oy);
    return areaInside(p, 0, ringSigns(p), tris, ox, oy) / trianglesArea(tris);
  };
  it('gives the footprint wholly to the grid that holds it, none to the grid beyond the wall', () => {
    const wrong: string[] = [];
    cases(300).forEach(({ fp, holding, beyond }, i) => {
      expect(packPolygons([holding]).coords.length / 2).toBeGreaterThan(600);
      const a = shareIn(fp, holding), b = shareIn(fp, beyond);
      if (Math.abs(a - 1) > 1e-9 || Math.abs(b) > 1e-9) wrong.push(`case ${i}: ${a} / ${b}`);
    });
    expect(wrong).toEqual([]);
  });
});
