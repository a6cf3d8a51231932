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
