// Importing files in the built console, saved into a workspace in real IndexedDB, found
// intact after a reload.
import { describe, expect, it } from 'vitest';
import { openConsole, useConsolePage } from './chromium';

const { page, baseUrl } = useConsolePage();

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
    await roster.getByTestId('import-save').click();
    await expect(roster.getByTestId('import-result').textContent()).resolves.toContain('导入 5 条，拒绝 0 条');

    await openConsole(page(), baseUrl); // reload
    await page().getByTestId('open-import').click();
    await expect.poll(() => page().getByTestId('workspace-select').locator('option').allTextContents()).toContain('测试工作区');
    const layers = await page().getByTestId('workspace-layers').textContent();
    expect(layers).toContain('网格: 5');
    expect(layers).toContain('住户: 5');
  });

  it('names a broken file and saves nothing from it', async () => {
    await page().getByTestId('open-import').click();
    await page().getByTestId('import-files').setInputFiles('tests/fixtures/shapefile/truncated.zip');
    await expect(page().getByRole('alert').textContent()).resolves.toMatch(/truncated\.zip: grids\.shp: cannot be read/);
    expect(await page().getByTestId('import-file').count()).toBe(0);
  });
});
