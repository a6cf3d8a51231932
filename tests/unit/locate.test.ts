import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { booleanPointInPolygon, point } from '@turf/turf';
import { GridLocator } from '../../src/checks/locate';
import type { GridFeature } from '../../src/domain/types';

const dir = 'tests/fixtures/locate';
const grids = JSON.parse(readFileSync(`${dir}/shared-edges.geojson`, 'utf8')).features as GridFeature[];
const expected = JSON.parse(readFileSync(`${dir}/shared-edges.expected.json`, 'utf8')) as {
  points: { name: string; at: [number, number]; grid: string | null }[];
};

describe('GridLocator', () => {
  const locator = new GridLocator(grids);
  for (const p of expected.points) {
    it(`places the point ${p.name}`, () => {
      const i = locator.locate(p.at[0], p.at[1]);
      expect(i < 0 ? null : grids[i].properties.code).toBe(p.grid);
    });
  }

  it('gives the same answer whatever the order of the grids', () => {
    const reversed = new GridLocator([...grids].reverse());
    for (const p of expected.points) {
      const a = locator.locate(p.at[0], p.at[1]);
      const b = reversed.locate(p.at[0], p.at[1]);
      expect(b < 0 ? null : [...grids].reverse()[b].properties.code).toBe(a < 0 ? null : grids[a].properties.code);
    }
  });

  it('agrees with Turf for points off the edges', () => {
    fc.assert(fc.property(
      fc.double({ min: 119.0995, max: 119.1065, noNaN: true }),
      fc.double({ min: 36.6995, max: 36.7025, noNaN: true }),
      (x, y) => {
        const onBoundary = grids.some((g) => booleanPointInPolygon(point([x, y]), g, { ignoreBoundary: false })
          !== booleanPointInPolygon(point([x, y]), g, { ignoreBoundary: true }));
        fc.pre(!onBoundary);
        const turfHits = grids.map((g, i) => (booleanPointInPolygon(point([x, y]), g) ? i : -1)).filter((i) => i >= 0);
        const dedicated = turfHits.filter((i) => grids[i].properties.kind === 'dedicated');
        const want = dedicated.length ? dedicated[0] : turfHits.length ? Math.min(...turfHits) : -1;
        expect(locator.locate(x, y)).toBe(want);
      },
    ), { numRuns: 2000 });
  });
});
