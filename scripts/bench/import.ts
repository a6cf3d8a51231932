// Import → workspace and reopening it after a reload (issue 4), in the built app in headless
// Chromium with real IndexedDB. Each run starts a fresh browser on a fresh profile on disk
// (BENCH_STORAGE=memory: an off-the-record context instead, IndexedDB held in memory).
//
// What is timed is read off the page's own clock (performance.now(), ms since navigation):
// an init script (page-side only, no app code changed) notes when a file input changes, when
// a button is clicked, every call the page makes to a worker (Comlink request sent / answer
// received) and every progress message a worker sends back.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/browser/chromium';
import { readFlatGeobuf, writeFlatGeobuf } from '../../src/io/flatgeobuf';
import { CITY, makeCity } from './city';
import { serveDist } from './serve';
import { fmt, median } from './stats';

const VIEWPORT = { width: 1920, height: 1080 };
const LONG = 300_000; // a 200k-footprint draw in software WebGL on two cores is slow

/** Page-side instrumentation, as a string: tsx would add helpers to a function that the page lacks. */
const INSTRUMENT = String.raw`(() => {
  const B = (window.__bench = { calls: [], progress: [], changes: [], clicks: [], longtasks: [], idbOpen: [] });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function () { B.idbOpen.push(performance.now()); return open.apply(this, arguments); };
  const brief = (v) => {
    if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && 'count' in x ? { name: x.name, count: x.count, role: x.role } : null));
    if (v && typeof v === 'object' && v.timings) return { timings: v.timings, imported: v.imported, rejected: v.rejected && v.rejected.length, repaired: v.repaired && v.repaired.length };
    return null;
  };
  const pending = new WeakMap();
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (msg) {
    if (msg && msg.type === 'APPLY' && msg.id !== undefined) {
      let p = pending.get(this);
      if (!p) {
        p = new Map();
        pending.set(this, p);
        this.addEventListener('message', (e) => {
          const d = e.data;
          const c = d && p.get(d.id);
          if (!c) return;
          p.delete(d.id);
          c.received = performance.now();
          c.ok = d.type === 'RAW';
          c.result = c.ok ? brief(d.value) : null;
          B.calls.push(c);
        });
      }
      p.set(msg.id, { method: (msg.path || []).join('.'), sent: performance.now() });
    }
    return post.apply(this, arguments);
  };
  const seen = new WeakSet();
  const add = MessagePort.prototype.addEventListener;
  MessagePort.prototype.addEventListener = function (type) {
    if (type === 'message' && !seen.has(this)) {
      seen.add(this);
      add.call(this, 'message', (e) => {
        const d = e.data;
        const v = d && d.type === 'APPLY' && d.argumentList && d.argumentList[0] && d.argumentList[0].value;
        if (v && typeof v.step === 'string') B.progress.push({ t: performance.now(), step: v.step, stage: v.stage, done: v.done, total: v.total });
      });
    }
    return add.apply(this, arguments);
  };
  document.addEventListener('change', (e) => {
    if (e.target && e.target.matches && e.target.matches('input[type=file]')) B.changes.push(performance.now());
  }, true);
  document.addEventListener('click', (e) => {
    const el = e.target && e.target.closest && e.target.closest('[data-testid]');
    if (el) B.clicks.push({ id: el.getAttribute('data-testid'), t: performance.now() });
  }, true);
})();`;

interface Call { method: string; sent: number; received: number; ok: boolean; result: unknown }
interface Progress { t: number; step: string; stage?: string; done: number; total: number }
interface Bench { calls: Call[]; progress: Progress[]; changes: number[]; clicks: { id: string; t: number }[]; longtasks: [number, number][]; idbOpen: number[] }

/** Milliseconds of [from, to] the main thread spent in long tasks (> 50 ms). */
const busy = (b: Bench, from: number, to: number) =>
  b.longtasks.reduce((n, [s, d]) => n + Math.max(0, Math.min(to, s + d) - Math.max(from, s)), 0);
/** The long task running at `t`, if any: [start, duration]. */
const taskAt = (b: Bench, t: number) => b.longtasks.find(([s, d]) => s <= t && t <= s + d + 1);

// Functions run in the page stay free of named inner functions (tsx would wrap them in a helper
// the page lacks); strings would need eval, which the page's CSP forbids.
const bench = (p: Page) => p.evaluate(() => (window as any).__bench as Bench);
const hooks = (p: Page) => p.evaluate(() => {
  const g = (window as any).gridscope;
  return { loadedAt: g.loadedAt as number, drawnAt: g.drawnAt as number, counts: g.counts as Record<string, number>, source: g.source as { kind: string; id?: string } };
});
const drawnFrom = (p: Page, kind: string) =>
  p.waitForFunction((k) => (window as any).gridscope?.ready === true && (window as any).gridscope.source?.kind === k, kind, { timeout: LONG });

/** performance.now() when the n-th (0-based) import-file section shows; fails on an error alert. */
async function fileShown(p: Page, n: number): Promise<number> {
  const h = await p.waitForFunction((k) => {
    const alert = document.querySelector('[data-testid=import] [role=alert]');
    if (alert) return { error: alert.textContent };
    return document.querySelectorAll('[data-testid=import-file]').length > k && { t: performance.now() };
  }, n, { timeout: LONG });
  const v = (await h.jsonValue()) as { t?: number; error?: string };
  if (v.error) throw new Error(`import panel: ${v.error}`);
  return v.t!;
}

/** performance.now() and text when the n-th import-file section shows its result. */
async function resultShown(p: Page, n: number): Promise<{ t: number; text: string }> {
  const h = await p.waitForFunction((k) => {
    const alert = document.querySelector('[data-testid=import] [role=alert]');
    if (alert) return { error: alert.textContent };
    const r = document.querySelectorAll('[data-testid=import-file]')[k]?.querySelector('[data-testid=import-result]');
    return r && { t: performance.now(), text: r.textContent };
  }, n, { timeout: LONG });
  const v = (await h.jsonValue()) as { t?: number; text?: string; error?: string };
  if (v.error) throw new Error(`import panel: ${v.error}`);
  return { t: v.t!, text: v.text! };
}

/** Imports one file into the panel's workspace with the given role; every figure in page ms. */
async function importFile(p: Page, file: string, n: number, role: string) {
  const before = (await bench(p)).calls.length;
  await p.getByTestId('import-files').setInputFiles(file);
  const shown = await fileShown(p, n);
  const section = p.getByTestId('import-file').nth(n);
  const guessed = await section.getByTestId('import-role').inputValue();
  if (guessed !== role) await section.getByTestId('import-role').selectOption(role);
  await section.getByTestId('import-save').click();
  const result = await resultShown(p, n);
  const b = await bench(p);
  const changed = b.changes.at(-1)!;
  const clicked = b.clicks.filter((c) => c.id === 'import-save').at(-1)!.t;
  const calls = b.calls.slice(before);
  const read = calls.find((c) => c.method === 'read')!;
  const save = calls.find((c) => c.method === 'save')!;
  const r = save.result as { timings: { prepare: number; save: number }; imported: number };
  return {
    guessed,
    text: result.text,
    /** file chosen → its section shows (File.arrayBuffer on the main thread, worker read, render) */
    read: shown - changed,
    /** of which: the worker's read call, request to answer */
    readWorker: read.received - read.sent,
    /** save clicked → result shows */
    saveTotal: result.t - clicked,
    prepare: r.timings.prepare,
    save: r.timings.save,
    /** the user-visible import: read + save, without the time spent choosing the role */
    total: shown - changed + (result.t - clicked),
  };
}

interface Run {
  gridsImport: Awaited<ReturnType<typeof importFile>>;
  buildings: Awaited<ReturnType<typeof importFile>>;
  storage: { usage: number; idb?: number };
  rawPut: { put: number; get: number };
  open: { loaded: number; drawn: number };
  reload: {
    loadedAt: number; drawnAt: number;
    requested: number; readDone?: number; answered: number;
    checks: number;
    /** main module running (its first IndexedDB open: the remembered source) */
    mainStarted: number;
    bundleLoaded: number;
    /** main thread in long tasks: from the request to "read", and until loadedAt */
    busyToRead: number;
    busyToLoaded: number;
    /** the long task in which the worker's answer arrived: its start (deserialising the district on the main thread) */
    answerTask?: [number, number];
    rawIdb: { open: number; read: number; layers: { role: string; count: number; bytes: number }[] };
    workerLog: string[];
  };
  counts: Record<string, number>;
  /** wall clock of each phase, seconds: demo drawn, both imports, open + drawn, reload + drawn */
  wall: number[];
}

async function oneRun(context: BrowserContext, url: string, files: { grids: string; buildings: string }): Promise<Run> {
  await context.addInitScript({ content: INSTRUMENT });
  const page = context.pages()[0] ?? await context.newPage();
  const workerLog: string[] = [];
  page.on('console', (m) => { if (m.worker() && /ms\b/.test(m.text())) workerLog.push(m.text()); });
  page.on('pageerror', (e) => console.error(`  page error: ${e}`));
  const wall = [Date.now()];
  await page.goto(url);
  await drawnFrom(page, 'demo');
  wall.push(Date.now()); // the demo is drawn and idle: the import does not share the CPU with it

  await page.getByTestId('open-import').click();
  await page.getByTestId('workspace-name').fill('基准 200k');
  const gridsImport = await importFile(page, files.grids, 0, 'grids');
  const buildings = await importFile(page, files.buildings, 1, 'buildings');
  wall.push(Date.now());
  const storage = await page.evaluate(async () => {
    const e = await navigator.storage.estimate();
    return { usage: e.usage ?? NaN, idb: (e as { usageDetails?: { indexedDB?: number } }).usageDetails?.indexedDB };
  });

  // For scale: the buildings file's bytes put into and read back from a scratch IndexedDB
  // database on the main thread (one transaction each), then the database is deleted.
  await page.evaluate(() => {
    const i = document.createElement('input');
    i.type = 'file';
    i.id = 'bench-file';
    i.style.display = 'none';
    document.body.append(i);
  });
  await page.locator('#bench-file').setInputFiles(files.buildings);
  const rawPut = await page.evaluate(async () => {
    const input = document.getElementById('bench-file') as HTMLInputElement;
    const bytes = new Uint8Array(await input.files![0].arrayBuffer());
    input.remove();
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('bench-scratch', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('blobs');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const t0 = performance.now();
    await new Promise<void>((res, rej) => {
      const tx = db.transaction('blobs', 'readwrite');
      tx.objectStore('blobs').put(bytes, 'x');
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    const t1 = performance.now();
    await new Promise((res, rej) => { const r = db.transaction('blobs').objectStore('blobs').get('x'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const t2 = performance.now();
    db.close();
    await new Promise((res) => { const r = indexedDB.deleteDatabase('bench-scratch'); r.onsuccess = res; r.onerror = res; });
    return { put: t1 - t0, get: t2 - t1 };
  });

  // Open it on the map (remembered), then reload: the workspace is what opens.
  await page.getByTestId('workspace').getByTestId('open-workspace').click();
  await drawnFrom(page, 'workspace');
  wall.push(Date.now());
  const clickedOpen = (await bench(page)).clicks.filter((c) => c.id === 'open-workspace').at(-1)!.t;
  const first = await hooks(page);
  const open = { loaded: first.loadedAt - clickedOpen, drawn: first.drawnAt - clickedOpen };

  workerLog.length = 0;
  const reloaded = Date.now();
  await page.reload();
  await drawnFrom(page, 'workspace');
  const reloadDrawn = Date.now();
  const h = await hooks(page);
  const b = await bench(page);
  const load = b.calls.find((c) => c.method === 'loadWorkspace')!;
  const readDone = b.progress.find((x) => x.step === 'load.reading' && x.done === 1)?.t;
  const checks = b.progress.filter((x) => x.step === 'load.checking').map((x) => x.t);
  const bundleLoaded = await page.evaluate(() => Math.max(0, ...performance.getEntriesByType('resource')
    .filter((e) => /\/assets\/boot-[^/]*\.js$/.test(e.name)).map((e) => (e as PerformanceResourceTiming).responseEnd)));
  // The workspace's rows read straight from IndexedDB on the main thread (no decode), page idle.
  const rawIdb = await page.evaluate(async () => {
    const id = (window as any).gridscope.source.id as string;
    const t0 = performance.now();
    const db = await new Promise<IDBDatabase>((res, rej) => { const r = indexedDB.open('gridscope'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const t1 = performance.now();
    const rows = await new Promise<any[]>((res, rej) => { const r = db.transaction('layers').objectStore('layers').index('workspaceId').getAll(id); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const t2 = performance.now();
    db.close();
    return { open: t1 - t0, read: t2 - t1, layers: rows.map((r) => ({ role: r.role as string, count: r.count as number, bytes: (r.fgb?.byteLength ?? 0) as number })) };
  });
  return {
    gridsImport, buildings, storage, rawPut, open,
    reload: {
      loadedAt: h.loadedAt, drawnAt: h.drawnAt, requested: load.sent, readDone, answered: load.received,
      checks: checks.length ? checks.at(-1)! - checks[0] : NaN, rawIdb, workerLog: [...workerLog],
      mainStarted: b.idbOpen[0] ?? NaN, bundleLoaded,
      busyToRead: busy(b, load.sent, readDone ?? load.sent), busyToLoaded: busy(b, 0, h.loadedAt),
      answerTask: taskAt(b, load.received),
    },
    counts: h.counts,
    wall: [wall[1] - wall[0], wall[2] - wall[1], wall[3] - wall[2], reloadDrawn - reloaded].map((x) => x / 1000),
  };
}

export async function benchImport(runs = 3) {
  const memory = process.env.BENCH_STORAGE === 'memory';
  const city = makeCity({ ...CITY, householdsPerBuilding: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-bench-import-'));
  const files = { grids: join(dir, 'grids.fgb'), buildings: join(dir, 'buildings.fgb') };
  let t = performance.now();
  const fgb = writeFlatGeobuf({ type: 'FeatureCollection', features: city.buildings });
  const writeMs = performance.now() - t;
  writeFileSync(files.buildings, fgb);
  writeFileSync(files.grids, writeFlatGeobuf({ type: 'FeatureCollection', features: city.grids }));
  const size = { buildings: statSync(files.buildings).size, grids: statSync(files.grids).size };
  // For scale: the same decode and encode in Node (same V8, one thread, nothing else running).
  const decode: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    await readFlatGeobuf(fgb);
    decode.push(performance.now() - t);
  }

  const server = await serveDist();
  const out: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const profile = mkdtempSync(join(tmpdir(), 'gridscope-bench-profile-'));
      const browser = memory ? await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true }) : null;
      const context = browser
        ? await browser.newContext({ viewport: VIEWPORT })
        : await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT });
      try {
        out.push(await oneRun(context, server.url, files));
      } finally {
        await context.close();
        await browser?.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const col = (f: (r: Run) => number, digits = 0) => `median ${fmt(median(out.map(f)), digits)} ms (${out.map((r) => fmt(f(r), digits)).join(', ')})`;
  const mb = (n: number) => fmt(n / 2 ** 20, 1);
  const r0 = out[0];
  console.log(`import → workspace and reopening it (headless Chromium, ${memory ? 'off-the-record context: IndexedDB in memory' : 'fresh profile on disk: real IndexedDB'}, software WebGL, 1920×1080)`);
  console.log(`  files: buildings.fgb ${fmt(city.buildings.length)} footprints, ${mb(size.buildings)} MB; grids.fgb ${fmt(city.grids.length)} grids, ${mb(size.grids)} MB (FlatGeobuf, no index)`);
  console.log(`  runs: ${runs}; every figure in ms, median (each run)`);
  console.log(`  grids file, imported first: read ${col((r) => r.gridsImport.read)}, save ${col((r) => r.gridsImport.saveTotal)}; result: ${r0.gridsImport.text}`);
  console.log(`  buildings, 200k-footprint import: ${col((r) => r.buildings.total)}   (target < 3,000 ms)`);
  console.log(`    role guessed: ${r0.buildings.guessed}; result: ${r0.buildings.text}`);
  console.log(`    read   (file chosen → its section shows: File.arrayBuffer, worker read, render): ${col((r) => r.buildings.read)}`);
  console.log(`      of which the worker's read call (decode FlatGeobuf, columns, CRS guess; request → answer): ${col((r) => r.buildings.readWorker)}`);
  console.log(`    save   (save clicked → result shows): ${col((r) => r.buildings.saveTotal)}`);
  console.log(`      prepare (worker: map columns, convert, validate, repair): ${col((r) => r.buildings.prepare)}`);
  console.log(`      save    (worker: encode FlatGeobuf + IndexedDB transaction): ${col((r) => r.buildings.save)}`);
  console.log(`  storage used after the import (navigator.storage.estimate): median ${mb(median(out.map((r) => r.storage.usage)))} MB (${out.map((r) => mb(r.storage.usage)).join(', ')})${r0.storage.idb !== undefined ? `, IndexedDB ${mb(median(out.map((r) => r.storage.idb ?? 0)))} MB` : ''}`);
  console.log(`  for scale, the buildings file's bytes into a scratch IndexedDB database (main thread, one transaction): put ${col((r) => r.rawPut.put)}; get ${col((r) => r.rawPut.get)}`);
  console.log(`  opening it on the map (click → data on the main thread): ${col((r) => r.open.loaded)}; → drawn: ${col((r) => r.open.drawn)}`);
  console.log(`  reopening after a reload (ms since navigation; counts ${Object.entries(r0.counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})`);
  console.log(`    data ready on the main thread (loadedAt: page boot, IndexedDB read, decode, checks, hand-over): ${col((r) => r.reload.loadedAt)}   (target < 1,000 ms)`);
  console.log(`    drawn (drawnAt; software WebGL here): ${col((r) => r.reload.drawnAt)}`);
  console.log(`    timeline (ms since navigation):`);
  console.log(`      console bundle (boot-*.js, 3 MB) downloaded: ${col((r) => r.reload.bundleLoaded)}; main module running (first IndexedDB open): ${col((r) => r.reload.mainStarted)}`);
  console.log(`      page asks the district worker for the workspace: ${col((r) => r.reload.requested)}`);
  console.log(`      worker says read + decoded (progress message received on the main thread): ${col((r) => r.reload.readDone ?? NaN)}`);
  console.log(`      → so worker start + IndexedDB read + FlatGeobuf decode: ${col((r) => (r.reload.readDone ?? NaN) - r.reload.requested)}`);
  console.log(`      worker's answer received (checks + assembly + hand-over done): ${col((r) => r.reload.answered)}`);
  console.log(`      → so checks + assembly + transfer: ${col((r) => r.reload.answered - (r.reload.readDone ?? NaN))} (first → last check-stage message ${col((r) => r.reload.checks)})`);
  console.log(`      main thread in long tasks, request → "read + decoded": ${col((r) => r.reload.busyToRead)}; navigation → loadedAt: ${col((r) => r.reload.busyToLoaded)}`);
  console.log(`      the answer arrived in a main-thread task that began ${col((r) => (r.reload.answerTask ? r.reload.answered - r.reload.answerTask[0] : NaN))} before it (receiving the district: structured-clone deserialisation) and lasted ${col((r) => r.reload.answerTask?.[1] ?? NaN)}`);
  console.log(`    raw IndexedDB read of the workspace's rows (main thread, page idle, no decode): ${col((r) => r.reload.rawIdb.read, 1)}; open ${col((r) => r.reload.rawIdb.open, 1)}`);
  console.log(`      stored: ${r0.reload.rawIdb.layers.map((l) => `${l.role} ${fmt(l.count)} → ${mb(l.bytes)} MB`).join(', ')}`);
  console.log(`    for scale, in Node (one thread, idle): FlatGeobuf decode of buildings.fgb median ${fmt(median(decode))} ms (${decode.map((x) => fmt(x)).join(', ')}); encode ${fmt(writeMs)} ms`);
  console.log(`  wall clock of each run, s: ${out.map((r) => `demo drawn ${fmt(r.wall[0])}, imports ${fmt(r.wall[1])}, open + drawn ${fmt(r.wall[2])}, reload + drawn ${fmt(r.wall[3])}`).join('; ')}`);
  if (r0.reload.workerLog.length) console.log(`    worker's own log on reload (run 1): ${r0.reload.workerLog.join(' | ')}`);
}
