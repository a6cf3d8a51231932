// Does the full check pay for a second core? The household stage (the one that scales with a
// million roster rows) split over two threads, the second a worker thread given the grids (it
// builds its own locator) and sharing the rest (building state, packed footprints, positions,
// outputs) through SharedArrayBuffers, as a page's two workers would with cross-origin
// isolation. Printed against the same stage on one thread.
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CoverageChecker } from '../../src/checks/engine';
import { assignHousehold } from '../../src/checks/households';
import { CITY, makeCity } from './city';
import { fmt, median } from './stats';

const shared = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array | Float32Array>(a: T): SharedArrayBuffer => {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sab;
};

export async function benchTwoCores(runs = 5) {
  const city = makeCity(CITY);
  const c = new CoverageChecker(city) as unknown as Record<string, any>;
  const n = city.households.ids.length;
  const positions = city.households.positions;
  const { b, bPacked, locator, hBuilding, hHasBuildingId, settings, h } = c;
  const one: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) if (h.outcome[i] !== 255) assignHousehold(i, positions[2 * i], positions[2 * i + 1], hBuilding[i], hHasBuildingId[i] === 1, b, bPacked, locator, settings.misplacedM, h);
    one.push(performance.now() - t);
  }
  // a TypeScript worker: tsx registered in the thread first
  const file = new URL('./householdsHalf.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`, { eval: true });
  const two: number[] = [];
  const parts: string[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      // what a check would hand over each time: the grids, and the shared arrays (made once per load in a real page)
      const out = { hGrid: shared(h.grid), hOutcome: shared(h.outcome), hDistance: shared(h.distance) };
      const msg = {
        grids: c.grids, bGrid: shared(b.grid), bSimple: shared(b.simple), coords: shared(bPacked.coords), ringStart: shared(bPacked.ringStart),
        polyRings: shared(bPacked.polyRings), bbox: shared(bPacked.bbox), ringHole: shared(bPacked.ringHole), positions: shared(positions),
        hBuilding: shared(hBuilding), hHas: shared(hHasBuildingId), ...out, from: n >> 1, to: n, misplacedM: settings.misplacedM,
      };
      const tSent = performance.now();
      const done = new Promise<{ locatorMs: number; assignMs: number }>((resolve) => worker.once('message', resolve));
      worker.postMessage(msg);
      const g = new Int32Array(out.hGrid), o = new Uint8Array(out.hOutcome), d = new Float32Array(out.hDistance);
      const s = { grid: g, outcome: o, distance: d };
      const tMain = performance.now();
      for (let i = 0; i < n >> 1; i++) if (o[i] !== 255) assignHousehold(i, positions[2 * i], positions[2 * i + 1], hBuilding[i], hHasBuildingId[i] === 1, b, bPacked, locator, settings.misplacedM, s);
      const mainMs = performance.now() - tMain;
      const w = await done;
      two.push(performance.now() - t);
      if (r === runs - 1) {
        parts.push(`copying into shared memory ${fmt(tSent - t)} ms, main half ${fmt(mainMs)} ms, worker: locator ${fmt(w.locatorMs)} ms + half ${fmt(w.assignMs)} ms`);
        // the same answers as one thread
        let same = 0;
        for (let i = 0; i < n; i++) if (g[i] === h.grid[i] && o[i] === h.outcome[i]) same++;
        parts.push(`${same === n ? 'the same grid and outcome for every household' : `${n - same} households differ`}`);
      }
    }
  } finally {
    await worker.terminate();
  }
  console.log(`two cores for the household stage (city: ${fmt(n)} households, Node worker threads, SharedArrayBuffer; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  console.log(`  one thread: median ${fmt(median(one))} ms; two threads: median ${fmt(median(two))} ms (${(median(one) / median(two)).toFixed(2)}× faster) — ${parts.join('; ')}`);
}
