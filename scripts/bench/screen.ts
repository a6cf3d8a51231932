// The big screen (/screen) on the demo in headless Chromium (software WebGL): time to the first
// complete frame, the time one tour step takes to settle (the map flown and drawn, every tile
// and chart switched), and the JS heap and DOM nodes over a run of tour steps.
import { launch } from '../../tests/browser/chromium';
import { serveDist } from './serve';
import { fmt, median } from './stats';

export async function benchScreen(runs = 3) {
  const server = await serveDist();
  const browser = await launch();
  const first: number[] = [];
  const steps: number[] = [];
  const heap: number[] = [], nodes: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await page.goto(`${server.url}screen?tour=off`);
      await page.waitForFunction(() => (window as any).gridscope?.screen?.ready === true, null, { timeout: 90_000 });
      first.push(await page.evaluate(() => (window as any).gridscope.drawnAt as number));
      await context.close();
    }
    // Tour steps: from the step to the map settled again (render quiet for 600 ms after idle).
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${server.url}screen?tourS=6`);
    await page.waitForFunction(() => (window as any).gridscope?.screen?.ready === true, null, { timeout: 90_000 });
    const cdp = await context.newCDPSession(page);
    for (let k = 0; k < 5; k++) {
      const step = await page.evaluate(() => (window as any).gridscope.screen.step as number);
      await page.waitForFunction((s) => (window as any).gridscope.screen.step > s, step, { timeout: 30_000 });
      // the map idle after the fly (the step's tiles and charts are set at the step itself)
      const t = await page.evaluate(async () => {
        const g = (window as any).gridscope;
        await new Promise((r) => setTimeout(r, 900)); // past the 800 ms fly
        const idle = await g.whenIdle();
        return idle - g.screen.stepAt;
      });
      steps.push(t);
      await cdp.send('HeapProfiler.collectGarbage');
      heap.push((await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20);
      nodes.push(await page.evaluate(() => document.getElementsByTagName('*').length));
    }
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('big screen /screen on the demo (headless Chromium, software WebGL, 1920×1080)');
  console.log(`  first complete frame: median ${fmt(median(first))} ms over ${runs} runs (${first.map((x) => fmt(x)).join(', ')})`);
  console.log(`  one tour step to settled: median ${fmt(median(steps))} ms (the fly is 800 ms)`);
  console.log(`  over ${steps.length} steps: JS heap ${heap.map((h) => fmt(h, 1)).join(' → ')} MB; DOM nodes ${nodes.join(' → ')}`);
}
