// The coverage report in the built console: run the checks, read the counts (the same as
// the CLI's on the same files), fly to a finding, export CSV for Excel.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/checks/report';
import { useConsolePage } from './chromium';

declare const window: { gridscope: { report: Report; view: () => { center: [number, number]; zoom: number } } };

const { page } = useConsolePage();

function cliReport(): Report {
  const out = join(mkdtempSync(join(tmpdir(), 'gridscope-demo-')), 'report.json');
  const d = 'data/demo';
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts',
    '--grids', `${d}/grids.fgb`, '--buildings', `${d}/buildings.fgb`, '--households', `${d}/households.fgb`,
    '--boundaries', `${d}/boundaries.fgb`, '--out', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(1);
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('coverage report in the console', () => {
  it('runs the checks and shows the same counts as the CLI on the same files', async () => {
    const cli = cliReport();
    await page().getByTestId('open-report').click();
    await page().getByTestId('run-checks').click();
    await page().waitForFunction(() => !document.querySelector('[data-testid="run-checks"]')?.hasAttribute('disabled'));
    const counts = await page().evaluate(() => window.gridscope.report.summary.counts);
    expect(counts).toEqual(cli.summary.counts);
    expect(await page().evaluate(() => window.gridscope.report.summary.scores)).toEqual(cli.summary.scores);
    // What the panel shows: one chip per kind of finding, with its count.
    for (const [kind, n] of Object.entries(cli.summary.counts).filter(([, n]) => n > 0)) {
      await expect(page().getByTestId(`kind-${kind}`).textContent()).resolves.toContain(String(n));
    }
    await expect(page().getByTestId('score-land').textContent()).resolves.toBe(`${(cli.summary.scores.land! * 100).toFixed(2)}%`);
  });

  it('clicking a gap flies to it', async () => {
    await page().getByTestId('open-report').click();
    await page().getByTestId('kind-gap').click();
    const before = await page().evaluate(() => window.gridscope.view());
    await page().getByTestId('findings').getByRole('button').first().click();
    await page().waitForFunction((z) => window.gridscope.view().zoom > z + 2, before.zoom, { timeout: 10_000 });
  });

  it('exports the findings as CSV that Excel reads: UTF-8 with BOM, Chinese headers', async () => {
    await page().getByTestId('open-report').click();
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByTestId('export-csv').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain('问题类型');
    const n = await page().evaluate(() => window.gridscope.report.findings.length);
    expect(lines).toHaveLength(n + 1);
    expect(text).toContain('缝隙（无网格覆盖）');
  });

  it('with grids and no boundary: overlaps and the enclosed hole found, land "not checked", never a score', async () => {
    const p = page();
    // The block fixture's grids alone, as a file a user would import (no boundary, no buildings, no roster).
    const fx = JSON.parse(readFileSync('tests/fixtures/land/block-no-boundary.geojson', 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'gridscope-noboundary-')), 'grids-only.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: fx.features.filter((f: { properties: { role: string } }) => f.properties.role === 'grid') }));
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('只有网格');
    await p.getByTestId('import-files').setInputFiles(file);
    await p.getByTestId('import-file').getByTestId('import-save').click();
    await p.getByTestId('import-file').getByTestId('import-result').waitFor();
    await p.getByTestId('workspace').getByTestId('open-workspace').click();
    await p.waitForFunction(() => (window as unknown as { gridscope: { ready: boolean; source?: { kind: string } } }).gridscope.source?.kind === 'workspace'
      && (window as unknown as { gridscope: { ready: boolean } }).gridscope.ready, undefined, { timeout: 60_000 });
    await p.getByTestId('open-report').click();
    const report = await p.evaluate(() => window.gridscope.report);
    expect(report.summary.counts.overlap).toBe(8);
    expect(report.summary.counts.gap).toBe(1);
    expect(report.summary.scores.land).toBeNull();
    await expect(p.getByTestId('score-land').textContent()).resolves.toMatch(/^未核查 — 未加载社区或辖区边界/);
    await expect(p.getByTestId('score-buildings').textContent()).resolves.toBe('无数据 — 没有楼栋图层');
    await expect(p.getByTestId('kind-overlap').textContent()).resolves.toContain('8');
    await p.screenshot({ path: 'test-results/report-no-boundary.png' });
  });
});
