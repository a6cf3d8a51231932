// Invalid rings, named and made valid as ST_MakeValid does (tests/fixtures/repair): each grid's
// defect is named, the result is valid, has the expected parts and area, and the engine lists
// the repair and checks the result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { checkArea, makeValid } from '../../src/checks/repair';
import { areaProblem, validAreas } from '../../src/checks/validate';
import { geodesicArea } from '../../src/checks/area';
import { runChecks } from '../../src/checks/engine';
import type { AreaGeometry, GridFeature } from '../../src/domain/types';

const fc = JSON.parse(readFileSync('tests/fixtures/repair/invalid.geojson', 'utf8'));
const expected: Record<string, { what: string; code: string | null; parts: number; area_m2: number }> =
  JSON.parse(readFileSync('tests/fixtures/repair/invalid.expected.json', 'utf8')).grids;
const features = fc.features as Feature<AreaGeometry, { code: string }>[];

describe('invalid rings', () => {
  for (const f of features) {
    const want = expected[f.properties.code];
    it(`${want.what}: named ${want.code ?? 'valid'}, made valid into ${want.parts} part(s)`, () => {
      expect(areaProblem(f.geometry)?.code ?? null).toBe(want.code);
      if (want.code === null) { expect(checkArea(f.geometry)).toBeNull(); return; }
      const fixed = makeValid(f.geometry);
      if (want.parts === 0) { expect(fixed).toBeNull(); return; }
      expect(fixed).not.toBeNull();
      expect(checkArea(fixed!), 'the result is valid').toBeNull();
      expect(fixed!.type === 'MultiPolygon' ? fixed!.coordinates.length : 1).toBe(want.parts);
      // GeographicLib's edges are geodesics, the engine's straight in lon/lat: 1e-5 apart on edges of 400 m.
      expect(Math.abs(geodesicArea(fixed!) - want.area_m2)).toBeLessThan(1e-5 * want.area_m2);
    });
  }

  it('are repaired and listed by the engine, the rest checked; what has no area is skipped', () => {
    const { kept, skipped, repaired } = validAreas('grids', features as unknown as GridFeature[], 'code', { unique: false });
    const invalid = Object.entries(expected).filter(([, w]) => w.code !== null);
    expect(repaired.map((r) => [r.id, r.code]).sort()).toEqual(invalid.filter(([, w]) => w.parts > 0).map(([id, w]) => [id, w.code]).sort());
    expect(skipped.map((s) => [s.id, s.code])).toEqual(invalid.filter(([, w]) => w.parts === 0).map(([id]) => [id, 'no_area']));
    expect(kept).toHaveLength(features.length - skipped.length);
    const { report } = runChecks({ boundaries: [], grids: features as unknown as GridFeature[], buildings: [], households: { ids: [], buildingIds: [], residents: [], positions: new Float64Array(0) } });
    expect(report.repaired.map((r) => r.id).sort()).toEqual(repaired.map((r) => r.id).sort());
    expect(report.summary.repaired).toBe(repaired.length);
    // A bow-tie made valid is two pieces: a base grid in islands.
    expect(report.findings.some((x) => x.kind === 'islands' && x.ids[0] === '370705001001001')).toBe(true);
  });
});
