// Overlapping boundaries must not hide overlapping grids, and the boundary layer is checked
// on its own (issue 21, item 7), on fixtures a person can open in a map
// (tests/fixtures/boundaries/*.geojson, expected results beside them): two grids covering the
// same land are an overlap whatever community they belong to; communities over each other or
// leaving a strip of their street uncovered are findings of the boundaries rule.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoverageChecker, runChecks } from '../../src/checks/engine';
import type { AreaGeometry } from '../../src/domain/types';
import { readLayeredFixture } from '../support/fixtures';

const dir = 'tests/fixtures/boundaries';
const cases = readdirSync(dir).filter((f) => f.endsWith('.geojson')).map((f) => f.replace('.geojson', ''));
const AREA_KINDS = new Set(['gap', 'overlap', 'spill', 'boundary_overlap', 'boundary_gap']);
const key = (f: { kind: string; ids: string[] }) => `${f.kind} ${f.ids.join(',')}`;

describe('the boundary layer and the grids across it', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const name of cases) {
    it(name, () => {
      const want: { findings: { kind: string; ids: string[]; area_m2: number }[] } = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
      const { report } = runChecks(readLayeredFixture(`${dir}/${name}.geojson`));
      const got = report.findings.filter((f) => AREA_KINDS.has(f.kind));
      expect(got.map(key).sort()).toEqual(want.findings.map(key).sort());
      for (const f of want.findings) {
        const g = got.find((x) => key(x) === key(f))!;
        // GeographicLib's edges are geodesics, the engine's straight in lon/lat: 1e-5 apart.
        expect(Math.abs(g.measure.area_m2! - f.area_m2), key(f)).toBeLessThan(1e-5 * f.area_m2);
        expect(g.rule).toBe(f.kind.startsWith('boundary_') ? 'boundaries' : 'land');
      }
      expect(report.summary.clean).toBe(false);
      // land findings take land off the score; the boundary layer's do not, but its own score
      const landBad = want.findings.some((f) => !f.kind.startsWith('boundary_'));
      expect(report.summary.scores.land! < 1).toBe(landBad);
      expect(report.summary.scores.boundaries).toBeLessThan(1);
    });
  }

  it('keeps finding the grids over each other as they are edited, as a full run does', () => {
    const input = readLayeredFixture(`${dir}/overlapping-communities.geojson`);
    const checker = new CoverageChecker(input);
    const g = input.grids.find((x) => x.properties.code === '370705001002001')!;
    const ring = (g.geometry as { coordinates: number[][][] }).coordinates[0];
    // pulled back to the edge of 370705001001: no overlap of grids left (the boundaries still overlap)
    const x1 = 119.1 + 2.5 * 0.002;
    const moved: AreaGeometry = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x < x1 ? x1 : x, y])] };
    checker.updateGrid(g.properties.code, moved);
    const full = runChecks({ ...input, grids: input.grids.map((x) => (x === g ? { ...x, geometry: moved } : x)) }).report;
    const after = checker.report();
    expect(after.findings.map(key)).toEqual(full.findings.map(key));
    // (370705001002's own land now has a gap where its grid was pulled back)
    expect(after.findings.map(key)).toEqual(['gap 370705001002001', 'boundary_overlap 370705001001,370705001002']);
    // and back over it: the overlap again
    checker.updateGrid(g.properties.code, g.geometry);
    expect(checker.report().findings.map(key)).toContain('overlap 370705001001002,370705001002001');
  });
});
