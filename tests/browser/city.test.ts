// A city in the browser (issue 15): the benchmark city — 3,000 grids, 201,000 buildings, about
// a million households and 400,000 cases — brought into real IndexedDB as a workspace file
// through the data panel, opened, reloaded; drawn with every default layer on; a scripted pan
// and zoom complete; zoomed in, a building is drawn as its footprint and a click on it opens its
// households. Times are the benchmark's business (npm run bench, BENCH=city), not this test's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { writeCityWorkspace, type CityWorkspace } from '../../scripts/bench/city-workspace';
import { useConsolePage } from './chromium';

interface Exposed {
  ready: boolean;
  source?: { kind: string };
  counts: Record<string, number>;
  shownAt?: number;
  loadedAt?: number;
  drawnAt?: number;
  visibility: Record<string, boolean>;
  view: () => { center: [number, number]; zoom: number };
  project: (lon: number, lat: number) => { x: number; y: number };
  jumpTo: (lon: number, lat: number, zoom: number) => void;
  whenIdle: () => Promise<number>;
  district: {
    buildings: Record<string, unknown> & { count: number; addresses: string[]; households: Int32Array; shapes: { coords: Float64Array; bbox: Float64Array } };
  };
}
declare const window: { gridscope: Exposed };

const LONG = 240_000;
const { page } = useConsolePage();
let dir = '';
let file = '';
let city: CityWorkspace;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridscope-city-test-'));
  file = join(dir, 'city.gridscope');
  city = writeCityWorkspace(file);
}, 120_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const hooks = () => page().evaluate(() => {
  const g = window.gridscope;
  return { ready: g.ready, source: g.source?.kind, counts: g.counts, shownAt: g.shownAt, loadedAt: g.loadedAt, drawnAt: g.drawnAt, visibility: g.visibility };
});
const drawnFrom = (kind: string) => page().waitForFunction((k) => window.gridscope?.ready === true && window.gridscope.source?.kind === k, kind, { timeout: LONG, polling: 100 });
/** The map idle again (every frame of a move drawn). */
const idle = () => page().evaluate(() => window.gridscope.whenIdle());

async function mapPixels(): Promise<PNG> {
  await idle();
  return PNG.sync.read(await page().getByTestId('map').locator('canvas').first().screenshot());
}

/** Share of the map's pixels not of the background colour (#0a1626) or the land (#12233a). */
function drawnShare(png: PNG): number {
  let n = 0;
  const near = (i: number, [r, g, b]: number[]) => Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b) < 14;
  for (let i = 0; i < png.data.length; i += 4) if (!near(i, [0x0a, 0x16, 0x26]) && !near(i, [0x12, 0x23, 0x3a])) n++;
  return n / (png.width * png.height);
}

/** Pixels of the households' yellow (#fde047, points and density alike; nothing else on the map is that colour). */
function householdPixels(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] > 180 && png.data[i + 1] > 180 && png.data[i + 2] < 140) n++;
  return n;
}

function differing(a: PNG, b: PNG): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 30) n++;
  return n;
}

describe('a city-size workspace', () => {
  it('opens, is drawn with every layer on, pans and zooms, and is clickable down to a building', async () => {
    const p = page();
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-files').setInputFiles(file);
    const row = p.getByTestId('workspace').filter({ hasText: city.name });
    await row.waitFor({ timeout: LONG });
    await row.getByTestId('open-workspace').click();
    // Once its layers are on the map (it is remembered as the one open), reload: it opens again,
    // its layers on the page first, then the checks' results.
    await page().waitForFunction(() => window.gridscope?.shownAt !== undefined, null, { timeout: LONG, polling: 100 });
    await p.reload();
    await drawnFrom('workspace');
    const h = await hooks();
    expect(h.counts).toMatchObject({ baseGrids: city.counts.grids, buildings: city.counts.buildings, households: city.counts.households, cases: city.counts.cases });
    expect(h.visibility).toMatchObject({ baseGrids: true, dedicatedGrids: true, buildings: true, households: true, cases: true, labels: true, findings: true });
    expect(h.shownAt).toBeLessThan(h.loadedAt!);
    // No object per building on the page: the buildings are columns.
    const table = await p.evaluate(() => {
      const b = window.gridscope.district.buildings;
      return { keys: Object.keys(b).sort(), coords: b.shapes.coords.constructor.name, points: b.shapes.coords.length / 2 };
    });
    expect(table.keys).not.toContain('features');
    expect(table.coords).toBe('Float64Array');
    expect(table.points).toBeGreaterThan(city.counts.buildings * 4);

    // Drawn: most of the city's area is painted, and the households (their density here) are part of it.
    const all = await mapPixels();
    expect(drawnShare(all)).toBeGreaterThan(0.2);
    await p.getByTestId('toggle-households').click();
    const without = await mapPixels();
    expect(differing(all, without), 'pixels drawn by the households').toBeGreaterThan(2000);
    expect(householdPixels(all), "the households' yellow with them on").toBeGreaterThan(2000);
    expect(householdPixels(without), "the households' yellow with them off").toBeLessThan(householdPixels(all) / 10);
    await p.getByTestId('toggle-households').click();

    // A scripted pan (a mouse drag) and zoom (a wheel turn), each to the map idle again.
    const box = (await p.getByTestId('map').boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const before = await p.evaluate(() => window.gridscope.view());
    await p.mouse.move(cx, cy);
    await p.mouse.down();
    await p.mouse.move(cx - 240, cy - 120, { steps: 4 });
    await p.mouse.up();
    await idle();
    const panned = await p.evaluate(() => window.gridscope.view());
    expect(panned.center[0]).toBeGreaterThan(before.center[0]);
    expect(panned.center[1]).toBeLessThan(before.center[1]);
    await p.mouse.wheel(0, -500);
    await p.waitForFunction((z) => window.gridscope.view().zoom > z + 0.3, panned.zoom, { timeout: LONG });
    await idle();

    // Zoomed in on a residential building with households: its footprint is drawn, a click opens it.
    const target = await p.evaluate(() => {
      const b = window.gridscope.district.buildings;
      const i = b.households.findIndex((n, k) => n > 3 && k > b.count / 2);
      const bb = b.shapes.bbox;
      return { i, address: b.addresses[i], x: (bb[4 * i] + bb[4 * i + 2]) / 2, y: (bb[4 * i + 1] + bb[4 * i + 3]) / 2 };
    });
    const beforeZoom = await mapPixels();
    await p.evaluate(({ x, y }) => window.gridscope.jumpTo(x, y, 18), target);
    const zoomed = await mapPixels();
    expect(differing(beforeZoom, zoomed)).toBeGreaterThan(2000);
    // a spot on the footprint clear of household and case points (they lie on top)
    const at = await p.evaluate((i) => {
      const g = window.gridscope;
      const d = g.district as unknown as Exposed['district'] & { households: { positions: Float64Array }; cases: { positions: Float64Array } };
      const { coords, ringStart, polyRings, bbox } = d.buildings.shapes as unknown as { coords: Float64Array; ringStart: Uint32Array; polyRings: Uint32Array; bbox: Float64Array };
      const ring: number[][] = [];
      for (let v = ringStart[polyRings[i]]; v < ringStart[polyRings[i] + 1]; v++) ring.push([coords[2 * v], coords[2 * v + 1]]);
      const inside = (x: number, y: number) => {
        let r = false;
        for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
          if ((ring[a][1] > y) !== (ring[b][1] > y) && x < ring[a][0] + ((y - ring[a][1]) * (ring[b][0] - ring[a][0])) / (ring[b][1] - ring[a][1])) r = !r;
        }
        return r;
      };
      const pts: { x: number; y: number }[] = [];
      const [w, s, e, n] = [bbox[4 * i], bbox[4 * i + 1], bbox[4 * i + 2], bbox[4 * i + 3]];
      for (const pos of [d.households.positions, d.cases.positions]) {
        for (let k = 0; k < pos.length; k += 2) if (pos[k] > w - 1e-3 && pos[k] < e + 1e-3 && pos[k + 1] > s - 1e-3 && pos[k + 1] < n + 1e-3) pts.push(g.project(pos[k], pos[k + 1]));
      }
      let best: { x: number; y: number } | null = null, bestD = 0;
      for (let a = 1; a < 12; a++) for (let b = 1; b < 12; b++) {
        const x = w + ((e - w) * a) / 12, y = s + ((n - s) * b) / 12;
        if (!inside(x, y)) continue;
        const q = g.project(x, y);
        const dist = Math.min(...pts.map((t) => Math.hypot(t.x - q.x, t.y - q.y)), 1e9);
        if (dist > bestD) { bestD = dist; best = q; }
      }
      return { ...best!, clear: bestD };
    }, target.i);
    expect(at.clear).toBeGreaterThan(8);
    await p.mouse.click(box.x + at.x, box.y + at.y);
    await expect(p.getByTestId('inspector-title').textContent()).resolves.toBe(target.address);
    expect(await p.getByTestId('building-households').locator('.room').count()).toBeGreaterThan(3);
  }, 600_000);
});
