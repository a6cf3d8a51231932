// The built console in real headless Chromium, on the embedded demo district.
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { openConsole, useConsolePage } from './chromium';

interface Exposed {
  ready: boolean;
  counts: Record<string, number>;
  view: () => { center: [number, number]; zoom: number };
  project: (lon: number, lat: number) => { x: number; y: number };
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

  it('clicking a grid shows its code, households and staff in the inspector', async () => {
    for (const layer of ['buildings', 'cases', 'households', 'dedicatedGrids', 'labels']) await setLayer(layer, false);
    // A base grid near the middle of the screen.
    const target = await page().evaluate(() => {
      const gs = window.gridscope;
      const grids = gs.district.grids;
      let best = -1;
      let bestD = Infinity;
      grids.forEach((g, i) => {
        if (g.properties.kind !== 'base') return;
        const ring = (g.geometry as { coordinates: number[][][] }).coordinates[0];
        const cx = ring.slice(1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
        const cy = ring.slice(1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
        if (gs.locate(cx, cy) !== i) return; // e.g. the middle is a carved-out dedicated grid
        const p = gs.project(cx, cy);
        const d = Math.hypot(p.x - 960, p.y - 540);
        if (d < bestD) { bestD = d; best = i; }
      });
      const ring = (grids[best].geometry as { coordinates: number[][][] }).coordinates[0];
      const cx = ring.slice(1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
      const cy = ring.slice(1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
      return { code: grids[best].properties.code, households: gs.district.gridStats.households[best], px: gs.project(cx, cy) };
    });
    const box = (await page().getByTestId('map').boundingBox())!;
    await page().mouse.click(box.x + target.px.x, box.y + target.px.y);
    const inspector = page().getByTestId('inspector');
    await expect(inspector.getByTestId('inspector-code').textContent()).resolves.toBe(target.code);
    const text = await inspector.textContent();
    expect(text).toContain('户数');
    expect(text).toContain(target.households.toLocaleString());
    expect(text).toContain('网格长');
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
        buildings: { features: { properties: { address: string; residential: boolean } }[]; households: Int32Array };
      };
      const i = d.buildings.features.findIndex((b, k) => b.properties.residential && d.buildings.households[k] > 10);
      return d.buildings.features[i].properties.address;
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

  it('runs under a Content-Security-Policy that blocks inline script', async () => {
    allowErrors(/Content Security Policy/); // the blocked script below is reported on the console
    const res = await page().goto(baseUrl);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await openConsole(page(), baseUrl);
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
