// A grid with one collapsed part (issue 21, item 6) on fixtures a person can open in a map
// (tests/fixtures/degenerate/*.geojson, expected results beside them): the collapsed part is
// dropped and listed under repaired, the rest of the grid checked, read as the console's
// import reads it (the CLI) and given straight to the engine alike. A grid skipped for any
// reason makes the report not clean, the land score no number, and the CLI exit 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import type { Report } from '../../src/checks/report';
import { readLayeredFixture } from '../support/fixtures';

const dir = 'tests/fixtures/degenerate';
const cases = readdirSync(dir).filter((f) => f.endsWith('.geojson')).map((f) => f.replace('.geojson', ''));
const tmp = mkdtempSync(join(tmpdir(), 'gridscope-degenerate-'));

interface Expected {
  findings: { kind: string; ids: string[] }[];
  repaired: { id: string; code: string }[];
  skipped: { id: string; code: string }[];
  clean: boolean;
  land_score: number | null;
  households: Record<string, number>;
}

const key = (f: { kind: string; ids: string[] }) => `${f.kind} ${f.ids.join(',')}`;

/** The CLI on the fixture's layers, one file each, as a district's CI runs it. */
function cli(name: string): { status: number | null; stdout: string; report: Report } {
  const fc = JSON.parse(readFileSync(`${dir}/${name}.geojson`, 'utf8'));
  const args: string[] = [];
  for (const layer of ['boundaries', 'grids', 'buildings', 'households']) {
    const file = join(tmp, `${name}-${layer}.geojson`);
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: fc.features.filter((f: any) => f.properties.layer === layer) }));
    args.push(`--${layer}`, file);
  }
  const out = join(tmp, `${name}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args, '--out', out], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return { status: r.status, stdout: r.stdout, report: JSON.parse(readFileSync(out, 'utf8')) };
}

describe('a grid with a collapsed part', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const name of cases) {
    const want: Expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
    it(`${name}: through the CLI (the console's import)`, () => {
      const { status, report } = cli(name);
      expect(report.findings.map(key).sort()).toEqual(want.findings.map(key).sort());
      // (reading also names the repeated points it left out)
      const repaired = report.repaired.filter((r) => r.layer === 'grids').map((r) => ({ id: r.id, code: r.code }));
      expect(repaired).toEqual(expect.arrayContaining(want.repaired));
      if (want.repaired.length === 0) expect(repaired).toEqual([]);
      expect(report.skipped.map((r) => ({ id: r.id, code: r.code }))).toEqual(want.skipped);
      expect(report.summary.clean).toBe(want.clean);
      expect(report.summary.scores.land).toBe(want.land_score);
      if (want.land_score === null) expect(report.summary.checks.land).toEqual({ status: 'partial', note: 'skipped_grids' });
      expect(Object.fromEntries(report.grids.filter((g) => g.kind === 'base').map((g) => [g.code, g.households]))).toEqual(want.households);
      expect(status).toBe(want.clean ? 0 : 1);
    });
    it(`${name}: given straight to the engine`, () => {
      const { report } = runChecks(readLayeredFixture(`${dir}/${name}.geojson`));
      expect(report.findings.map(key).sort()).toEqual(want.findings.map(key).sort());
      expect(report.repaired.map((r) => ({ id: r.id, code: r.code }))).toEqual(want.repaired);
      expect(report.skipped.map((r) => ({ id: r.id, code: r.code }))).toEqual(want.skipped);
      expect(report.summary.clean).toBe(want.clean);
      expect(report.summary.scores.land).toBe(want.land_score);
      expect(Object.fromEntries(report.grids.filter((g) => g.kind === 'base').map((g) => [g.code, g.households]))).toEqual(want.households);
    });
  }
});
