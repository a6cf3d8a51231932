// Rule 1 on fixtures a person can open in a map (tests/fixtures/land/*.geojson), each with
// its expected findings beside it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLandRegion, type LandMember } from '../../src/checks/land';
import type { AreaGeometry, GridKind } from '../../src/domain/types';

const dir = 'tests/fixtures/land';
const cases = readdirSync(dir).filter((f) => f.endsWith('.geojson')).map((f) => f.replace('.geojson', ''));

interface Expected {
  findings: { kind: string; ids: string[]; area_m2?: number }[];
  slivers: number;
  total_overlap_m2?: number;
}

describe('land: gaps, overlaps, spill, invalid edges', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(8));
  for (const name of cases) {
    it(name, () => {
      const fc = JSON.parse(readFileSync(`${dir}/${name}.geojson`, 'utf8'));
      const expected: Expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
      const region = fc.features.find((f: any) => f.properties.role === 'region');
      const grids: LandMember[] = fc.features
        .filter((f: any) => f.properties.role === 'grid')
        .map((f: any, i: number) => ({ grid: i, code: f.properties.code, kind: f.properties.kind as GridKind, geometry: f.geometry as AreaGeometry }));
      // The hospital in "dedicated" is drawn on top; everything else tiles.
      const onTop = grids.filter((g) => g.code.endsWith('902'));
      const members = grids.filter((g) => !onTop.includes(g));
      const r = checkLandRegion({ code: region.properties.code, geometry: region.geometry, members, onTop }, { sliverM2: 1 });
      const got = r.findings.map((f) => ({ kind: f.kind, ids: f.ids })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const want = expected.findings.map((f) => ({ kind: f.kind, ids: [...f.ids].sort() })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(got).toEqual(want);
      for (const f of expected.findings) {
        if (f.area_m2 === undefined) continue;
        const match = r.findings.find((g) => g.kind === f.kind && JSON.stringify(g.ids) === JSON.stringify([...f.ids].sort()))!;
        expect(match.area_m2).toBeGreaterThan(f.area_m2 * 0.98);
        expect(match.area_m2).toBeLessThan(f.area_m2 * 1.02);
      }
      if (expected.total_overlap_m2 !== undefined) {
        const total = r.findings.filter((f) => f.kind === 'overlap').reduce((s, f) => s + f.area_m2, 0);
        expect(total).toBeGreaterThan(expected.total_overlap_m2 * 0.98);
        expect(total).toBeLessThan(expected.total_overlap_m2 * 1.02);
      }
      expect(r.slivers.count).toBe(expected.slivers);
    });
  }
});
