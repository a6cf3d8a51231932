// The built console in real headless Chromium, on the embedded demo district.
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { openConsole, useConsolePage } from './chromium';

interface Exposed {
  ready: boolean;
  counts: Record<string, number>;
  view: () => { center: [number, number]; zoom: number };
  project: (lon: number, lat: number) => { x: number; y: number };
  jumpTo: (lon: number, lat: number, zoom: number) => void;
  unproject: (x: number, y: number) => { lng: number; lat: number };
  visibility: Record<string, boolean>;
  locate: (lon: number, lat: number) => number;
  // The loaded district (see src/ui/testHooks.ts).
  district: {
    grids: { properties: { code: string; name: string; kind: string }; geometry: unknown }[];
    gridStats: { households: Int32Array };
  };
}
declare const window: { gridscope: Exposed };

const { page, baseUrl, allowErrors } = useConsolePage();

async function mapPixels(): Promise<PNG> {
  await page().evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const buf = await page().getByTestId('map').locator('canvas').first().screenshot();
  return PNG.sync.read(buf);
}

function differingPixels(a: PNG, b: PNG): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 30) n++;
  }
  return n;
}

async function setLayer(key: string, on: boolean) {
  const box = page().getByTestId(`toggle-${key}`);
  if ((await box.isChecked()) !== on) await box.click();
  await page().waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
}

/** Waits until the map has stopped moving. */
async function settled() {
  let last = '';
  for (let i = 0; i < 60; i++) {
    const v = JSON.stringify(await page().evaluate(() => window.gridscope.view()));
    if (v === last) return;
    last = v;
    await page().waitForTimeout(150);
  }
}

describe('console on the demo district', () => {
  it('exposes the demo feature counts and draws in Chinese by default', async () => {
    const counts = await page().evaluate(() => window.gridscope.counts);
    expect(counts.baseGrids).toBeGreaterThanOrEqual(150);
    expect(counts.dedicatedGrids).toBeGreaterThanOrEqual(20);
    expect(counts.households).toBeGreaterThanOrEqual(60_000);
    expect(counts.cases).toBeGreaterThanOrEqual(5_000);
    await expect(page().getByTestId('layer-panel').textContent()).resolves.toContain('基础网格');
    expect(await page().locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('draws grids, buildings and cases: each layer changes the picture when toggled', async () => {
    const all = await mapPixels();
    // Not an empty canvas: most pixels are not the background colour.
    let nonBackground = 0;
    for (let i = 0; i < all.data.length; i += 4) {
      if (Math.abs(all.data[i] - 0x0a) + Math.abs(all.data[i + 1] - 0x16) + Math.abs(all.data[i + 2] - 0x26) > 12) nonBackground++;
    }
    expect(nonBackground / (all.width * all.height)).toBeGreaterThan(0.3);
    for (const layer of ['baseGrids', 'buildings', 'cases', 'dedicatedGrids']) {
      await setLayer(layer, false);
      const without = await mapPixels();
      expect(differingPixels(all, without), `pixels drawn by ${layer}`).toBeGreaterThan(500);
      await setLayer(layer, true);
    }
  });

  it('with every default layer on, a click on a grid, a building and a case each lands in the inspector', async () => {
    const p = page();
    const layers = await p.evaluate(() => window.gridscope.visibility);
    expect(layers).toMatchObject({ baseGrids: true, dedicatedGrids: true, buildings: true, households: true, cases: true, labels: true, findings: true });
    // Zoomed to where cases and households are points (all clickable, all drawn): a base grid
    // near the middle of the demo, a spot in it clear of buildings and points.
    const grid = await p.evaluate(() => {
      const gs = window.gridscope;
      const g = gs.district.grids.find((x) => x.properties.kind === 'base' && x.properties.code.endsWith('004'))!;
      const ring = (g.geometry as { coordinates: number[][][] }).coordinates[0];
      const cx = ring.slice(1).reduce((s, q) => s + q[0], 0) / (ring.length - 1);
      const cy = ring.slice(1).reduce((s, q) => s + q[1], 0) / (ring.length - 1);
      gs.jumpTo(cx, cy, 17);
      return { code: g.properties.code, i: gs.district.grids.indexOf(g) };
    });
    await settled();
    const box = (await p.getByTestId('map').boundingBox())!;
    const spots = await p.evaluate(({ gi, w, h }) => {
      const gs = window.gridscope;
      const d = gs.district as unknown as Exposed['district'] & {
        buildings: { count: number; shapes: { coords: Float64Array; ringStart: Uint32Array; polyRings: Uint32Array } };
        households: { positions: Float64Array }; cases: { positions: Float64Array; ids: string[]; status: Uint8Array };
      };
      const inRing = (x: number, y: number, ring: number[][]) => {
        let inside = false;
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          if ((ring[i][1] > y) !== (ring[j][1] > y) && x < ring[i][0] + ((y - ring[i][1]) * (ring[j][0] - ring[i][0])) / (ring[j][1] - ring[i][1])) inside = !inside;
        }
        return inside;
      };
      // Everything drawn as a point, in screen pixels.
      const pts: { x: number; y: number }[] = [];
      for (const pos of [d.households.positions, d.cases.positions]) {
        for (let k = 0; k < pos.length; k += 2) {
          if (!Number.isFinite(pos[k])) continue;
          const q = gs.project(pos[k], pos[k + 1]);
          if (q.x > -20 && q.y > -20 && q.x < w + 20 && q.y < h + 20) pts.push(q);
        }
      }
      const clear = (x: number, y: number) => pts.every((q) => Math.hypot(q.x - x, q.y - y) > 12);
      const lonlat = (x: number, y: number) => gs.unproject(x, y);
      // each building's outer ring, from the columns
      const { coords, ringStart, polyRings } = d.buildings.shapes;
      const outer = Array.from({ length: d.buildings.count }, (_, i) => {
        const ring: number[][] = [];
        for (let v = ringStart[polyRings[i]]; v < ringStart[polyRings[i] + 1]; v++) ring.push([coords[2 * v], coords[2 * v + 1]]);
        return ring;
      });
      const buildingAt = (lon: number, lat: number) => outer.findIndex((ring) => inRing(lon, lat, ring));
      let gridSpot: { x: number; y: number } | null = null;
      let buildingSpot: { x: number; y: number; i: number } | null = null;
      for (let y = 200; y < h - 200 && (!gridSpot || !buildingSpot); y += 6) {
        for (let x = 500; x < w - 500; x += 6) {
          if (!clear(x, y)) continue;
          const ll = lonlat(x, y);
          const b = buildingAt(ll.lng, ll.lat);
          if (b < 0 && !gridSpot && gs.locate(ll.lng, ll.lat) === gi) gridSpot = { x, y };
          if (b >= 0 && !buildingSpot) buildingSpot = { x, y, i: b };
        }
      }
      // A case on screen: its point itself.
      let caseSpot: { x: number; y: number; id: string } | null = null;
      for (let k = 0; k < d.cases.ids.length && !caseSpot; k++) {
        if (d.cases.status[k] === 0) continue; // closed cases (status 0) are not shown by default
        const q = gs.project(d.cases.positions[2 * k], d.cases.positions[2 * k + 1]);
        if (q.x > 500 && q.y > 200 && q.x < w - 500 && q.y < h - 200) caseSpot = { x: q.x, y: q.y, id: d.cases.ids[k] };
      }
      return { gridSpot, buildingSpot, caseSpot };
    }, { gi: grid.i, w: box.width, h: box.height });
    expect(spots.gridSpot && spots.buildingSpot && spots.caseSpot, JSON.stringify(spots)).toBeTruthy();

    await p.mouse.click(box.x + spots.gridSpot!.x, box.y + spots.gridSpot!.y);
    const inspector = p.getByTestId('inspector');
    await expect(inspector.getByTestId('inspector-code').textContent()).resolves.toBe(grid.code);
    const text = await inspector.textContent();
    expect(text).toContain('户数');
    expect(text).toContain((await p.evaluate((i) => window.gridscope.district.gridStats.households[i], grid.i)).toLocaleString());
    expect(text).toContain('网格长');

    await p.mouse.click(box.x + spots.buildingSpot!.x, box.y + spots.buildingSpot!.y);
    await expect.poll(() => p.evaluate(() => (window.gridscope as unknown as { selection: { kind: string; index: number } }).selection)).toEqual({ kind: 'building', index: spots.buildingSpot!.i });
    await expect(inspector.getByTestId('building-households').count()).resolves.toBe(1);

    await p.mouse.click(box.x + spots.caseSpot!.x, box.y + spots.caseSpot!.y);
    await expect(inspector.getByTestId('inspector-title').textContent()).resolves.toBe(spots.caseSpot!.id);
    await expect(inspector.getByTestId('case-status').count()).resolves.toBe(1);
  });

  it('searching a grid code flies the map there and selects it', async () => {
    const target = await page().evaluate(() => {
      const g = window.gridscope.district.grids.find((x) => x.properties.kind === 'base' && x.properties.code.endsWith('003'))!;
      const ring = (g.geometry as { coordinates: number[][][] }).coordinates[0];
      return {
        code: g.properties.code,
        lon: ring.slice(1).reduce((s, p) => s + p[0], 0) / (ring.length - 1),
        lat: ring.slice(1).reduce((s, p) => s + p[1], 0) / (ring.length - 1),
      };
    });
    const before = await page().evaluate(() => window.gridscope.view());
    await page().getByTestId('search').fill(target.code);
    await page().getByTestId('search').press('Enter');
    await settled();
    const after = await page().evaluate(() => window.gridscope.view());
    expect(after.zoom).toBeGreaterThan(before.zoom + 1);
    // The grid is now in the middle of the map.
    const px = await page().evaluate(({ lon, lat }) => window.gridscope.project(lon, lat), target);
    const box = (await page().getByTestId('map').boundingBox())!;
    expect(Math.abs(px.x - box.width / 2)).toBeLessThan(box.width * 0.15);
    expect(Math.abs(px.y - box.height / 2)).toBeLessThan(box.height * 0.15);
    await expect(page().getByTestId('inspector-code').textContent()).resolves.toBe(target.code);
  });

  it('a building found by address lists its households by unit and room', async () => {
    const address = await page().evaluate(() => {
      const d = window.gridscope.district as unknown as {
        buildings: { addresses: string[]; residential: Uint8Array; households: Int32Array };
      };
      const i = d.buildings.addresses.findIndex((_, k) => d.buildings.residential[k] === 1 && d.buildings.households[k] > 10);
      return d.buildings.addresses[i];
    });
    await page().getByTestId('search').fill(address);
    await page().getByTestId('search-results').getByRole('button').first().click();
    await expect(page().getByTestId('inspector-title').textContent()).resolves.toBe(address);
    const rooms = await page().getByTestId('building-households').locator('.room').count();
    expect(rooms).toBeGreaterThan(10);
  });

  it('choosing a street and a community flies there and shows that level\'s totals', async () => {
    const whole = Number((await page().getByTestId('totals').locator('.total-households .total-value').textContent())!.replace(/,/g, ''));
    const before = await page().evaluate(() => window.gridscope.view());
    const street = await page().getByTestId('choose-street').locator('option').nth(1).getAttribute('value');
    await page().getByTestId('choose-street').selectOption(street!);
    await settled();
    expect(await page().getByTestId('totals').getAttribute('data-level')).toBe('street');
    const inStreet = Number((await page().getByTestId('totals').locator('.total-households .total-value').textContent())!.replace(/,/g, ''));
    expect(inStreet).toBeGreaterThan(0);
    expect(inStreet).toBeLessThan(whole);
    // The street's households are the sum of its grids' (what the page computed per grid).
    const sum = await page().evaluate((code) => {
      const d = window.gridscope.district as unknown as { grids: { properties: { community_code: string } }[]; gridStats: { households: Int32Array } };
      return d.grids.reduce((n, g, i) => n + (g.properties.community_code.startsWith(code) ? d.gridStats.households[i] : 0), 0);
    }, street!);
    expect(inStreet).toBe(sum);
    expect((await page().evaluate(() => window.gridscope.view())).zoom).toBeGreaterThan(before.zoom);
    const community = await page().getByTestId('choose-community').locator('option').nth(1).getAttribute('value');
    await page().getByTestId('choose-community').selectOption(community!);
    await settled();
    expect(await page().getByTestId('totals').getAttribute('data-level')).toBe('community');
  });

  it('runs under a Content-Security-Policy that blocks inline script, reaches no other origin, and binds its workers', async () => {
    allowErrors(/Content Security Policy/); // the blocked script below is reported on the console
    const res = await page().goto(baseUrl);
    const header = res!.headers()['content-security-policy'];
    expect(header).toContain("script-src 'self'");
    expect(header).toContain("frame-ancestors 'none'");
    // No other origin unless the deployment names one at build time.
    expect(header).toMatch(/connect-src 'self' blob: data:(;|$)/);
    const meta = await page().locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toMatch(/connect-src 'self' blob: data:(;|$)/);
    await openConsole(page(), baseUrl);
    // The workers' scripts come with the policy too (a module worker does not inherit the page's <meta>).
    const workers = await page().evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /worker/.test(n)));
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect((await page().request.get(w)).headers()['content-security-policy'], w).toContain("connect-src 'self'");
    const ran = await page().evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
  });

  it('switches to English at run time and keeps it after a reload (IndexedDB)', async () => {
    await page().getByTestId('language').click();
    await expect(page().getByTestId('layer-panel').textContent()).resolves.toContain('Base grids');
    await setLayer('cases', false);
    // Reload only once the setting is in IndexedDB (a busy page can take a while to commit it).
    await expect.poll(() => page().evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('gridscope');
      open.onsuccess = () => {
        const get = open.result.transaction('settings').objectStore('settings').get('visibility');
        get.onsuccess = () => { resolve(get.result?.value?.cases); open.result.close(); };
        get.onerror = () => resolve(undefined);
      };
      open.onerror = () => resolve(undefined);
    })), { timeout: 10_000 }).toBe(false);
    await openConsole(page(), baseUrl);
    await expect(page().getByTestId('layer-panel').textContent()).resolves.toContain('Base grids');
    expect(await page().getByTestId('toggle-cases').isChecked()).toBe(false);
  });
});
