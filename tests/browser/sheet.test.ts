// The approval sheet in the built app (real headless Chromium, real IndexedDB): a plan made in
// the editor on the demo (an over-band grid auto-split, a neighbour deleted), the sheet opened
// from the comparison's link, printed to PDF on A3 and on A4 landscape, and the PDF read back
// with poppler (pdfinfo: the paper; pdftotext: the title, plan number, legend and the changed
// grids on page 1, their rows on page 2; pdftoppm: it renders).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { useConsolePage, watchErrors } from './chromium';
import { codesOf, deleteGrid, openEditor, selectGrid } from './editing';

declare const window: { gridscope: { draft?: { done: number } | null } };

const { page, baseUrl } = useConsolePage();
/** SHEET_SHOTS=dir keeps PNGs of pages 1 and 2 to look at (100 dpi) */
const shots = process.env.SHEET_SHOTS;

const pdfText = (file: string, first: number, last = first) => execFileSync('pdftotext', ['-f', String(first), '-l', String(last), '-layout', file, '-'], { encoding: 'utf8' });
/** pdftotext may break a line of CJK or a code with spaces: compare without them */
const squash = (s: string) => s.replace(/\s+/g, '');

async function printSheet(sheet: Page, paper: 'A3' | 'A4', dir: string, lang?: 'en') {
  if (!sheet.url().includes(`paper=${paper}`) || lang) await sheet.goto(`${baseUrl}sheet?version=imported&paper=${paper}${lang ? `&lang=${lang}` : ''}`);
  await sheet.locator('[data-testid="sheet-app"][data-drawn="true"]').waitFor({ timeout: 60_000 });
  const file = join(dir, `sheet-${paper}.pdf`);
  await sheet.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '2', file, join(dir, `page-${paper}`)]);
  const pngs = readdirSync(dir).filter((f) => f.startsWith(`page-${paper}`) && f.endsWith('.png'));
  if (shots) {
    mkdirSync(shots, { recursive: true });
    execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '2', file, join(shots, `sheet-${paper}`)]);
    copyFileSync(file, join(shots, `sheet-${paper}.pdf`));
  }
  return { file, w: Number(m[1]), h: Number(m[2]), pages, pngs: pngs.map((f) => join(dir, f)) };
}

describe('the approval sheet', () => {
  it('prints a plan made in the editor on A3 and A4 landscape: map, legend, title block, then its changes and scores', async () => {
    const p = page();
    await openEditor(p);
    // the plan: the demo's 902-household grid auto-split, and a neighbour of it deleted
    const split = '370705006001003';
    await selectGrid(p, split);
    await p.getByTestId('plan-split').click();
    await p.getByTestId('plan-accept').click({ timeout: 20_000 });
    await expect.poll(() => p.evaluate(() => window.gridscope.draft?.done ?? 0), { timeout: 20_000 }).toBe(1);
    const removed = (await codesOf(p)).find((c) => c.startsWith(split.slice(0, 12)) && c !== split && c.endsWith('002'))!;
    expect(removed).toBeTruthy();
    await deleteGrid(p, removed, 2);

    // the editor's comparison links to the sheet of that version
    await p.getByTestId('versions').getByTestId('compare').first().click();
    await p.getByTestId('comparison').waitFor();
    const link = p.getByTestId('open-sheet');
    expect(await link.getAttribute('href')).toMatch(/^sheet\?version=imported&paper=A3/);
    expect(await link.getAttribute('target')).toBe('_blank');
    const comparison = await p.getByTestId('comparison').textContent();
    const changed = [...new Set([...(comparison ?? '').matchAll(/（(\d{15})）(新增|改边)/g)].map((x) => x[1]))];
    expect(changed.length).toBeGreaterThan(0);
    const newCode = [...(comparison ?? '').matchAll(/（(\d{15})）新增/g)].map((x) => x[1])[0];
    expect(newCode).toBeTruthy();

    // the link opens the sheet in a new tab of the same browser (its IndexedDB: the same draft)
    const [sheet] = await Promise.all([p.waitForEvent('popup'), link.click()]);
    const errors = watchErrors(sheet);
    // nothing from anywhere else: no tile, no web font
    const elsewhere: string[] = [];
    sheet.on('request', (r) => { if (!r.url().startsWith(baseUrl) && !/^(data|blob):/.test(r.url())) elsewhere.push(r.url()); });
    const dir = mkdtempSync(join(tmpdir(), 'gridscope-sheet-'));
    const started = Date.now();

    const a3 = await printSheet(sheet, 'A3', dir);
    expect(Math.abs(a3.w - 1190.55)).toBeLessThanOrEqual(1);
    expect(Math.abs(a3.h - 841.89)).toBeLessThanOrEqual(1);
    expect(a3.pages).toBeGreaterThanOrEqual(2);
    // on the page: the deleted grid drawn dashed, the new one filled, a round scale bar
    const drawn = await sheet.evaluate(([gone, made]) => {
      const style = (sel: string) => { const el = document.querySelector(sel); return el && getComputedStyle(el); };
      return {
        dashed: style(`[data-testid="sheet-map"] path[data-code="${gone}"][data-change="removed"]`)?.strokeDasharray,
        fill: style(`[data-testid="sheet-map"] path[data-code="${made}"][data-change="added"]`)?.fill,
        metres: Number(document.querySelector('[data-testid="sheet-scale"]')?.getAttribute('data-metres')),
        pages: document.querySelectorAll('[data-testid="sheet-page"]').length,
      };
    }, [removed, newCode]);
    expect(drawn.dashed).toMatch(/\d/);
    expect(drawn.fill).toMatch(/rgba\(22, 163, 74/);
    expect(String(drawn.metres)).toMatch(/^[125]0*$/);
    expect(drawn.pages).toBe(a3.pages);
    const one = squash(pdfText(a3.file, 1));
    expect(one).toContain('网格调整方案审批单');
    expect(one).toContain('奎文区（示范）');
    expect(one).toContain(squash('奎文区（示范） 网格调整草稿')); // the plan number: the draft's name
    for (const w of ['图例', '新增网格', '改边网格', '删除网格', '网格边界', '街道界', '社区界', '道路', '水系', '房屋', '审批人', '草案']) expect(one, w).toContain(w);
    expect(one).not.toContain(squash('打印 / 存为 PDF')); // the print button stays off the paper
    // every changed grid is labelled on the map (inside it, or beside it with a leader line)
    for (const c of [...changed, removed]) expect(one, c).toContain(c);
    // the scale bar says a round length
    expect(pdfText(a3.file, 1)).toMatch(/\b(1|2|5)(0*) (米|千米)/);
    // page 2: the table of changes with the deleted grid's row, and the moves
    const two = pdfText(a3.file, 2);
    expect(two).toContain('网格变化');
    expect(two).toMatch(new RegExp(`${removed}\\s.*删除`));
    expect(two).toMatch(new RegExp(`${newCode}\\s.*新增`));
    expect(squash(pdfText(a3.file, 2, a3.pages))).toContain('方案评分');
    expect(a3.pngs.length).toBe(2);
    for (const f of a3.pngs) expect(statSync(f).size).toBeGreaterThan(10_000);

    // A4, in English this time (lang=en): the same sheet, all of its words from the English messages
    const a4 = await printSheet(sheet, 'A4', dir, 'en');
    expect(Math.abs(a4.w - 841.89)).toBeLessThanOrEqual(1);
    expect(Math.abs(a4.h - 595.28)).toBeLessThanOrEqual(1);
    const oneA4 = pdfText(a4.file, 1);
    for (const w of ['Grid plan approval sheet', 'Plan number', 'Legend', 'Grid added', 'Grid reshaped', 'Grid removed', 'Street boundary', 'Approver', 'Draft']) expect(oneA4, w).toContain(w);
    expect(squash(oneA4)).toContain(squash('奎文区（示范） 网格调整草稿'));
    for (const c of [...changed, removed]) expect(squash(oneA4), c).toContain(c);
    expect(oneA4).not.toMatch(/[图例审批新增删除]/); // no Chinese word of the sheet's own left
    const twoA4 = pdfText(a4.file, 2);
    expect(twoA4).toContain('Grids changed');
    expect(twoA4).toMatch(new RegExp(`${removed}\\s.*removed`));
    expect(a4.pngs.length).toBe(2);
    expect(existsSync(a4.pngs[0])).toBe(true);

    // a version the draft does not have: said so, naming it, and nothing printed as if it were a plan
    await sheet.goto(`${baseUrl}sheet?version=no-such-version`);
    const alert = sheet.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/没有版本“no-such-version”/);
    expect(await sheet.getByTestId('sheet').count()).toBe(0);
    expect(await sheet.getByTestId('sheet-print').isDisabled()).toBe(true);

    console.log(`approval sheet: A3 ${a3.pages} pages, A4 ${a4.pages} pages, opened and printed twice in ${Date.now() - started} ms`);
    expect(errors, 'sheet page errors').toEqual([]);
    expect(elsewhere).toEqual([]);
    await sheet.close();
  });
});
