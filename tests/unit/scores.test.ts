// Compactness scores of a plan (plan/scores.ts) on shapes whose answers are known: a square
// (Polsby-Popper π/4, Reock 2/π), a fine circle (both 1), and a grid in two pieces whose first
// piece is tiny (the circle goes round both pieces: Reock stays under 1).
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { polsbyPopper, reock } from '../../src/plan/scores';

const M = 1 / 111_320;
const lat = 30, k = Math.cos((lat * Math.PI) / 180);
const square = (x: number, y: number, side: number): number[][] => {
  const p = (dx: number, dy: number) => [120 + ((x + dx) * M) / k, lat + (y + dy) * M];
  return [p(0, 0), p(side, 0), p(side, side), p(0, side), p(0, 0)];
};

describe('plan scores', () => {
  it('knows a square and a circle', () => {
    const sq: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 100)] };
    expect(polsbyPopper(sq)).toBeCloseTo(Math.PI / 4, 3);
    expect(reock(sq)).toBeCloseTo(2 / Math.PI, 3);
    const ring: number[][] = [];
    for (let i = 0; i <= 1000; i++) { const a = (2 * Math.PI * i) / 1000; ring.push([120 + (Math.cos(a) * 300 * M) / k, lat + Math.sin(a) * 300 * M]); }
    const circle: Polygon = { type: 'Polygon', coordinates: [ring] };
    expect(polsbyPopper(circle)).toBeCloseTo(1, 2);
    expect(reock(circle)).toBeCloseTo(1, 2);
    expect(reock(circle)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('draws the circle round every piece of a grid in two pieces', () => {
    // a 1 m² piece first, the 100 m square 200 m away: the circle's diameter spans both
    const g: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(200, 0, 100)]] };
    const r = reock(g);
    expect(r).toBeLessThan(1);
    // the smallest circle round both: through (0,0)-ish and the square's far corners, radius ≈ 150 m
    expect(r).toBeGreaterThan(10001 / (Math.PI * 160 * 160));
    expect(r).toBeLessThan(10001 / (Math.PI * 145 * 145));
  });
});
