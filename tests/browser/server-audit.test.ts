// The audit trail in the console (real headless Chromium against `scripts/serve.ts` on a fresh
// embedded store): an auditor logs in, writes the findings as CSV from the report panel, and
// finds that export on record in the server panel's audit section — with the login before it —
// filters it by kind and by person, and downloads the selection as a CSV for Excel. An
// operator's panel has no audit section. The page logs no error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { freshStore, serveCommand, type Place } from '../support/server';
import { launch } from './chromium';

declare const window: { gridscope: { ready: boolean } };

const PASSWORD = 'audit-pass-9';
let place: Place;
let server: ChildProcess | null = null;
let serverLog = '';
let base = '';
let browser: Browser;
const errors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

beforeAll(async () => {
  place = await freshStore('embedded');
  for (const [name, role] of [['shen', 'auditor'], ['wang', 'operator']]) {
    const r = serveCommand(place, ['--add-user', name, '--role', role], PASSWORD);
    expect(r.status, r.out).toBe(0);
  }
  base = `http://127.0.0.1:${await freePort()}`;
  server = spawn('npx', ['tsx', 'scripts/serve.ts', ...place.args, '--port', base.split(':')[2], '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server.stdout!.on('data', (c) => { serverLog += c; });
  server.stderr!.on('data', (c) => { serverLog += c; });
  const until = Date.now() + 80_000;
  while (!(await fetch(`${base}/api/health`).then((r) => r.ok, () => false))) {
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

async function logIn(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !(/status of 401/.test(m.text()) && /\/api\/me$/.test(m.location().url))) errors.push(`${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.getByTestId('login').waitFor({ timeout: 30_000 });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => window.gridscope?.ready === true, null, { timeout: 90_000 });
  return page;
}

const rows = (p: Page) => p.getByTestId('audit-entry').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));

describe('the audit trail in the console', () => {
  it('shows an auditor the export the page just wrote and the login before it, filters them, and downloads them as CSV', async () => {
    const page = await logIn('shen');
    await page.getByTestId('open-report').click();
    const made = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    await made;

    await page.getByTestId('account').click();
    const section = page.getByTestId('server-audit');
    await section.waitFor();
    // newest first: the findings CSV (the page's own file), the district's file as it opened, the login
    await expect.poll(async () => (await rows(page)).map((r) => [r[1], r[2], r[5]]).slice(0, 3), { timeout: 10_000 })
      .toEqual([['shen', '导出', 'findings_csv'], ['shen', '导出', expect.any(String)], ['shen', '登录', '']]);
    const first = (await rows(page))[0];
    expect(first[3]).not.toBe(''); // the district, by its name
    expect(first[6]).toMatch(/^findings-.*\.csv$/);

    await page.getByTestId('audit-kind').selectOption('login');
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => (await rows(page)).map((r) => [r[1], r[2]]), { timeout: 10_000 }).toEqual([['shen', '登录']]);
    await page.getByTestId('audit-user').fill('nobody');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-count').textContent(), { timeout: 10_000 }).toBe('没有符合条件的记录');

    await page.getByTestId('audit-user').fill('shen');
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => (await rows(page)).length, { timeout: 10_000 }).toBe(1);
    const down = page.waitForEvent('download');
    await page.getByTestId('audit-csv').click();
    const file = await down;
    expect(file.suggestedFilename()).toMatch(/^gridscope-audit-\d{8}\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('时间（北京时间）,人员,类别,区域,网格,对象,说明');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3))).toEqual([['shen', '登录']]);
    await page.screenshot({ path: '/tmp/server-audit-section.png' });
    await page.context().close();

    const operator = await logIn('wang');
    await operator.getByTestId('account').click();
    await operator.getByTestId('server-account').waitFor();
    expect(await operator.getByTestId('server-audit').count()).toBe(0);
    await operator.context().close();
    expect(errors, 'console errors').toEqual([]);
  }, 300_000);
});
