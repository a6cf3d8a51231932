// Two tabs of one browser on one workspace (real headless Chromium, two pages of one browser
// context, so one real IndexedDB): the draft has one writer. The tab that opened it second is
// read-only with a banner saying why and follows the other's edits live; it can take the
// editing over (the other turns read-only), and when the writer's tab closes the other takes
// over; after a reload every edit any tab was told was made is still there.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openConsole, watchErrors } from './chromium';
import { codesOf, deleteGrid, draftOf, openEditor, selectGrid } from './editing';

interface Exposed {
  ready: boolean;
  district: { grids: { properties: { code: string } }[] };
  draft?: { workspaceId: string | null; done: number; total: number; readOnly?: boolean };
  selection: { kind: string; code?: string } | null;
  source?: { kind: string; id?: string };
}
declare const window: { gridscope: Exposed };

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
const errors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
});
afterAll(async () => { await browser?.close(); });

async function tab(): Promise<Page> {
  const p = await context.newPage();
  const seen = watchErrors(p);
  p.on('close', () => errors.push(...seen));
  await openConsole(p, baseUrl);
  return p;
}

describe('two tabs on one workspace', () => {
  it('one writer: the other tab is read-only with a banner and follows live; taking over, closing the writer; no edit is lost', async () => {
    const a = await tab();
    await openEditor(a);
    const all = await codesOf(a);
    const [x, y, z, w] = [all[3], all[12], all[21], all[30]];
    // The first edit of the demo makes it a workspace (remembered: a new tab opens it).
    await deleteGrid(a, x, 1);
    const ws = (await draftOf(a))!.workspaceId;
    expect(ws).toBeTruthy();

    const b = await tab();
    expect(await b.evaluate(() => window.gridscope.source)).toEqual({ kind: 'workspace', id: ws });
    expect(await codesOf(b)).not.toContain(x);
    // B opened the draft A is editing: read-only, and it says why.
    const banner = b.getByTestId('draft-banner');
    await banner.waitFor({ timeout: 5_000 });
    expect(await banner.textContent()).toContain('另一个标签页');
    expect(await a.getByTestId('draft-banner').count()).toBe(0);

    // A edits: B shows the same draft and counts within a second.
    await deleteGrid(a, y, 2);
    await expect.poll(() => codesOf(b), { timeout: 5_000 }).not.toContain(y);
    // From A's page having the answer to B's page having the same grids (both clocks are this machine's).
    const at = (p: Page) => p.evaluate(() => (window.gridscope as unknown as { lastEdit: { at: number } }).lastEdit.at);
    const followMs = (await at(b)) - (await at(a));
    expect(followMs).toBeLessThan(1_000);
    expect(await draftOf(b)).toMatchObject({ workspaceId: ws, done: 2, total: 2 });
    expect(await codesOf(b)).toEqual(await codesOf(a));
    const householdsOf = (p: Page) => p.evaluate(() => (window.gridscope as unknown as { report: { grids: { households: number }[] } }).report.grids.map((g) => g.households));
    expect(await householdsOf(b)).toEqual(await householdsOf(a));
    console.log(`two tabs: the read-only tab showed the writer's edit ${followMs} ms after it was acknowledged`);

    // B cannot delete (nor undo) while A holds the draft.
    await openEditor(b);
    await selectGrid(b, z);
    expect(await b.getByTestId('delete-grid').isDisabled()).toBe(true);
    expect(await b.getByTestId('undo').isDisabled()).toBe(true);
    await b.getByTestId('delete-grid').click({ force: true });
    await b.keyboard.press('Control+z');
    await b.waitForTimeout(500);
    expect(await draftOf(b)).toMatchObject({ done: 2, total: 2 });
    expect(await codesOf(b)).toContain(z);
    await b.screenshot({ path: '/tmp/tabs-banner.png' });

    // B takes the editing over ("edit here"): A turns read-only and follows B.
    await b.getByTestId('take-over').click();
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
    await a.getByTestId('draft-banner').waitFor({ timeout: 5_000 });
    await expect.poll(() => b.getByTestId('delete-grid').isDisabled()).toBe(false);
    await deleteGrid(b, z, 3);
    await expect.poll(() => codesOf(a), { timeout: 5_000 }).not.toContain(z);
    expect(await draftOf(a)).toMatchObject({ done: 3, total: 3, readOnly: true });
    expect(await codesOf(a)).toEqual(await codesOf(b));

    // The writer's tab closes: A takes the draft back and edits it.
    await b.close();
    await a.getByTestId('draft-banner').waitFor({ state: 'detached', timeout: 5_000 });
    await deleteGrid(a, w, 4);

    // After a reload (and in a fresh tab) all four acknowledged edits are there.
    await a.reload();
    await a.waitForFunction(() => window.gridscope?.ready === true, null, { timeout: 60_000 });
    const left = await codesOf(a);
    for (const c of [x, y, z, w]) expect(left).not.toContain(c);
    expect(await draftOf(a)).toMatchObject({ workspaceId: ws, done: 4, total: 4, readOnly: false });
    const c = await tab();
    expect(await codesOf(c)).toEqual(left);
    expect(await draftOf(c)).toMatchObject({ done: 4, readOnly: true });
    await c.close();
    await a.close();
    expect(errors, 'console errors').toEqual([]);
  }, 240_000);
});
