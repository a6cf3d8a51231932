// The land rule on random coverages with planted gaps, overlaps and spill (tests/support/
// coverage.ts): no two findings share area, and area is conserved — the region's area equals
// the grids' areas less what spills out, less what is counted twice in overlaps, plus the
// gaps — with a boundary of four corners, a fully noded one, and none at all. Areas on the
// right-hand side come from GeographicLib, not from the engine.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { featureCollection, intersect } from '@turf/turf';
import type { Feature, Polygon, Position } from 'geojson';
import geographiclib from 'geographiclib-geodesic';
import { checkLandRegion, type LandResult } from '../../src/checks/land';
import { randomCoverage, type Coverage } from '../support/coverage';

function geodesic(rings: Position[][]): number {
  return rings.reduce((s, ring, r) => {
    const p = geographiclib.Geodesic.WGS84.Polygon(false);
    for (const q of ring.slice(0, -1)) p.AddPoint(q[1]!, q[0]!);
    return s + (r === 0 ? 1 : -1) * Math.abs(p.Compute(false, true).area!);
  }, 0);
}

const check = (c: Coverage): LandResult => checkLandRegion({ code: 'c', geometry: c.region, members: c.members, onTop: [] }, { sliverM2: 1 });
const areaFindings = (r: LandResult) => r.findings.filter((f) => f.kind !== 'invalid_edges');

/** Region area from the grids and the findings: Σ grids − spill (each grid over it) − overlap counted twice + gaps. */
function conserved(c: Coverage, r: LandResult) {
  const grids = c.members.reduce((s, m) => s + geodesic((m.geometry as Polygon).coordinates), 0);
  let spill = 0, overlap = 0, gap = 0;
  for (const f of areaFindings(r)) {
    if (f.kind === 'spill') spill += f.ids.length * f.area_m2;
    if (f.kind === 'overlap') overlap += (f.ids.length - 1) * f.area_m2;
    if (f.kind === 'gap') gap += f.area_m2;
  }
  return { region: geodesic([c.outline]), fromFindings: grids - spill - overlap + gap };
}

function noSharedArea(r: LandResult) {
  const fs = areaFindings(r);
  for (let a = 0; a < fs.length; a++) {
    for (let b = a + 1; b < fs.length; b++) {
      const both = intersect(featureCollection([
        { type: 'Feature', properties: {}, geometry: fs[a].geometry } as Feature<Polygon>,
        { type: 'Feature', properties: {}, geometry: fs[b].geometry } as Feature<Polygon>,
      ]));
      const shared = both ? geodesic((both.geometry as Polygon).coordinates ?? []) : 0;
      expect(shared, `${fs[a].kind} ${fs[a].ids} and ${fs[b].kind} ${fs[b].ids}`).toBeLessThan(0.01);
    }
  }
}

describe('land rule on random coverages', () => {
  for (const boundary of ['corners', 'noded'] as const) {
    it(`finds each defect once and conserves area (boundary: ${boundary === 'corners' ? 'four corners' : 'fully noded'})`, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const c = randomCoverage(seed, { cols: 5, rows: 4, boundary });
        const r = check(c);
        noSharedArea(r);
        const { region, fromFindings } = conserved(c, r);
        expect(Math.abs(region - fromFindings), `seed ${seed}`).toBeLessThan(1e-6 * region + r.slivers.area_m2 + 0.01);
      }), { numRuns: 30 });
    });
  }

  it('without a boundary finds the same interior gaps and overlaps, and says the outer edge was not checked', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      const withOutline = randomCoverage(seed, { cols: 5, rows: 4, boundary: 'noded', interiorOnly: true });
      const none = { ...withOutline, region: null };
      const a = check(withOutline);
      const b = check(none);
      expect(a.outerEdgeChecked).toBe(true);
      expect(b.outerEdgeChecked).toBe(false);
      const key = (f: LandResult['findings'][number]) => `${f.kind}|${f.ids.join(',')}|${f.area_m2.toFixed(3)}`;
      expect(b.findings.map(key).sort()).toEqual(a.findings.map(key).sort());
      noSharedArea(b);
      const { region, fromFindings } = conserved(none, b);
      expect(Math.abs(region - fromFindings), `seed ${seed}`).toBeLessThan(1e-6 * region + b.slivers.area_m2 + 0.01);
    }), { numRuns: 30 });
  });
});
