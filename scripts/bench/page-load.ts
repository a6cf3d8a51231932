// Page load → demo district fully drawn, and JS heap after load, in headless Chromium.
import { launch } from '../../tests/browser/chromium';
import { serveDist } from './serve';
import { fmt, median } from './stats';

export async function benchPageLoad(runs = 5) {
  const server = await serveDist();
  const browser = await launch();
  const drawn: number[] = [];
  const heap: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (window as any).gridscope?.ready === true, null, { timeout: 60_000 });
      // drawnAt is performance.now() in the page: milliseconds since navigation started.
      drawn.push(await page.evaluate(() => (window as any).gridscope.drawnAt as number));
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      heap.push(usedSize / 2 ** 20);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('page load → demo district fully drawn (headless Chromium, software WebGL, 1920×1080)');
  console.log(`  runs: ${runs}; each: ${drawn.map((d) => fmt(d)).join(', ')} ms`);
  console.log(`  median: ${fmt(median(drawn))} ms   (target < 3,000 ms)`);
  console.log(`  JS heap after load (main thread, after GC): median ${fmt(median(heap), 1)} MB   (target < 300 MB)`);
}
