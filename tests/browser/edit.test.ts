// The grid editor in the built app (real headless Chromium, real IndexedDB): a planner's
// edits with the mouse and keyboard, the live counts and checks after each, undo and redo,
// a reload in the middle, handing a building over, the comparison with the published grids,
// and the demo's planted gap, overlap and over-band grid fixed with these tools alone.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { useConsolePage } from './chromium';

type XY = [number, number];
interface GridReport { code: string; households: number; band_status: string }
interface Finding { kind: string; ids: string[] }
interface Exposed {
  ready: boolean;
  project: (lon: number, lat: number) => { x: number; y: number };
  jumpTo: (lon: number, lat: number, zoom: number) => void;
  district: {
    grids: { properties: { code: string }; geometry: { type: string; coordinates: number[][][] } }[];
    buildings: { ids: string[]; shapes: { coords: Float64Array; ringStart: Uint32Array; polyRings: Uint32Array }; grid: Int32Array; households: Int32Array };
  };
  report: { grids: GridReport[]; findings: Finding[] };
  draft: { workspaceId: string | null; done: number; total: number };
  lastEdit?: { ms: number; worker: Record<string, number> };
  selection: { kind: string; code?: string } | null;
}
declare const window: { gridscope: Exposed };

const { page } = useConsolePage();
const planted = JSON.parse(readFileSync('data/demo/planted.json', 'utf8'));
const timings: string[] = [];

const households = (code: string) => page().evaluate((c) => window.gridscope.report.grids.find((g) => g.code === c)?.households ?? -1, code);
const done = () => page().evaluate(() => window.gridscope.draft?.done ?? 0);

async function openEditor() {
  await page().getByTestId('open-edit').click();
  await page().getByTestId('edit-panel').waitFor();
}

/** Selects a grid by its code through the search box, then gives the map the keyboard. */
async function selectGrid(code: string) {
  await page().getByTestId('search').fill(code);
  await page().getByTestId('search').press('Enter');
  await expect.poll(() => page().evaluate(() => window.gridscope.selection?.code)).toBe(code);
  await page().waitForTimeout(1200); // the fly
  await page().getByTestId('search').blur();
}

async function screen(at: XY) {
  const box = (await page().getByTestId('map').boundingBox())!;
  const p = await page().evaluate(([x, y]) => window.gridscope.project(x, y), at);
  return { x: box.x + p.x, y: box.y + p.y };
}

/** Waits until the draft has `n` edits applied, and keeps the time the page took. */
async function afterEdit(n: number) {
  await expect.poll(done, { timeout: 20_000 }).toBe(n);
  const t = await page().evaluate(() => window.gridscope.lastEdit);
  timings.push(`${Math.round(t?.ms ?? NaN)} (${Object.entries(t?.worker ?? {}).map(([k, v]) => `${k} ${Math.round(v)}`).join(' ')})`);
}

async function drag(from: XY, to: XY, alone = false) {
  const a = await screen(from), b = await screen(to);
  await page().mouse.move(a.x, a.y);
  if (alone) await page().keyboard.down('Alt');
  await page().mouse.down();
  for (let k = 1; k <= 8; k++) await page().mouse.move(a.x + ((b.x - a.x) * k) / 8, a.y + ((b.y - a.y) * k) / 8);
  await page().mouse.up();
  if (alone) await page().keyboard.up('Alt');
}

/** A line across a grid from south to north through its middle, clicked point by point, then Enter. */
async function splitAcross(code: string) {
  const [w, s, e, n] = await page().evaluate((c) => {
    const g = window.gridscope.district.grids.find((x) => x.properties.code === c)!;
    const pts = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : (g.geometry.coordinates as unknown as number[][][][])[0][0];
    return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
  }, code);
  const cx = (w + e) / 2;
  await page().evaluate(([x, y]) => window.gridscope.jumpTo(x, y, 15.5), [cx, (s + n) / 2]);
  await page().waitForTimeout(600);
  await page().keyboard.press('x');
  await expect.poll(() => page().getByTestId('edit-mode').textContent()).toContain('拆分');
  for (const y of [s - (n - s) * 0.1, n + (n - s) * 0.1]) {
    const p = await screen([cx, y]);
    await page().mouse.click(p.x, p.y);
  }
  await page().keyboard.press('Enter');
}

/**
 * Where a planted gap or overlap came from: one grid's vertex moved off the corner its
 * neighbour still has. The vertex held by that grid alone, and the neighbour's nearest one.
 */
function strayVertex(codes: string[]) {
  return page().evaluate((cs) => {
    const grids = window.gridscope.district.grids;
    const ring = (code: string) => grids.find((g) => g.properties.code === code)!.geometry.coordinates[0];
    const key = (p: number[]) => `${p[0]},${p[1]}`;
    const all = new Map<string, number>();
    for (const g of grids) for (const p of (g.geometry.type === 'Polygon' ? g.geometry.coordinates[0].slice(0, -1) : [])) all.set(key(p), (all.get(key(p)) ?? 0) + 1);
    let best: { grid: string; from: [number, number]; to: [number, number]; d: number } | null = null;
    for (const a of cs) for (const b of cs) {
      if (a === b) continue;
      const mine = new Set(ring(a).map(key));
      for (const p of ring(a)) {
        if (all.get(key(p)) !== 1) continue;
        for (const q of ring(b)) {
          if (mine.has(key(q))) continue;
          const d = Math.hypot(p[0] - q[0], p[1] - q[1]);
          if (!best || d < best.d) best = { grid: a, from: [p[0], p[1]], to: [q[0], q[1]], d };
        }
      }
    }
    return best!;
  }, codes);
}

const landFindings = () => page().evaluate(() => window.gridscope.report.findings.filter((f) => ['gap', 'overlap', 'invalid_edges', 'spill'].includes(f.kind)).map((f) => `${f.kind}:${[...f.ids].sort().join('+')}`));

describe('the grid editor', () => {
  it('drags a shared inner corner: the counts of the grids around it change at once, no gap or overlap opens', async () => {
    await openEditor();
    const code = '370705006001003';
    await selectGrid(code);
    const before = await landFindings();
    const { corner, centre, sharers } = await page().evaluate((c) => {
      const grids = window.gridscope.district.grids;
      const ring = grids.find((g) => g.properties.code === c)!.geometry.coordinates[0];
      const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
      // An inner corner: held by three or more grids, all of this community (its south-west one,
      // where this grid has buildings); moving a corner on a community's edge would move the edge.
      const community = c.slice(0, 12);
      const holdersOf = (v: number[]) => grids.filter((g) => g.geometry.type === 'Polygon' && g.geometry.coordinates[0].some((p) => p[0] === v[0] && p[1] === v[1])).map((g) => g.properties.code);
      const inner = ring.slice(0, -1).filter((v) => { const h = holdersOf(v); return h.length >= 3 && h.every((k) => k.startsWith(community)); });
      const sw = inner.reduce((b, p) => (p[0] + p[1] < b[0] + b[1] ? p : b));
      return { corner: [sw[0], sw[1]] as [number, number], centre: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] as [number, number], sharers: holdersOf(sw) };
    }, code);
    expect(sharers.length).toBeGreaterThan(1);
    const counts = async () => Promise.all(sharers.map(households));
    const was = await counts();
    await drag(corner, [corner[0] + (centre[0] - corner[0]) * 0.4, corner[1] + (centre[1] - corner[1]) * 0.4]);
    await afterEdit(1);
    const now = await counts();
    expect(now[sharers.indexOf(code)]).toBeLessThan(was[sharers.indexOf(code)]);
    expect(now.reduce((a, b) => a + b)).toBe(was.reduce((a, b) => a + b)); // households went to the neighbours
    expect(now.filter((n, i) => n !== was[i]).length).toBeGreaterThanOrEqual(2);
    expect(await landFindings()).toEqual(before);
    await expect.poll(() => page().getByTestId('edit-households').textContent()).toBe(String(now[sharers.indexOf(code)]));
  });

  it('splits a grid, undoes and redoes it, and finds the draft as left after a reload', async () => {
    await openEditor();
    const code = '370705006001003';
    await selectGrid(code);
    const grids0 = await page().evaluate(() => window.gridscope.district.grids.length);
    await splitAcross(code);
    await afterEdit(1);
    expect(await page().evaluate(() => window.gridscope.district.grids.length)).toBe(grids0 + 1);
    const split = await households(code);
    expect(split).toBeLessThan(902);
    await page().getByTestId('undo').click();
    await afterEdit(0);
    expect(await page().evaluate(() => window.gridscope.district.grids.length)).toBe(grids0);
    expect(await households(code)).toBe(902);
    await page().keyboard.press('Control+Shift+Z');
    await afterEdit(1);
    expect(await households(code)).toBe(split);

    await page().reload();
    await page().waitForFunction(() => window.gridscope?.ready === true, null, { timeout: 60_000 });
    expect(await page().evaluate(() => window.gridscope.district.grids.length)).toBe(grids0 + 1);
    expect(await households(code)).toBe(split);
    expect(await page().evaluate(() => window.gridscope.draft)).toMatchObject({ done: 1, total: 1 });
    await openEditor();
    await expect.poll(() => page().getByTestId('draft-state').textContent()).toContain('1');
    await page().keyboard.press('Control+z');
    await afterEdit(0);
    expect(await households(code)).toBe(902);
  });

  it('hands a building across an edge to its other grid: the edge follows it, its households go with it', async () => {
    await openEditor();
    const { building_id: id, grids: [, to] } = planted.straddling_buildings[0];
    const info = await page().evaluate((bid) => {
      const b = window.gridscope.district.buildings;
      const i = b.ids.indexOf(bid);
      // its outer ring, from the columns
      const { coords, ringStart, polyRings } = b.shapes;
      const r: number[][] = [];
      for (let v = ringStart[polyRings[i]]; v < ringStart[polyRings[i] + 1]; v++) r.push([coords[2 * v], coords[2 * v + 1]]);
      return { i, households: b.households[i], grid: window.gridscope.district.grids[b.grid[i]].properties.code, centre: [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length] as [number, number] };
    }, id);
    const target = info.grid === to ? planted.straddling_buildings[0].grids[0] : to;
    await selectGrid(target);
    const was = await households(target);
    await page().keyboard.press('b');
    await page().evaluate(([x, y]) => window.gridscope.jumpTo(x, y, 17), info.centre);
    await page().waitForTimeout(600);
    const c = await screen(info.centre);
    await page().mouse.click(c.x, c.y);
    await expect.poll(() => page().getByTestId('edit-hint').textContent()).toContain('1');
    // a point of the target grid away from the building: along the line from it into the target
    const inside = await page().evaluate(([code, x, y]) => {
      const g = window.gridscope.district.grids.find((q) => q.properties.code === code)!.geometry.coordinates[0];
      const cx = g.reduce((s, p) => s + p[0], 0) / g.length, cy = g.reduce((s, p) => s + p[1], 0) / g.length;
      return [x + (cx - x) * 0.3, y + (cy - y) * 0.3] as [number, number];
    }, [target, ...info.centre] as [string, number, number]);
    const t = await screen(inside);
    await page().mouse.click(t.x, t.y);
    await afterEdit(1);
    expect(await page().evaluate((i) => window.gridscope.district.grids[window.gridscope.district.buildings.grid[i]].properties.code, info.i)).toBe(target);
    expect(await households(target)).toBe(was + info.households);
    expect(await page().evaluate((bid) => window.gridscope.report.findings.some((f) => f.kind === 'straddling_building' && f.ids[0] === bid), id)).toBe(false);
  });

  it('compares the draft with the published grids and downloads the comparison', async () => {
    await openEditor();
    await selectGrid('370705006001003');
    await splitAcross('370705006001003');
    await afterEdit(1);
    await page().getByTestId('versions').getByTestId('compare').first().click();
    const panel = page().getByTestId('comparison');
    await expect.poll(() => panel.textContent()).toContain('新增 1');
    await expect.poll(() => panel.textContent()).toContain('改边');
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByTestId('download-comparison').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // Excel reads it as UTF-8
    expect(text).toContain('370705006001003');
    expect(text).toContain('新增');
    expect(text).toMatch(/370705006001003,370705006001\d{3},\d+,\d+/); // households moved from the old grid to the new one
  });

  it('fixes a planted gap, a planted overlap and an over-band grid with these tools alone; the checks then say so', async () => {
    await openEditor();
    let n = 0;
    for (const defect of [planted.gaps[0], planted.overlaps[0]]) {
      const stray = await strayVertex(defect.grids);
      await selectGrid(stray.grid);
      await drag(stray.from, stray.to, true);
      await afterEdit(++n);
      const land = await landFindings();
      expect(land.some((f) => defect.grids.every((c: string) => f.includes(c)))).toBe(false);
    }
    const over = planted.grids_outside_band.find((g: { households: number; band: number[] }) => g.households > g.band[1] && g.households < 2 * g.band[1]).grid;
    await selectGrid(over);
    await splitAcross(over);
    await afterEdit(++n);
    const status = await page().evaluate((c) => window.gridscope.report.grids.filter((g) => g.code.startsWith(c.slice(0, 12))).map((g) => [g.code, g.band_status]), over);
    expect(Object.fromEntries(status)[over]).toBe('in');
    expect(await landFindings()).toHaveLength(planted.gaps.length + planted.overlaps.length - 2);
    console.log(`editor: page updated after each edit in ${timings.join(', ')} ms`);
  });

  it('auto-splits an over-band grid: the proposal on the map with its counts, accepted as one edit, undone', async () => {
    await openEditor();
    const code = '370705006001003';
    await selectGrid(code);
    const grids0 = await page().evaluate(() => window.gridscope.district.grids.length);
    await page().getByTestId('plan-split').click();
    await page().getByTestId('proposal').waitFor({ timeout: 20_000 });
    const rows = await page().getByTestId('proposal-rows').textContent();
    expect(rows).toContain(code);
    expect(await page().getByTestId('plan-scores').textContent()).toContain('Polsby-Popper');
    expect(await done()).toBe(0); // nothing changed yet
    await page().getByTestId('plan-accept').click();
    await afterEdit(1);
    const after = await page().evaluate((c) => window.gridscope.report.grids.filter((g) => g.code.startsWith(c.slice(0, 12))).map((g) => [g.code, g.households, g.band_status]), code);
    expect(await page().evaluate(() => window.gridscope.district.grids.length)).toBeGreaterThan(grids0);
    expect(Object.fromEntries(after.map(([c, , s]) => [c, s]))[code]).toBe('in');
    expect(await landFindings()).toHaveLength(planted.gaps.length + planted.overlaps.length); // no new gap or overlap
    await page().getByTestId('undo').click();
    await afterEdit(0);
    expect(await page().evaluate(() => window.gridscope.district.grids.length)).toBe(grids0);
    expect(await households(code)).toBe(902);
  });

  it('repairs the district: pieces over the limit listed for the planner, then all of them fixed as one edit, undone', async () => {
    await openEditor();
    const planted6 = planted.gaps.length + planted.overlaps.length;
    expect(await landFindings()).toHaveLength(planted6);
    // the default limit (500 m²) is under every planted piece (3,000–5,200 m²): nothing to apply, all listed
    await page().getByTestId('plan-repair-district').click();
    await page().getByTestId('proposal').waitFor({ timeout: 30_000 });
    expect(await page().getByTestId('proposal-left').count()).toBe(planted6);
    expect(await page().getByTestId('proposal-nothing').count()).toBe(1);
    expect(await page().getByTestId('plan-accept').count()).toBe(0);
    await page().getByTestId('plan-max-area').fill('10000');
    await page().getByTestId('plan-repair-district').click();
    await page().getByTestId('proposal-rows').waitFor({ timeout: 30_000 });
    await page().getByTestId('plan-accept').waitFor({ timeout: 30_000 });
    expect(await page().getByTestId('proposal-left').count()).toBe(0);
    await page().getByTestId('plan-accept').click();
    await afterEdit(1);
    expect(await landFindings()).toEqual([]);
    await page().getByTestId('undo').click();
    await afterEdit(0);
    expect(await landFindings()).toHaveLength(planted6);
  });
});
