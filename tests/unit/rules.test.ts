// Rules 5–7 (size, codes, shape) on fixtures a person can open in a map
// (tests/fixtures/rules/*.geojson), each with its expected findings beside it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import { readLayeredFixture } from '../support/fixtures';

const dir = 'tests/fixtures/rules';
const expected = (name: string) => JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
const key = (f: { kind: string; ids: string[] }) => `${f.kind}:${f.ids.join(',')}`;

describe('rule 5: size', () => {
  const { report } = runChecks(readLayeredFixture(`${dir}/size.geojson`));
  const want = expected('size');
  it('uses the grid band, else the community band, else the default', () => {
    expect(report.findings.map(key).sort()).toEqual(want.findings.map(key).sort());
    for (const f of want.findings) {
      const got = report.findings.find((g) => key(g) === key(f))!;
      expect(got.measure).toEqual({ count: f.count, band: f.band });
    }
    expect(Object.fromEntries(report.grids.map((g) => [g.code, g.band_status]))).toEqual(want.band_status);
    expect(report.summary.scores.size).toBe(0.25);
  });
});

describe('rule 6: codes', () => {
  const { report } = runChecks(readLayeredFixture(`${dir}/codes.geojson`));
  it('flags malformed, duplicate, mismatched and community-less codes', () => {
    expect(report.findings.map(key).sort()).toEqual(expected('codes').findings.map(key).sort());
    expect(report.summary.scores.codes).toBe(0);
  });
});

describe('rule 7: shape', () => {
  const { report } = runChecks(readLayeredFixture(`${dir}/shape.geojson`));
  it('flags a base grid in separate pieces', () => {
    expect(report.findings.map((f) => ({ ...f, geometry: undefined, rule: undefined })))
      .toEqual(expected('shape').findings.map((f: { kind: string; ids: string[]; count: number }) => ({ kind: f.kind, ids: f.ids, measure: { count: f.count }, geometry: undefined, rule: undefined })));
    expect(report.summary.scores.shape).toBeCloseTo(2 / 3, 6);
  });
});

// Rule 1 with dedicated grids over each other (on top of base grids, carved out of them, in two
// communities) and one piece under grids of two communities (issue 21, item 7): each piece of
// land listed once, with every grid of its kind covering it, its area counted once.
describe('rule 1: dedicated grids over each other, pieces under grids of two communities', () => {
  const names = ['land-dedicated-on-top', 'land-dedicated-on-top-of-carved', 'land-dedicated-carved', 'land-dedicated-across', 'land-three-grids-across'];
  for (const name of names) {
    it(name, () => {
      const { report } = runChecks(readLayeredFixture(`${dir}/${name}.geojson`));
      const want: { findings: { kind: string; ids: string[]; area_m2: number }[] } = expected(name);
      const land = report.findings.filter((f) => f.rule === 'land');
      expect(land.map(key).sort()).toEqual(want.findings.map(key).sort());
      for (const f of want.findings) {
        const got = land.find((g) => key(g) === key(f))!;
        expect(Math.abs(got.measure.area_m2! - f.area_m2), key(f)).toBeLessThan(1e-5 * f.area_m2);
      }
      // the land score takes off each listed piece once, and nothing else
      const bad = want.findings.reduce((s, f) => s + f.area_m2, 0);
      expect(report.summary.scores.land).toBeCloseTo(1 - bad / report.summary.totals.land_m2!, 3);
    });
  }
});
