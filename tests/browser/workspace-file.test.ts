// The workspace file and workspaces that cannot be opened, in the built console (real
// headless Chromium, real IndexedDB): an edited workspace exported and restored is the draft as
// it was (undo goes on), a hostile file is refused by name in the page's language, a stored
// workspace that fails to open leaves the console on the demo with the failure named (and a new
// tab does not try it again), and a workspace with no grids opens and offers to draw or import them.
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openConsole, useConsolePage } from './chromium';

interface Exposed {
  ready: boolean;
  source?: { kind: string; id?: string };
  draft?: { workspaceId: string | null; done: number; total: number };
  district?: { meta: { district_name: string }; grids: { properties: { code: string } }[] };
}
declare const window: { gridscope: Exposed };

const { page, baseUrl, allowErrors } = useConsolePage();
const fixture = (name: string) => readFileSync(`tests/fixtures/hostile/${name}`);

const state = (p: Page) => p.evaluate(() => ({ source: window.gridscope.source, draft: window.gridscope.draft, name: window.gridscope.district?.meta.district_name, codes: window.gridscope.district?.grids.map((g) => g.properties.code) }));
const drawnFrom = (p: Page, kind: string) => p.waitForFunction((k) => window.gridscope?.ready && window.gridscope.source?.kind === k && window.gridscope.district !== undefined, kind, { timeout: 60_000 });

/** Brings a workspace file in through the import panel and opens the one workspace it makes. */
async function importAndOpen(p: Page, name: string, bytes: Buffer) {
  await p.getByTestId('open-import').click();
  await p.getByTestId('import-files').setInputFiles({ name, mimeType: 'application/zip', buffer: bytes });
  await expect.poll(() => p.getByTestId('workspace').count()).toBe(1);
  await p.getByTestId('open-workspace').click();
  await drawnFrom(p, 'workspace');
}

describe('the workspace file in the console', () => {
  it('exports an edited workspace and restores it exactly: its edits, the one undone, its version; undo goes on', async () => {
    const p = page();
    await importAndOpen(p, '敌意工作区.gridscope', fixture('workspace-good.gridscope')); // 2 edits (two grids deleted) and a version
    expect((await state(p)).draft).toMatchObject({ done: 2, total: 2 });
    await p.getByTestId('open-edit').click();
    await p.getByTestId('undo').click();
    await expect.poll(async () => (await state(p)).draft?.done).toBe(1);
    const edited = await state(p);

    await p.getByTestId('open-import').click();
    const download = p.waitForEvent('download');
    await p.getByTestId('export-workspace').click();
    const file = readFileSync(await (await download).path());
    const parts = unzipSync(file);
    expect(JSON.parse(strFromU8(parts['workspace.json']))).toMatchObject({ version: 2, editsDone: 1 });
    const draft = JSON.parse(strFromU8(parts['draft.json']));
    expect(draft.edits.map((e: { seq: number; op: { type: string } }) => `${e.seq} ${e.op.type}`)).toEqual(['1 delete', '2 delete']);
    expect(draft.versions.map((v: { name: string }) => v.name)).toEqual(['初稿']);

    // Deleted, then brought back from the file: the draft as it was left.
    await p.getByTestId('delete').click();
    await p.getByTestId('confirm-delete').click();
    await drawnFrom(p, 'demo');
    await importAndOpen(p, 'back.gridscope', file);
    const back = await state(p);
    expect(back.draft).toMatchObject({ done: 1, total: 2 });
    expect(back.codes).toEqual(edited.codes);
    await p.getByTestId('open-edit').click();
    await expect.poll(() => p.getByTestId('versions').textContent()).toContain('初稿');
    await p.getByTestId('redo').click();
    await expect.poll(async () => (await state(p)).draft?.done).toBe(2);
    expect((await state(p)).codes).toHaveLength(edited.codes!.length - 1);
    await p.getByTestId('undo').click();
    await p.getByTestId('undo').click();
    await expect.poll(async () => (await state(p)).draft?.done).toBe(0);
    expect((await state(p)).codes).toHaveLength(4);
    await openConsole(p, baseUrl); // and saved as it went
    await drawnFrom(p, 'workspace');
    expect((await state(p)).draft).toMatchObject({ done: 0, total: 2 });
  });

  it('refuses a hostile workspace file by name, in Chinese, adding nothing', async () => {
    const p = page();
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-files').setInputFiles({ name: 'workspace-ring-ends-past.gridscope', mimeType: 'application/zip', buffer: fixture('workspace-ring-ends-past.gridscope') });
    await expect.poll(() => p.getByRole('alert').allTextContents()).toContain('workspace-ring-ends-past.gridscope：grids.geo.json：ringEnds 的第 0 项止于 4294967295，超出了实有的 68 个');
    expect(await p.getByTestId('workspace').count()).toBe(0);
  });

  it('a stored workspace that fails to open: the demo opens, the failure is named, the choice forgotten (a new tab or a reload opens the demo)', async () => {
    allowErrors(/ringEnds|FileError/);
    const p = page();
    await importAndOpen(p, '敌意工作区.gridscope', fixture('workspace-good.gridscope'));
    const id = (await state(p)).source!.id!;
    // Its grids' row damaged in IndexedDB (as an older or buggy version, or a hand, might leave it).
    await p.evaluate((wsId) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('gridscope');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('layers', 'readwrite');
        const layers = tx.objectStore('layers');
        const get = layers.get(`${wsId}:grids`);
        get.onsuccess = () => { const row = get.result; row.geo.ringEnds[0] = 2 ** 32 - 1; layers.put(row); };
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), id);

    const t = Date.now();
    await p.reload();
    await drawnFrom(p, 'demo');
    expect(Date.now() - t).toBeLessThan(30_000);
    const failure = await p.getByTestId('load-failure').textContent();
    expect(failure).toContain('工作区“敌意工作区”无法打开');
    expect(failure).toContain('grids：ringEnds 的第 0 项止于 4294967295');
    expect(failure).toContain('示范辖区');

    // What a new tab reads: the remembered choice is the demo again; opened afresh, nothing is tried again.
    expect(await p.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('gridscope');
      open.onsuccess = () => { const get = open.result.transaction('settings').objectStore('settings').get('source'); get.onsuccess = () => { resolve(get.result?.value); open.result.close(); }; };
    }))).toEqual({ kind: 'demo' });
    await openConsole(p, baseUrl);
    expect((await state(p)).source).toEqual({ kind: 'demo' });
    expect(await p.getByTestId('load-failure').count()).toBe(0);
    // The workspace is still listed (nothing deleted); opening it again names the failure again.
    await p.getByTestId('open-import').click();
    await p.getByTestId('open-workspace').click();
    await expect.poll(() => p.getByTestId('load-failure').count(), { timeout: 30_000 }).toBe(1);
    await drawnFrom(p, 'demo');
  });

  it('opens a workspace without grids, shows its layers, and offers to draw or import grids', async () => {
    const p = page();
    // the good file with its grids (and draft) left out: households and cases only
    const parts = unzipSync(fixture('workspace-good.gridscope'));
    const head = JSON.parse(strFromU8(parts['workspace.json']));
    const noGrids = zipSync({
      'workspace.json': strToU8(JSON.stringify({ ...head, version: 1, name: '还没有网格', layers: head.layers.filter((l: { role: string }) => l.role !== 'grids') })),
      'households.geo.json': parts['households.geo.json'], 'cases.columns.json': parts['cases.columns.json'],
    });
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-files').setInputFiles({ name: 'no-grids.gridscope', mimeType: 'application/zip', buffer: Buffer.from(noGrids) });
    await expect.poll(() => p.getByTestId('workspace').count()).toBe(1);
    expect(await p.getByTestId('open-workspace').isEnabled()).toBe(true);
    await p.getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    const s = await state(p);
    expect(s.name).toBe('还没有网格');
    expect(s.codes).toEqual([]);
    await expect.poll(() => p.getByTestId('no-grids').textContent()).toContain('这个工作区还没有网格');
    expect(await p.getByTestId('layer-panel').count()).toBe(1);
    await p.getByTestId('no-grids-draw').click();
    await expect.poll(() => p.getByTestId('edit-mode').textContent()).toContain('新画网格');
    await p.getByTestId('no-grids-import').click();
    await p.getByTestId('import-files').waitFor();
  });
});
