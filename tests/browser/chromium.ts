// Debian's Chromium, driven by playwright-core; nothing is downloaded.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu',
  // WebGL through SwiftShader (software): the map needs it and there is no GPU here.
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  // This machine has no network: keep Chromium from trying.
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and page errors; a test ends by asserting there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Opens the console and waits until the district has been fully drawn. */
export async function openConsole(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForFunction(() => (window as unknown as { gridscope?: { ready: boolean } }).gridscope?.ready === true, null, { timeout: 60_000 });
}

/**
 * One browser per test file, a fresh page (and storage) per test, opened on the console and
 * drawn; each test fails if the page logged an error.
 */
export function useConsolePage(): { page: () => Page; baseUrl: string; allowErrors: (pattern: RegExp) => void } {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  // Errors a test causes on purpose (and says so); cleared for every test.
  const allowed: RegExp[] = [];
  beforeAll(async () => { browser = await launch(); });
  afterAll(async () => { await browser?.close(); });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    errors = watchErrors(page);
    allowed.length = 0;
    await openConsole(page, baseUrl);
  });
  afterEach(async () => {
    expect(errors.filter((e) => !allowed.some((r) => r.test(e))), 'console errors').toEqual([]);
    await page.close();
  });
  return { page: () => page, baseUrl, allowErrors: (pattern) => { allowed.push(pattern); } };
}
