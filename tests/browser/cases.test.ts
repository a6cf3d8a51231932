// Cases in the built console: a live Open311 feed from a local test server that changes
// while the page is open (a case turns overdue, then closed), a feed that breaks (nothing
// shown is lost), and the demo's KPIs against the case file recomputed here independently.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useConsolePage } from './chromium';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';

const { page, baseUrl, allowErrors } = useConsolePage();

const setFeed = (status: number, body: unknown) =>
  fetch(`${baseUrl}__feed/set`, { method: 'POST', body: JSON.stringify({ status, body: typeof body === 'string' ? body : JSON.stringify(body) }) });

type Hooks = { ready: boolean; source?: { kind: string }; district?: { cases: { ids: string[]; status: Uint8Array } } };
/** The status code (0 closed, 1 in progress, 2 overdue) the page holds for a case, or -1. */
const statusOf = (p: Page, id: string) => p.evaluate((caseId) => {
  const c = (window as unknown as { gridscope: Hooks }).gridscope.district?.cases;
  const i = c ? c.ids.indexOf(caseId) : -1;
  return i < 0 ? -1 : c!.status[i];
}, id);

const iso = (ms: number) => new Date(ms).toISOString();
function request(status: 'open' | 'closed', deadline: number, now: number) {
  return {
    service_request_id: 'LIVE-1', status, service_name: '环境卫生', service_code: 'HJWS', description: '路面垃圾未清运',
    address: '测试路 1 号', requested_datetime: iso(now - 3_600_000), updated_datetime: iso(now), expected_datetime: iso(deadline),
    closed_datetime: status === 'closed' ? iso(now) : '', dispatch_level: 'community', lat: 36.705, long: 119.105,
  };
}

async function openWorkspaceWithGrids(p: Page) {
  await p.getByTestId('open-import').click();
  await p.getByTestId('workspace-name').fill('实时事件');
  await p.getByTestId('import-files').setInputFiles('tests/fixtures/import/gis-grids.geojson');
  await p.getByTestId('import-file').getByTestId('import-save').click();
  await p.getByTestId('import-file').getByTestId('import-result').waitFor();
  await p.getByTestId('open-workspace').click();
  await p.waitForFunction(() => {
    const g = (window as unknown as { gridscope: Hooks }).gridscope;
    return g.ready && g.source?.kind === 'workspace';
  }, null, { timeout: 60_000 });
}

const kpi = async (p: Page, key: string) => (await p.locator(`[data-kpi=${key}] .kpi-value`).textContent())?.trim();

describe('cases', () => {
  it('follows a changing feed live: a case turns overdue, then closed; a broken feed loses nothing', async () => {
    const p = page();
    allowErrors(/status of 500/); // the browser logs the failed request itself
    await openWorkspaceWithGrids(p);
    const now = Date.now();
    await setFeed(200, [request('open', now + 12_000, now)]);
    await p.getByTestId('open-cases').click();
    await p.getByTestId('case-settings').locator('summary').first().click(); // the feed settings fold away
    await p.getByTestId('feed-url').fill(`${baseUrl}__feed/requests.json`);
    await p.getByTestId('feed-interval').fill('1');
    await p.getByTestId('feed-start').click();
    await expect.poll(() => statusOf(p, 'LIVE-1'), { timeout: 10_000 }).toBe(1); // in progress
    expect(await p.getByTestId('feed-status').textContent()).toContain('实时 · 数据截至');
    await expect.poll(() => p.getByTestId('case-list').textContent()).toContain('LIVE-1');
    expect(await kpi(p, 'open')).toBe('1');

    // The deadline passes while the page is open: the next poll shows it overdue.
    await expect.poll(() => statusOf(p, 'LIVE-1'), { timeout: 30_000, interval: 500 }).toBe(2);
    await expect.poll(() => kpi(p, 'overdue')).toBe('1');
    await expect.poll(() => p.getByTestId('case-list').textContent()).toContain('超时');

    // The feed closes it.
    await setFeed(200, [request('closed', now + 12_000, Date.now())]);
    await expect.poll(() => statusOf(p, 'LIVE-1'), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => kpi(p, 'closed')).toBe('1');
    expect(await kpi(p, 'open')).toBe('0');

    // The feed breaks: a clear message with the time of the data shown, and nothing lost.
    await setFeed(500, 'internal error');
    await expect.poll(() => p.getByTestId('feed-status').textContent(), { timeout: 10_000 }).toMatch(/拉取失败：.*HTTP 500.*地图上仍是 .* 拉取的数据/);
    expect(await statusOf(p, 'LIVE-1')).toBe(0);
    expect(await kpi(p, 'received')).toBe('1');
    await setFeed(200, { error: 'maintenance' });
    await expect.poll(() => p.getByTestId('feed-status').textContent(), { timeout: 10_000 }).toMatch(/not an Open311 GeoReport v2 requests list/);
    expect(await kpi(p, 'closed')).toBe('1');
    await p.getByTestId('feed-stop').click();

    // A feed on another origin is refused by the code itself (workers are not bound by a
    // <meta> policy, a static server may send no header): said plainly, nothing fetched.
    const other = baseUrl.replace('127.0.0.1', 'localhost');
    // (Start and stop are two buttons, not one changing its type: a reused submit button restarted the feed.)
    await p.getByTestId('feed-start').waitFor({ timeout: 10_000 });
    await p.getByTestId('feed-url').fill(`${other}__feed/requests.json`);
    await p.getByTestId('feed-start').click();
    await expect.poll(() => p.getByTestId('feed-status').textContent(), { timeout: 10_000 }).toMatch(/is not an origin this console may read from/);
    await p.getByTestId('feed-stop').click();
  });

  it('opens a workspace whose cases came from an Open311 file, kept as columns in IndexedDB', async () => {
    const p = page();
    const want = JSON.parse(readFileSync('tests/fixtures/open311/expected.json', 'utf8'))['requests.json'].cases as { service_request_id: string; status: string }[];
    await p.getByTestId('open-import').click();
    await p.getByTestId('workspace-name').fill('事件文件');
    await p.getByTestId('import-files').setInputFiles(['tests/fixtures/import/gis-grids.geojson', 'tests/fixtures/open311/requests.json']);
    await expect.poll(() => p.getByTestId('import-file').count()).toBe(2);
    const cases = p.getByTestId('import-file').nth(1);
    expect(await cases.getByTestId('import-role').inputValue()).toBe('cases');
    for (const k of [0, 1]) {
      await p.getByTestId('import-file').nth(k).getByTestId('import-save').click();
      await p.getByTestId('import-file').nth(k).getByTestId('import-result').waitFor();
    }
    expect(await cases.getByTestId('import-result').textContent()).toContain(`导入 ${want.length} 条`);
    await p.getByTestId('open-workspace').click();
    await p.waitForFunction(() => {
      const g = (window as unknown as { gridscope: Hooks }).gridscope;
      return g.ready && g.source?.kind === 'workspace';
    }, null, { timeout: 60_000 });
    expect(await p.evaluate(() => (window as unknown as { gridscope: Hooks }).gridscope.district!.cases.ids)).toEqual(want.map((c) => c.service_request_id));
    await p.getByTestId('open-cases').click();
    expect(await kpi(p, 'received')).toBe(String(want.length));
    expect(await kpi(p, 'closed')).toBe(String(want.filter((c) => c.status === 'closed').length));
  });

  it('shows the demo KPIs that the case file gives when recomputed independently', async () => {
    const p = page();
    const meta = JSON.parse(readFileSync('data/demo/meta.json', 'utf8'));
    const now = Date.parse(meta.as_of);
    const cases = (await readFlatGeobuf(new Uint8Array(readFileSync('data/demo/cases.fgb')))).map((f) => f.properties as Record<string, string>);
    // Straight from the file: every demo case has its own expected_datetime.
    const closed = cases.filter((c) => c.status === 'closed');
    const open = cases.filter((c) => c.status === 'open');
    const overdue = open.filter((c) => Date.parse(c.expected_datetime) < now);
    const onTime = closed.filter((c) => Date.parse(c.closed_datetime) <= Date.parse(c.expected_datetime));
    const rated = cases.filter((c) => c.satisfaction);
    const satisfied = rated.filter((c) => c.satisfaction === 'satisfied' || c.satisfaction === 'basic');
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

    await p.getByTestId('open-cases').click();
    expect(await kpi(p, 'received')).toBe(cases.length.toLocaleString('en'));
    expect(await kpi(p, 'closed')).toBe(closed.length.toLocaleString('en'));
    expect(await kpi(p, 'closureRate')).toBe(pct(closed.length, cases.length));
    expect(await kpi(p, 'onTimeRate')).toBe(pct(onTime.length, closed.length));
    expect(await kpi(p, 'open')).toBe(String(open.length));
    expect(await kpi(p, 'overdue')).toBe(String(overdue.length));
    expect(await kpi(p, 'satisfactionRate')).toBe(pct(satisfied.length, rated.length));
    expect(overdue.length).toBe(meta.counts.cases_overdue);

    // Filters: one category; the map, the list and the KPIs follow.
    const category = '环境卫生';
    await p.getByTestId('case-category').selectOption({ label: category });
    const inCategory = cases.filter((c) => c.service_name === category);
    expect(await kpi(p, 'received')).toBe(inCategory.length.toLocaleString('en'));
    const shownOpen = inCategory.filter((c) => c.status === 'open').length;
    await expect.poll(() => p.evaluate(() => (window as unknown as { gridscope: { shownCases: number } }).gridscope.shownCases)).toBe(shownOpen);
    const listed = await p.getByTestId('case-list').locator('li').count();
    expect(listed).toBe(Math.min(shownOpen, 100) + (shownOpen > 100 ? 1 : 0));
  });
});
