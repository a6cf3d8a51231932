// The benchmark city in the browser (issue 15): 3,000 grids, 201,000 buildings, ~1,000,000
// households and 400,000 cases in a workspace in real IndexedDB, in the built app in headless
// Chromium. Printed: reopening it after a reload (ms since navigation to the district's data
// on the page, and to the checks' report), the first full draw of it, the longest main-thread
// task during a scripted pan and zoom (real mouse drags and wheel turns), and the JS heap after
// load. The workspace arrives as a user's would: a .gridscope file dropped on the data panel.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/browser/chromium';
import { writeCityWorkspace } from './city-workspace';
import { serveDist } from './serve';
import { fmt, median } from './stats';

const VIEWPORT = { width: 1920, height: 1080 };
const LONG = 600_000;
/** BENCH_VERBOSE=1: each step as it happens, on stderr */
const say = (m: string) => { if (process.env.BENCH_VERBOSE) console.error(`  [city ${new Date().toISOString().slice(11, 19)}] ${m}`); };

/** Page-side, as a string (tsx would add helpers the page lacks): long tasks and animation-frame gaps. */
const INSTRUMENT = String.raw`(() => {
  const B = (window.__city = { longtasks: [], frames: [] });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const frame = (t) => { B.frames.push(t); if (B.frames.length > 20000) B.frames.splice(0, 10000); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();`;

interface Probe { longtasks: [number, number][]; frames: number[] }
const probe = (p: Page) => p.evaluate(() => (window as any).__city as Probe);
const hooks = (p: Page) => p.evaluate(() => {
  const g = (window as any).gridscope;
  // shownAt: the preview (the layers as stored) on the page; loadedAt: the district with its checks' results
  return { loadedAt: (g.shownAt ?? g.loadedAt) as number, checkedAt: g.loadedAt as number, drawnAt: g.drawnAt as number, counts: g.counts as Record<string, number> };
});
const drawnFrom = (p: Page, kind: string) =>
  p.waitForFunction((k) => (window as any).gridscope?.ready === true && (window as any).gridscope.source?.kind === k, kind, { timeout: LONG, polling: 50 });
const idle = (p: Page) => p.evaluate(() => (window as any).gridscope.whenIdle() as Promise<number>);

/** The longest long task starting in [from, to], and the longest gap between animation frames there. */
function worst(b: Probe, from: number, to: number) {
  const tasks = b.longtasks.filter(([s]) => s >= from && s <= to).map(([, d]) => d);
  const f = b.frames.filter((t) => t >= from && t <= to);
  let gap = 0;
  for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i] - f[i - 1]);
  return { task: tasks.length ? Math.max(...tasks) : 0, tasks: tasks.length, gap, frames: f.length };
}

/** Real input: drags across the map and wheel turns in and out, each waited on until the map is idle. */
async function panAndZoom(p: Page) {
  const cx = VIEWPORT.width / 2, cy = VIEWPORT.height / 2;
  const t0 = await p.evaluate(() => performance.now());
  for (const [dx, dy] of [[300, 0], [0, 200], [-300, -200]]) {
    await p.mouse.move(cx, cy);
    await p.mouse.down();
    await p.mouse.move(cx + dx, cy + dy, { steps: 12 });
    await p.mouse.up();
    await idle(p);
  }
  const t1 = await p.evaluate(() => performance.now());
  for (const dz of [-600, -600, 600, 600]) {
    await p.mouse.move(cx, cy);
    await p.mouse.wheel(0, dz);
    await new Promise((r) => setTimeout(r, 400));
    await idle(p);
  }
  const t2 = await p.evaluate(() => performance.now());
  const b = await probe(p);
  return { pan: worst(b, t0, t1), zoom: worst(b, t1, t2), ms: { pan: t1 - t0, zoom: t2 - t1 } };
}

interface Reopen { loadedAt: number; checkedAt: number; drawnAt: number; heapMB: number; busy: number }

async function reopen(p: Page, context: BrowserContext): Promise<Reopen> {
  await p.reload();
  await drawnFrom(p, 'workspace');
  const h = await hooks(p);
  const b = await probe(p);
  const cdp = await context.newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const busy = b.longtasks.filter(([s]) => s <= h.drawnAt).reduce((n, [, d]) => Math.max(n, d), 0);
  return { loadedAt: h.loadedAt, checkedAt: h.checkedAt ?? h.loadedAt, drawnAt: h.drawnAt, heapMB: usedSize / 2 ** 20, busy };
}

export async function benchCityPage(runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-bench-city-'));
  const file = join(dir, 'city.gridscope');
  let t = performance.now();
  const city = writeCityWorkspace(file);
  const makeMs = performance.now() - t;
  const server = await serveDist();
  const profile = mkdtempSync(join(tmpdir(), 'gridscope-bench-city-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT });
  const load = [loadavg()[0]];
  const reopens: Reopen[] = [];
  const moves: Awaited<ReturnType<typeof panAndZoom>>[] = [];
  let imported = NaN, firstOpen = { loaded: NaN, drawn: NaN };
  try {
    await context.addInitScript({ content: INSTRUMENT });
    const p = context.pages()[0] ?? await context.newPage();
    p.on('pageerror', (e) => console.error(`  page error: ${e}`));
    p.on('console', (m) => { if (m.type() === 'error' || /\bms\b/.test(m.text())) say(`page: ${m.text()}`); });
    await p.goto(server.url);
    await drawnFrom(p, 'demo');
    say('demo drawn');
    await p.getByTestId('open-import').click();
    t = performance.now();
    await p.getByTestId('import-files').setInputFiles(file);
    const row = p.getByTestId('workspace').filter({ hasText: city.name });
    await row.waitFor({ timeout: LONG });
    imported = performance.now() - t;
    say(`restored in ${fmt(imported)} ms`);
    t = performance.now();
    const clicked = await p.evaluate(() => performance.now());
    await row.getByTestId('open-workspace').click();
    await drawnFrom(p, 'workspace');
    const h = await hooks(p);
    firstOpen = { loaded: h.loadedAt - clicked, drawn: h.drawnAt - clicked };
    say(`opened: ${JSON.stringify(firstOpen)}`);
    if (process.env.BENCH_SHOT) await p.screenshot({ path: process.env.BENCH_SHOT });
    for (let r = 0; r < runs; r++) {
      load.push(loadavg()[0]);
      reopens.push(await reopen(p, context));
      say(`reopened: ${JSON.stringify(reopens.at(-1))}`);
      moves.push(await panAndZoom(p));
      say(`moved: ${JSON.stringify(moves.at(-1))}`);
    }
    load.push(loadavg()[0]);
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  const col = (xs: number[], digits = 0) => `median ${fmt(median(xs), digits)} (${xs.map((x) => fmt(x, digits)).join(', ')})`;
  const c = city.counts;
  console.log(`city in the browser (headless Chromium, software WebGL, 1920×1080, real IndexedDB on disk): ${fmt(c.grids)} grids, ${fmt(c.buildings)} buildings, ${fmt(c.households)} households, ${fmt(c.cases)} cases`);
  console.log(`  machine load (1-min loadavg, ${loadavg.length} cores? ${load.map((x) => fmt(x, 2)).join(' → ')})`);
  console.log(`  workspace file ${fmt(statSync(file, { throwIfNoEntry: false })?.size ?? NaN)} B made in ${fmt(makeMs)} ms; restored through the data panel in ${fmt(imported)} ms`);
  console.log(`  first open (click → data on the page / → drawn): ${fmt(firstOpen.loaded)} / ${fmt(firstOpen.drawn)} ms`);
  console.log(`  reopening after a reload, ms since navigation, ${runs} runs:`);
  console.log(`    data on the page: ${col(reopens.map((r) => r.loadedAt))}   (target < 1,000)`);
  console.log(`    checks' report on the page: ${col(reopens.map((r) => r.checkedAt))}`);
  console.log(`    first full draw (drawnAt): ${col(reopens.map((r) => r.drawnAt))}`);
  console.log(`    longest main-thread task until drawn: ${col(reopens.map((r) => r.busy))}`);
  console.log(`  JS heap after load (main thread, after GC): ${col(reopens.map((r) => r.heapMB), 1)} MB   (target < 2,048 MB)`);
  console.log(`  scripted pan (3 drags) and zoom (4 wheel turns), longest main-thread task: pan ${col(moves.map((m) => m.pan.task))} ms, zoom ${col(moves.map((m) => m.zoom.task))} ms   (target < 100)`);
  console.log(`    longest gap between animation frames: pan ${col(moves.map((m) => m.pan.gap))} ms, zoom ${col(moves.map((m) => m.zoom.gap))} ms; long tasks: pan ${col(moves.map((m) => m.pan.tasks))}, zoom ${col(moves.map((m) => m.zoom.tasks))}`);
}
