// The command-line check: exit codes, report JSON, findings GeoJSON and Excel CSV.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/checks/report';

const dir = mkdtempSync(join(tmpdir(), 'gridscope-cli-'));
const fixture = JSON.parse(readFileSync('tests/fixtures/engine/rules.geojson', 'utf8'));
const files: Record<string, string> = {};
for (const layer of ['boundaries', 'grids', 'buildings', 'households']) {
  files[layer] = join(dir, `${layer}.geojson`);
  writeFileSync(files[layer], JSON.stringify({ type: 'FeatureCollection', features: fixture.features.filter((f: any) => f.properties.layer === layer) }));
}

function check(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args], { encoding: 'utf8' });
}

describe('npm run check', () => {
  it('exits 1 with findings, writes the report, findings GeoJSON and CSV', () => {
    const out = join(dir, 'report.json');
    const csv = join(dir, 'findings.csv');
    const r = check('--grids', files.grids, '--buildings', files.buildings, '--households', files.households, '--boundaries', files.boundaries, '--out', out, '--csv', csv);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('straddling_building          2');
    const report: Report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.version).toBe(2);
    expect(report.summary.counts.misplaced_household).toBe(2);
    expect(report.grids.find((g) => g.code === '370705001001001')?.households).toBe(3);
    const geo = JSON.parse(readFileSync(join(dir, 'report.findings.geojson'), 'utf8'));
    expect(geo.features).toHaveLength(report.findings.length);
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('\ufeff序号,规则,问题类型,涉及对象,网格名称,面积（平方米）,占比,数量,距离（米）,经度,纬度');
    // Every finding with a geometry has a representative point (an overlap's lies inside it).
    for (const [k, f] of report.findings.entries()) {
      const cells = lines[k + 1].split(',');
      if (f.geometry) expect(Number(cells[9]), `${f.kind} lon`).toBeGreaterThan(119);
      if (f.geometry) expect(Number(cells[10]), `${f.kind} lat`).toBeGreaterThan(36);
    }
  });

  it('exits 0 when every rule is clean', () => {
    const clean = JSON.parse(readFileSync('tests/fixtures/land/clean.geojson', 'utf8'));
    const g = join(dir, 'clean-grids.geojson');
    const b = join(dir, 'clean-boundaries.geojson');
    writeFileSync(g, JSON.stringify({ type: 'FeatureCollection', features: clean.features.filter((f: any) => f.properties.role === 'grid').map((f: any) => ({ ...f, properties: { ...f.properties, band_min: 0, band_max: 10 } })) }));
    writeFileSync(b, JSON.stringify({ type: 'FeatureCollection', features: clean.features.filter((f: any) => f.properties.role === 'region') }));
    const r = check('--grids', g, '--boundaries', b);
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('findings: none');
  });

  it('reads a CSV roster with mapped columns', () => {
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, '\ufeff户编号,楼栋编号,人数\nR1,B1,3\nR2,B404,2\n');
    const r = check('--grids', files.grids, '--buildings', files.buildings, '--households', roster, '--boundaries', files.boundaries,
      '--map', 'households.id=户编号', '--map', 'households.building_id=楼栋编号', '--map', 'households.residents=人数', '--out', join(dir, 'r2.json'));
    expect(r.status, r.stderr).toBe(1);
    const report: Report = JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8'));
    expect(report.summary.totals.households).toBe(2);
    expect(report.findings.filter((f) => f.kind === 'dangling_household').map((f) => f.ids)).toEqual([['R2', 'B404']]);
  });

  it('exits 2 on unusable input, naming the file and what is wrong', () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, '{"type": "FeatureCollection", "features": [');
    const r = check('--grids', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: not valid JSON`);
    const missing = check('--grids', join(dir, 'nope.fgb'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('names each unusable feature and still checks the rest', () => {
    const grids = JSON.parse(readFileSync(files.grids, 'utf8'));
    grids.features.push(
      { type: 'Feature', properties: { code: '370705001001777', kind: 'base', community_code: '370705001001' }, geometry: { type: 'Polygon', coordinates: [[[119.1, 36.7], [119.101, 36.701], [119.101, 36.7], [119.1, 36.701], [119.1, 36.7]]] } },
      { type: 'Feature', properties: { code: '370705001001778', kind: 'base', community_code: '370705001001' }, geometry: { type: 'Polygon', coordinates: [[[36.7, 119.1], [36.7, 119.2], [36.8, 119.2], [36.7, 119.1]]] } },
      { type: 'Feature', properties: { code: '370705001001779', kind: 'base', community_code: '370705001001' }, geometry: { type: 'Polygon', coordinates: [[[500000, 4060000], [500100, 4060000], [500100, 4060100], [500000, 4060000]]] } },
      { type: 'Feature', properties: { code: '370705001001780', kind: 'base', community_code: '370705001001' }, geometry: { type: 'Polygon', coordinates: [] } },
      { type: 'Feature', properties: { code: '370705001001781', kind: 'base', community_code: '370705001001' }, geometry: { type: 'Polygon', coordinates: [[[119.1, 36.7], [119.101, 36.7], [119.101, 36.701], [119.1, 36.701]]] } },
      { type: 'Feature', properties: { name: 'no code' }, geometry: { type: 'Polygon', coordinates: [[[119.1, 36.7], [119.101, 36.7], [119.101, 36.701], [119.1, 36.7]]] } },
    );
    const g = join(dir, 'bad-grids.geojson');
    writeFileSync(g, JSON.stringify(grids));
    const out = join(dir, 'r3.json');
    const r = check('--grids', g, '--buildings', files.buildings, '--households', files.households, '--boundaries', files.boundaries, '--out', out);
    expect(r.status).toBe(1);
    const report: Report = JSON.parse(readFileSync(out, 'utf8'));
    const reasons = Object.fromEntries(report.skipped.filter((s) => s.layer === 'grids').map((s) => [s.id, s.reason]));
    expect(reasons['370705001001778']).toMatch(/look like \[lat, lon\]/);
    expect(reasons['370705001001779']).toMatch(/not degrees/);
    expect(reasons['370705001001780']).toMatch(/empty geometry/);
    expect(reasons['#11']).toMatch(/missing property "code"/);
    expect(report.summary.skipped).toBe(4);
    // Read as the console's import reads it: a bow-tie is made valid, an unclosed ring closed.
    const repaired = Object.fromEntries(report.repaired.filter((s) => s.layer === 'grids').map((s) => [s.id, s.code]));
    expect(repaired).toEqual({ '370705001001777': 'self_intersecting', '370705001001781': 'closed_ring' });
    expect(report.summary.totals.grids).toBe(7); // the good ones and the mended ones are checked
    expect(r.stdout).toContain('skipped (unusable input): 4');
    expect(r.stdout).toContain('repaired (invalid shapes made valid, then checked): 2');
  });
  it('writes all of its outputs or none: a --csv that cannot be written leaves no new --out and an old one as it was', () => {
    const outDir = join(dir, 'all-or-none');
    mkdirSync(outDir);
    const layers = ['--grids', files.grids, '--buildings', files.buildings, '--households', files.households, '--boundaries', files.boundaries];
    const out = join(outDir, 'report.json');
    for (const csv of [join(outDir, 'no-such-folder', 'findings.csv'), outDir]) {
      const r = check(...layers, '--out', out, '--csv', csv);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${csv}: cannot write the output there (${csv === outDir ? 'it is a directory' : 'no such folder'}); no output was written`);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(outDir)).toEqual([]); // no report, no findings GeoJSON, no partial file
    }
    writeFileSync(out, 'the report of last week');
    const r = check(...layers, '--out', out, '--csv', outDir);
    expect(r.status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('the report of last week');
    expect(readdirSync(outDir)).toEqual(['report.json']);
    // and when every path can be written, every file is
    const ok = check(...layers, '--out', out, '--csv', join(outDir, 'findings.csv'));
    expect(ok.status, ok.stderr).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe(2);
    expect(existsSync(join(outDir, 'report.findings.geojson'))).toBe(true);
    expect(readdirSync(outDir).sort()).toEqual(['findings.csv', 'report.findings.geojson', 'report.json']);
  });
});
