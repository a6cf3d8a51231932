// Importing files in the built console, saved into a workspace in real IndexedDB, found
// intact after a reload.
import { readdirSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openConsole, useConsolePage } from './chromium';

type Hooks = { ready: boolean; source?: { kind: string }; counts?: Record<string, number>; district?: { meta: { district_name: string } } };
const hooks = (p: Page) => p.evaluate(() => {
  const g = (window as unknown as { gridscope: Hooks }).gridscope;
  return { ready: g.ready, source: g.source, counts: g.counts, name: g.district?.meta.district_name };
});
/** Waits until the district from `kind` is on the map and drawn. */
const drawnFrom = (p: Page, kind: string) => p.waitForFunction((k) => {
  const g = (window as unknown as { gridscope: Hooks }).gridscope;
  return g.ready && g.source?.kind === k;
}, kind, { timeout: 60_000 });

const { page, baseUrl, allowErrors } = useConsolePage();

describe('import into a workspace', () => {
  it('imports a projected GBK Shapefile and a roster, and finds them after a reload', async () => {
    await page().getByTestId('open-import').click();
    await page().getByTestId('workspace-name').fill('测试工作区');
    await page().getByTestId('import-files').setInputFiles(['tests/fixtures/shapefile/gauss-kruger-4528.zip', 'tests/fixtures/roster/roster.csv']);
    await expect.poll(() => page().getByTestId('import-file').count()).toBe(2);
    const shp = page().getByTestId('import-file').nth(0);
    await expect(shp.textContent()).resolves.toContain('已按 .prj 把投影坐标转换为经纬度');
    expect(await shp.getByTestId('import-role').inputValue()).toBe('grids');
    await shp.getByTestId('import-save').click();
    await expect(shp.getByTestId('import-result').textContent()).resolves.toContain('导入 5 条，拒绝 0 条');
    const roster = page().getByTestId('import-file').nth(1);
    expect(await roster.getByTestId('import-role').inputValue()).toBe('households');
    expect(await roster.getByRole('combobox', { name: 'residents', exact: true }).inputValue()).toBe('家庭人口'); // guessed
    await roster.getByRole('combobox', { name: 'residents', exact: true }).selectOption('单元'); // the user maps it otherwise
    await roster.getByTestId('import-save').click();
    await expect(roster.getByTestId('import-result').textContent()).resolves.toContain('导入 5 条，拒绝 0 条');

    await openConsole(page(), baseUrl); // reload
    await page().getByTestId('open-import').click();
    await expect.poll(() => page().getByTestId('workspace-select').locator('option').allTextContents()).toContain('测试工作区');
    const layers = await page().getByTestId('workspace-layers').textContent();
    expect(layers).toContain('网格: 5');
    expect(layers).toContain('住户: 5');
    // The same roster again: the mapping the user chose for this workspace comes back, not the guess.
    await page().getByTestId('import-files').setInputFiles('tests/fixtures/roster/roster.csv');
    await expect(page().getByTestId('import-file').getByRole('combobox', { name: 'residents', exact: true }).inputValue()).resolves.toBe('单元');
  });

  it('opens a workspace on the map, keeps it open across a reload, and exports, deletes and brings it back', async () => {
    const p = page();
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('我的网格');
    await p.getByTestId('import-files').setInputFiles(['tests/fixtures/import/gis-grids.geojson', 'tests/fixtures/roster/roster.csv']);
    await expect.poll(() => p.getByTestId('import-file').count()).toBe(2);
    await p.getByTestId('import-file').nth(0).getByTestId('import-save').click();
    const result = await p.getByTestId('import-file').nth(0).getByTestId('import-result').textContent();
    expect(result).toContain('导入 4 条，拒绝 1 条，修复 2 条');
    expect(result).toContain('环未闭合');
    await p.getByTestId('import-file').nth(1).getByTestId('import-save').click();
    await p.getByTestId('import-file').nth(1).getByTestId('import-result').waitFor();

    await p.getByTestId('workspace').getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    let h = await hooks(p);
    expect(h.name).toBe('我的网格');
    expect(h.counts).toMatchObject({ baseGrids: 3, dedicatedGrids: 1, households: 5, buildings: 0, cases: 0 });
    expect(await p.getByTestId('breadcrumbs').textContent()).toContain('我的网格');

    // Markup in a property is shown as text, never run or rendered.
    await p.getByTestId('search').fill('370705001001003');
    await p.getByTestId('search').press('Enter');
    await expect(p.getByTestId('inspector-title').textContent()).resolves.toBe('<img src=x onerror=alert(1)>');
    expect(await p.locator('[data-testid=inspector] img').count()).toBe(0);

    // 户主 and phone: masked in the inspector until asked for.
    await p.getByTestId('search').fill('R001');
    await p.getByTestId('search').press('Enter');
    await expect(p.getByTestId('personal-head').textContent()).resolves.toBe('张*丰');
    expect(await p.getByTestId('personal-phone').textContent()).toBe('138****1234');
    await p.getByTestId('personal-toggle').click();
    expect(await p.getByTestId('personal-head').textContent()).toBe('张三丰');
    expect(await p.getByTestId('personal-phone').textContent()).toBe('13812341234');

    // Exports of the district on the map: personal data only when ticked.
    await p.getByTestId('open-import').click();
    const dbfOf = async () => {
      const d = p.waitForEvent('download');
      await p.getByTestId('export-district-shp').click();
      const zip = unzipSync(readFileSync(await (await d).path()));
      expect(Object.keys(zip).sort()).toContain('households.cpg');
      return Buffer.from(zip['households.dbf']);
    };
    expect((await dbfOf()).includes(Buffer.from('13812341234'))).toBe(false);
    await p.getByTestId('export-personal').check();
    const dbf = await dbfOf();
    expect(dbf.includes(Buffer.from('13812341234'))).toBe(true);
    expect(dbf.includes(Buffer.from('张三丰'))).toBe(true); // UTF-8, as the .cpg says
    await p.getByTestId('export-personal').uncheck();
    const csv = p.waitForEvent('download');
    await p.getByTestId('export-assignment-csv').click();
    const table = readFileSync(await (await csv).path(), 'utf8');
    expect(table.split(/\r?\n/)[0]).toBe('\ufeff户编号,楼栋编号,网格编码,网格名称');
    expect(table).not.toContain('张三丰');

    await openConsole(p, baseUrl); // reload: the workspace is what opens
    await drawnFrom(p, 'workspace');
    h = await hooks(p);
    expect(h.name).toBe('我的网格');

    await p.getByTestId('open-import').click();
    await p.getByTestId('rename').click();
    await p.getByTestId('rename-input').fill('我的网格 v2');
    await p.getByTestId('rename-save').click();
    await expect.poll(() => p.getByTestId('workspace-name-label').textContent()).toBe('我的网格 v2');
    const download = p.waitForEvent('download');
    await p.getByTestId('export-workspace').click();
    const file = await (await download).path();
    expect((await download).suggestedFilename()).toBe('我的网格 v2.gridscope');
    // No phone numbers unless asked: the unpacked contents read, not the compressed bytes searched.
    const unpacked = Object.values(unzipSync(readFileSync(file))).map((b) => Buffer.from(b).toString('utf8')).join('\n');
    expect(unpacked).toContain('R001');
    expect(unpacked).not.toContain('13812341234');
    expect(unpacked).not.toContain('张三丰');

    await p.getByTestId('delete').click();
    await p.getByTestId('confirm-delete').click();
    await drawnFrom(p, 'demo'); // the workspace on the map was deleted: back to the demo
    await p.getByTestId('open-import').click();
    await expect.poll(() => p.getByTestId('workspace').count()).toBe(0);
    await p.getByTestId('import-files').setInputFiles({ name: 'back.gridscope', mimeType: 'application/zip', buffer: readFileSync(file) });
    await expect.poll(() => p.getByTestId('workspace-name-label').allTextContents()).toEqual(['我的网格 v2']);
    await p.getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    expect((await hooks(p)).counts).toMatchObject({ baseGrids: 3, dedicatedGrids: 1, households: 5 });
  });

  it('reads only the map view of a large indexed FlatGeobuf from a URL, through Range requests', async () => {
    const p = page();
    const ranged: number[] = [];
    p.on('response', (r) => { if (r.url().includes('/__fixtures/')) ranged.push(r.status()); });
    // The lattice spans 119.100–119.145 E, 36.700–36.745 N: look at its south-west corner.
    await p.evaluate(() => (window as unknown as { gridscope: { jumpTo: (x: number, y: number, z: number) => void } }).gridscope.jumpTo(119.104, 36.704, 17));
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('URL');
    await p.getByTestId('import-url').fill(`${baseUrl}__fixtures/fgb-url/lattice.fgb`);
    await p.getByTestId('import-url-read').click();
    const file = p.getByTestId('import-file');
    await file.waitFor();
    const text = await file.textContent();
    const [, n, total] = /只读取了当前地图视野内的 (\d+) 个要素（共 (\d+) 个/.exec(text ?? '') ?? [];
    expect(Number(total)).toBe(8100);
    expect(Number(n)).toBeGreaterThan(100);
    expect(Number(n)).toBeLessThan(8100 / 2);
    expect(ranged.length).toBeGreaterThan(1);
    expect(ranged.every((s) => s === 206)).toBe(true);
    await file.getByTestId('import-role').selectOption('buildings');
    await file.getByTestId('import-save').click();
    await expect(file.getByTestId('import-result').textContent()).resolves.toContain(`导入 ${n} 条，拒绝 0 条`);
  });

  it('says so when the browser storage is full, saving nothing and losing nothing', async () => {
    const p = page();
    // Chromium's own quota for the site, cut to 200 kB (it holds while nothing is stored yet):
    // a few grids fit, 8,100 buildings do not.
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseUrl).origin, quotaSize: 200_000 });
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('满');
    await p.getByTestId('import-files').setInputFiles('tests/fixtures/import/gis-grids.geojson');
    await p.getByTestId('import-file').getByTestId('import-save').click();
    await p.getByTestId('import-file').getByTestId('import-result').waitFor();
    await p.getByTestId('import-files').setInputFiles('tests/fixtures/fgb-url/lattice.fgb');
    const big = p.getByTestId('import-file').nth(1);
    await big.getByTestId('import-role').selectOption('buildings');
    await big.getByTestId('import-save').click();
    await expect(p.getByRole('alert').textContent()).resolves.toContain('lattice.fgb：本机浏览器存储已满，这次没有保存任何内容');
    expect(await big.getByTestId('import-result').count()).toBe(0);
    const saved = await p.getByTestId('workspace').textContent();
    expect(saved).toContain('网格 4');
    expect(saved).not.toContain('楼栋');
    // Into a new workspace, the same: refused, and no empty workspace left behind.
    await p.getByTestId('workspace-select').selectOption('');
    await p.getByTestId('workspace-name').fill('又满');
    await big.getByTestId('import-save').click();
    await expect.poll(() => p.getByRole('alert').count()).toBe(2);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseUrl).origin });
    // What was stored is still there, read back after a reload: the four grids on the map.
    await openConsole(p, baseUrl);
    await p.getByTestId('open-import').click();
    expect(await p.getByTestId('workspace-select').locator('option').allTextContents()).not.toContain('又满');
    await p.getByTestId('workspace').getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    expect((await hooks(p)).counts).toMatchObject({ baseGrids: 3, dedicatedGrids: 1 });
  });

  it('names a URL that is not a FlatGeobuf file, and adds nothing', async () => {
    const p = page();
    allowErrors(/404/); // the browser logs the failed request itself
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-url').fill(`${baseUrl}__fixtures/fgb-url/missing.fgb`);
    await p.getByTestId('import-url-read').click();
    await expect(p.getByRole('alert').textContent()).resolves.toMatch(/missing\.fgb: HTTP 404/);
    expect(await p.getByTestId('import-file').count()).toBe(0);
  });

  it('names each broken file, saves nothing from it, imports the usable part of the rest, and keeps working', async () => {
    const p = page();
    const broken = JSON.parse(readFileSync('tests/fixtures/broken/broken.expected.json', 'utf8'));
    const unreadable = Object.keys(broken.unreadable).map((f) => `tests/fixtures/broken/${f}`);
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-files').setInputFiles(['tests/fixtures/shapefile/truncated.zip', ...unreadable, 'tests/fixtures/broken/bad-geometries.geojson']);
    await expect.poll(() => p.getByRole('alert').count()).toBe(unreadable.length + 1);
    const alerts = (await p.getByRole('alert').allTextContents()).join('\n');
    // In the interface's language, each file named once, no raw engine message.
    expect(alerts).toMatch(/truncated\.zip：grids\.shp：无法读取/);
    for (const [name, message] of Object.entries(broken.unreadable_zh as Record<string, string>)) expect(alerts, name).toMatch(new RegExp(message));
    for (const name of Object.keys(broken.unreadable)) expect(alerts.split(name).length - 1, `${name} named once`).toBe(1);
    expect(alerts).not.toMatch(/typed array|Unexpected|at position|undefined/);
    expect(await p.getByTestId('import-file').count()).toBe(1); // only the one that can be read

    await p.getByTestId('workspace-name').fill('坏数据');
    const file = p.getByTestId('import-file');
    await file.getByTestId('import-save').click();
    // The bow-tie is made valid (ST_MakeValid) and said so; the rest of the bad ones are rejected.
    await expect(file.getByTestId('import-result').textContent()).resolves.toContain('导入 2 条，拒绝 6 条，修复 1 条（1 个要素的环自相交');
    const d = p.waitForEvent('download');
    await file.getByRole('button', { name: '下载被拒绝的记录（CSV）' }).click();
    const rejected = readFileSync(await (await d).path(), 'utf8').trim().split(/\r?\n/);
    expect(rejected).toHaveLength(1 + 6);
    expect(rejected[1]).toMatch(/^370705001001003,.*纬度/); // lat/lon named in Chinese
    await expect.poll(() => p.getByTestId('workspace').textContent()).toContain('网格 2');
    // Still a working console: the demo on the map answers a search.
    await p.getByTestId('import').locator('button.close').click();
    await p.getByTestId('search').fill('370705001001001');
    await p.getByTestId('search').press('Enter');
    await expect(p.getByTestId('inspector-code').textContent()).resolves.toBe('370705001001001');
  });

  it('guesses real files right: footprints with a height, a 311 export, districts with a figure-eight ring', async () => {
    const p = page();
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('真实文件');
    await p.getByTestId('import-files').setInputFiles(['tests/fixtures/import/footprints-height.geojson', 'tests/fixtures/import/311-cases.csv', 'tests/fixtures/import/districts-figure-eight.geojson']);
    await expect.poll(() => p.getByTestId('import-file').count()).toBe(3);
    const [footprints, cases, districts] = [0, 1, 2].map((k) => p.getByTestId('import-file').nth(k));
    expect(await footprints.getByTestId('import-role').inputValue()).toBe('buildings');
    expect(await footprints.getByRole('combobox', { name: 'id', exact: true }).inputValue()).toBe('name');
    expect(await footprints.getByRole('combobox', { name: 'height', exact: true }).inputValue()).toBe('height');
    expect(await cases.getByTestId('import-role').inputValue()).toBe('cases');
    for (const [field, column] of [['service_request_id', 'case_enquiry_id'], ['requested_datetime', 'open_dt'], ['expected_datetime', 'sla_target_dt'],
      ['closed_datetime', 'closed_dt'], ['status', 'case_status'], ['service_name', 'type'], ['address', 'location'], ['lat', 'latitude'], ['long', 'longitude']]) {
      expect(await cases.getByRole('combobox', { name: field, exact: true }).inputValue(), field).toBe(column);
    }
    expect(await districts.getByTestId('import-role').inputValue()).toBe('boundaries');

    // A required field unmapped: saving is not offered, and the panel says which.
    await cases.getByRole('combobox', { name: 'service_request_id', exact: true }).selectOption('');
    await expect(cases.getByTestId('import-missing').textContent()).resolves.toContain('service_request_id');
    expect(await cases.getByTestId('import-save').isDisabled()).toBe(true);
    await cases.getByRole('combobox', { name: 'service_request_id', exact: true }).selectOption('case_enquiry_id');
    expect(await cases.getByTestId('import-missing').count()).toBe(0);

    await footprints.getByTestId('import-save').click();
    await expect(footprints.getByTestId('import-result').textContent()).resolves.toContain('导入 12 条，拒绝 0 条');
    await cases.getByTestId('import-save').click();
    await expect(cases.getByTestId('import-result').textContent()).resolves.toContain('导入 20 条，拒绝 0 条');
    await districts.getByTestId('import-save').click();
    const repaired = await districts.getByTestId('import-result').textContent();
    // The figure-eight is kept, made valid: nothing rejected, so no hole where the district is.
    expect(repaired).toContain('导入 2 条，拒绝 0 条，修复 1 条');
    expect(repaired).toContain('环自相交');
    await expect.poll(() => p.getByTestId('workspace-layers').textContent()).toContain('行政区划: 2');
    const layers = await p.getByTestId('workspace-layers').textContent();
    expect(layers).toContain('楼栋: 12');
    expect(layers).toContain('事件: 20');
    await p.getByTestId('import').screenshot({ path: 'test-results/import-real-files.png' });
  });

  it('turns away hostile files by name, imports the rest, shows markup as text everywhere, and keeps working', async () => {
    const p = page();
    allowErrors(/Failed to load resource/);
    // The generated hostile workspace files (workspace-*) each go through the import in
    // tests/unit/hostile.test.ts, and one through this page in workspace-file.test.ts.
    const files = readdirSync('tests/fixtures/hostile').filter((n) => !n.endsWith('.json') && !n.startsWith('workspace-')).map((n) => `tests/fixtures/hostile/${n}`);
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('<img src=x onerror=alert(1)>');
    const t = Date.now();
    await p.getByTestId('import-files').setInputFiles(files);
    // Each file ends as a refusal naming it or as a file ready to map: none hangs.
    await expect.poll(async () => (await p.getByRole('alert').count()) + (await p.getByTestId('import-file').count()), { timeout: 60_000 }).toBe(files.length);
    expect(Date.now() - t).toBeLessThan(60_000);
    const alerts = (await p.getByRole('alert').allTextContents()).join('\n');
    for (const f of ['fgb-empty.fgb', 'fgb-magic-only.fgb', 'fgb-16-bytes.fgb', 'fgb-one-byte-short.fgb', 'zip-bomb.zip', 'shp-dbf-mismatch.zip', 'not-a-workspace.gridscope']) {
      expect(alerts, f).toContain(f);
    }
    expect(alerts).not.toMatch(/typed array|Maximum call stack|undefined|\n\s+at /);
    // The grids with markup in their names: saved, opened, searched.
    const markup = p.getByTestId('import-file').filter({ hasText: 'markup-and-formulas.geojson' });
    await markup.getByTestId('import-save').click();
    await markup.getByTestId('import-result').waitFor();
    await expect.poll(() => p.getByTestId('workspace-select').locator('option').allTextContents()).toContain('<img src=x onerror=alert(1)>');
    await p.getByTestId('workspace').getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    expect(await p.getByTestId('breadcrumbs').textContent()).toContain('<img src=x onerror=alert(1)>');
    await p.getByTestId('search').fill('<img');
    await expect(p.getByTestId('search-results').textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    await p.getByTestId('search').press('Enter');
    await expect(p.getByTestId('inspector-title').textContent()).resolves.toBe('<img src=x onerror=alert(1)>');
    expect(await p.locator('img').count()).toBe(0);
    expect(await p.evaluate(() => document.title)).toContain('<img src=x onerror=alert(1)>');
  });
});
