// `npm start` on a fresh clone: the dev server with an empty dependency cache (as a clone has)
// serves the console, and the first files dropped on the data panel are imported and saved.
// The dev server used to meet the import worker's dependencies only then, re-bundle them and
// reload the page, closing the panel and losing the import without a word.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createServer, type ViteDevServer } from 'vite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, watchErrors } from './chromium';

let server: ViteDevServer;
let browser: Browser;
let cacheDir: string;
const logged: string[] = [];

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'gridscope-vite-cache-'));
  const logger = createLogger('info');
  const keep = (msg: string) => { logged.push(msg); };
  logger.info = keep;
  logger.warn = keep;
  logger.warnOnce = keep;
  // mode 'test' only for the page's test hooks (window.gridscope); the rest is `npm start`'s config.
  server = await createServer({ root: process.cwd(), cacheDir, mode: 'test', customLogger: logger, server: { port: 0, host: '127.0.0.1', open: false } });
  await server.listen();
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

describe('the dev server on a fresh clone', () => {
  it('imports the first files dropped on the data panel without reloading the page', async () => {
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors = watchErrors(page);
    let loads = 0;
    page.on('load', () => { loads++; });
    await page.goto(url!);
    await page.waitForFunction(() => (window as unknown as { gridscope?: { ready: boolean } }).gridscope?.ready === true, null, { timeout: 150_000 });

    await page.getByTestId('open-import').click();
    await page.getByTestId('workspace-name').fill('新克隆');
    // A Shapefile (shpjs), an XLSX roster (read-excel-file) and a GeoJSON: every reader the import worker has.
    await page.getByTestId('import-files').setInputFiles(['tests/fixtures/shapefile/gauss-kruger-4528.zip', 'tests/fixtures/roster/roster.xlsx', 'tests/fixtures/import/gis-grids.geojson']);
    await expect.poll(() => page.getByTestId('import-file').count(), { timeout: 60_000 }).toBe(3);
    const shp = page.getByTestId('import-file').nth(0);
    await shp.getByTestId('import-save').click();
    await expect(shp.getByTestId('import-result').textContent({ timeout: 60_000 })).resolves.toContain('导入 5 条');

    // Still the same page (no reload), the panel open, the import saved as a workspace.
    expect(loads).toBe(1);
    await expect.poll(() => page.getByTestId('workspace-select').locator('option').allTextContents()).toContain('新克隆');
    expect(logged.filter((m) => /optimized dependencies changed|reloading/i.test(m)), 'the dev server re-bundled and reloaded').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
