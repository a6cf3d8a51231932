// Two planners on one office server (real headless Chromium, two browser contexts: two
// machines as far as the page can tell, against `scripts/serve.ts` started here on a free
// port with a fresh embedded store): both log in, both edit, each sees the other's edit within
// a second with who made it; an edit made on a view that missed the other's changes to the same
// grid is refused with a message naming that planner and grid, and the view is brought up to
// date; after reloads both edits are there. The page logs no error but the refusals the
// contract answers with a status (401 before the login, 409 for the conflict).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { freshStore, type Place } from '../support/server';
import { codesOf, deleteGrid, draftOf, openEditor, selectGrid } from './editing';
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launch } from './chromium';

interface Exposed {
  ready: boolean;
  district: { grids: { properties: { code: string; locked?: boolean } }[] };
  draft?: { workspaceId: string | null; done: number; total: number; readOnly?: boolean };
  selection: { kind: string; code?: string } | null;
  lastEdit?: { at: number };
  remoteEdit?: { by: string; grids: string[]; at: number };
  online?: boolean;
}
declare const window: { gridscope: Exposed };

const PASSWORDS = { root: 'root-pass-9', zhang: 'zhang-pass-9', li: 'li-pass-9' };
let data: string;
let base: string;
let server: ChildProcess | null = null;
let serverLog = '';
let browser: Browser;
const errors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

/** scripts/serve.ts with these arguments, run to its end (the password from GRIDSCOPE_PASSWORD). */
function serveOnce(args: string[], password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['tsx', 'scripts/serve.ts', '--data', data, ...args], { env: { ...process.env, GRIDSCOPE_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (c) => { out += c; });
    p.stderr!.on('data', (c) => { out += c; });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`serve ${args.join(' ')}: exit ${code}\n${out}`))));
  });
}

let place: Place;

beforeAll(async () => {
  place = await freshStore('embedded'); // tables and the demo district, as a first start makes them
  data = place.args[1];
  await serveOnce(['--create-admin', 'root'], PASSWORDS.root);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The test build in dist/ as it is (the browser tests' build), on a fresh store: the demo district.
  server = spawn('npx', ['tsx', 'scripts/serve.ts', '--data', data, '--port', String(port), '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server.stdout!.on('data', (c) => { serverLog += c; });
  server.stderr!.on('data', (c) => { serverLog += c; });
  const until = Date.now() + 80_000;
  for (;;) {
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until || server.exitCode !== null) throw new Error(`the server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid) { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } }
  await place?.drop();
});

/** A refusal the contract answers with a status, logged by the browser as a failed resource: allowed only for these routes. */
const EXPECTED = [/\/api\/me$/, /\/api\/districts\/[^/]+\/edits$/];

async function client(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of (401|409)/.test(m.text()) && EXPECTED.some((r) => r.test(m.location().url))) return;
    errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page };
}

async function logIn(p: Page, name: keyof typeof PASSWORDS) {
  await p.goto(base);
  await p.getByTestId('login').waitFor({ timeout: 30_000 });
  await p.getByTestId('login-name').fill(name);
  await p.getByTestId('login-password').fill(PASSWORDS[name]);
  await p.getByTestId('login-submit').click();
  await p.waitForFunction(() => window.gridscope?.ready === true, null, { timeout: 90_000 });
}

/** The notice of someone else's edit, as shown now ('' once it has gone). */
const noticeOf = (p: Page) => p.evaluate(() => document.querySelector('[data-testid="remote-edit"]')?.textContent ?? '');
const lockedOf = (p: Page, code: string) => p.evaluate((c) => window.gridscope.district.grids.find((g) => g.properties.code === c)?.properties.locked === true, code);

describe('two planners on one office server', () => {
  it('both edit, each sees the other\'s edit with who made it, a stale edit is refused naming who changed which grid, and reloads keep both', async () => {
    // The administrator adds the two planners in the console's accounts panel (as the README says).
    const admin = await client();
    await logIn(admin.page, 'root');
    await admin.page.getByTestId('account').click();
    for (const name of ['zhang', 'li'] as const) {
      await admin.page.getByTestId('new-user-name').fill(name);
      await admin.page.getByTestId('new-user-password').fill(PASSWORDS[name]);
      await admin.page.getByTestId('new-user-role').selectOption('planner');
      await admin.page.getByTestId('add-user-submit').click();
      await expect.poll(() => admin.page.getByTestId('server-user').allTextContents().then((t) => t.some((x) => x.includes(name))), { timeout: 20_000 }).toBe(true);
    }
    await admin.context.close();
    const a = await client();
    const b = await client();
    await logIn(a.page, 'zhang');
    await logIn(b.page, 'li');
    expect(await a.page.getByTestId('account').textContent()).toBe('zhang · 规划员');
    expect(await b.page.getByTestId('account').textContent()).toBe('li · 规划员');
    const all = await codesOf(a.page);
    expect(await codesOf(b.page)).toEqual(all);
    const [x, y, z] = [all[3], all[12], all[21]];
    await openEditor(a.page);
    await openEditor(b.page);

    // zhang edits: li's page has it within a second, and says who made it.
    await deleteGrid(a.page, x, 1);
    await expect.poll(() => codesOf(b.page), { timeout: 5_000 }).not.toContain(x);
    const at = (p: Page) => p.evaluate(() => window.gridscope.lastEdit!.at);
    const followMs = (await at(b.page)) - (await at(a.page));
    expect(followMs).toBeLessThan(1_000);
    await expect.poll(() => noticeOf(b.page), { timeout: 5_000 }).toContain(`zhang 修改了网格 ${x}`);
    console.log(`office server: li's page showed zhang's edit ${followMs} ms after zhang's page had it committed`);

    // li edits: zhang's page has it.
    await deleteGrid(b.page, y, 2);
    await expect.poll(() => codesOf(a.page), { timeout: 5_000 }).not.toContain(y);
    await expect.poll(() => noticeOf(a.page), { timeout: 5_000 }).toContain(`li 修改了网格 ${y}`);
    expect(await codesOf(a.page)).toEqual(await codesOf(b.page));
    // Own undo only: zhang's last edit is his, li's is hers.
    expect(await draftOf(a.page)).toMatchObject({ done: 2, canUndo: true, readOnly: false });

    // A third page of li's whose live events are held back (its view goes stale): zhang locks z
    // and unlocks it again, this page does not hear of it, deletes z, and is refused naming zhang and z.
    const c = await client();
    const held: Route[] = [];
    await c.context.route(/\/api\/districts\/[^/]+\/events/, (r) => { held.push(r); });
    await logIn(c.page, 'li');
    await openEditor(c.page);
    await selectGrid(a.page, z);
    await a.page.getByTestId('lock').click();
    await expect.poll(() => draftOf(a.page).then((d) => d?.done), { timeout: 20_000 }).toBe(3);
    await a.page.getByTestId('lock').click();
    await expect.poll(() => draftOf(a.page).then((d) => d?.done), { timeout: 20_000 }).toBe(4);
    await expect.poll(() => draftOf(b.page).then((d) => d?.done), { timeout: 5_000 }).toBe(4);
    expect(await draftOf(c.page)).toMatchObject({ done: 2 }); // stale
    await selectGrid(c.page, z);
    await c.page.getByTestId('delete-grid').click();
    const refusal = c.page.getByTestId('edit-notice');
    await expect.poll(() => refusal.textContent(), { timeout: 20_000 }).toContain(`zhang 刚改过网格 ${z}`);
    // Brought up to date: zhang's two edits are on this page, z is still there; nothing of li's was made.
    await expect.poll(() => draftOf(c.page).then((d) => d?.done), { timeout: 5_000 }).toBe(4);
    expect(await codesOf(c.page)).toContain(z);
    expect(await codesOf(c.page)).toEqual(await codesOf(a.page));
    for (const r of held) await r.continue().catch(() => undefined);
    await c.context.close();

    // After reloads, both planners' edits are there on both pages.
    for (const p of [a.page, b.page]) {
      await p.reload();
      await p.waitForFunction(() => window.gridscope?.ready === true, null, { timeout: 90_000 });
      const left = await codesOf(p);
      expect(left).not.toContain(x);
      expect(left).not.toContain(y);
      expect(left).toContain(z);
      expect(await lockedOf(p, z)).toBe(false);
      expect(await draftOf(p)).toMatchObject({ done: 4, total: 4 });
    }
    await a.page.screenshot({ path: '/tmp/server-two-planners-zhang.png' });
    await b.page.screenshot({ path: '/tmp/server-two-planners-li.png' });
    await a.context.close();
    await b.context.close();
    expect(errors, 'console errors').toEqual([]);
  }, 480_000);
});
