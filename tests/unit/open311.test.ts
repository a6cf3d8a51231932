// Open311 GeoReport v2 feeds: the fixtures of tests/fixtures/open311 (README.md there) against
// expected.json, paging against a local HTTP server, and the re-poll merge.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseFeature, CaseProps } from '../../src/domain/types';
import { fetchOpen311, mergeCases, parseOpen311 } from '../../src/io/open311';

const dir = 'tests/fixtures/open311';
const load = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'));
interface Expected {
  cases?: CaseProps[];
  skipped?: { id: string; code: string }[];
  error?: string;
}
const expected = load('expected.json') as Record<string, Expected> & {
  paging: { files: string[]; ids: string[]; runs: { page_size: number; pages: number; requests: number; skipped: { id: string; code: string }[] }[] } & Record<string, Partial<CaseProps>>;
};
const KEYS = [
  'service_request_id', 'status', 'service_name', 'service_code', 'description', 'address', 'requested_datetime',
  'updated_datetime', 'expected_datetime', 'closed_datetime', 'dispatched_datetime', 'handled_datetime',
  'supervised_datetime', 'visited_datetime', 'dispatch_level', 'satisfaction', 'lat', 'long',
].sort();
const ids = (fs: CaseFeature[]) => fs.map((f) => f.properties.service_request_id);

describe('parseOpen311: fixtures', () => {
  const files = Object.keys(expected).filter((k) => k.endsWith('.json'));
  it.each(files.filter((f) => expected[f].cases))('%s', (file) => {
    const want = expected[file];
    const { cases, skipped } = parseOpen311(load(file), file);
    expect(cases.map((f) => f.properties)).toEqual(want.cases);
    for (const f of cases) {
      expect(Object.keys(f.properties).sort()).toEqual(KEYS); // every CaseProps key, nothing else
      expect(f.geometry).toEqual({ type: 'Point', coordinates: [f.properties.long, f.properties.lat] });
    }
    expect(skipped.map(({ id, code }) => ({ id, code }))).toEqual(want.skipped);
    // Every reason names its entry: its position, and its id where it has one.
    for (const s of skipped) expect(s.reason).toMatch(s.id.startsWith('#') ? new RegExp(`^${s.id}:`) : new RegExp(`^#\\d+ \\(id ${s.id}\\): `));
  });

  it.each(files.filter((f) => expected[f].error))('%s is refused, naming the source', (file) => {
    expect(() => parseOpen311(load(file), `feeds/${file}`)).toThrow(
      `feeds/${file}: not an Open311 GeoReport v2 requests list (${expected[file].error})`,
    );
  });

  it('malformed.json: the reasons say what is wrong', () => {
    const reasons = Object.fromEntries(parseOpen311(load('malformed.json'), 'm').skipped.map((s) => [s.code, s.reason]));
    expect(reasons).toEqual({
      not_object: '#2: not an object (string)',
      no_id: '#3: has only a token (tk-88), no service_request_id yet',
      bad_status: '#4 (id SJ2026-100304): status "pending" is neither open nor closed',
      bad_requested_datetime: '#5 (id SJ2026-100305): requested_datetime "昨天下午" is not an ISO 8601 time',
      no_location: '#6 (id SJ2026-100306): lat/long "", "" are not numbers',
      projected_location: '#7 (id SJ2026-100307): lat 4063000, long 39500000 are not degrees of latitude and longitude (projected metres?)',
      swapped_latlong: '#8 (id SJ2026-100308): lat 119.125, long 36.708 lie outside China; they look swapped',
      duplicate: '#9 (id SJ2026-100301): duplicate of #1, which was updated later or at the same time and is kept',
    });
  });
});

describe('parseOpen311: other input', () => {
  const req = (over: Record<string, unknown> = {}) => ({
    service_request_id: 'A1', status: 'open', service_name: '环境卫生', service_code: 'HJWS',
    requested_datetime: '2026-10-31T08:00:00+08:00', updated_datetime: '2026-10-31T09:00:00+08:00', lat: 36.71, long: 119.12, ...over,
  });

  it('accepts {"requests": [...]} and an empty list', () => {
    expect(ids(parseOpen311({ requests: [req()] }, 's').cases)).toEqual(['A1']);
    expect(parseOpen311([], 's')).toEqual({ cases: [], skipped: [], cutFields: 0 });
    expect(parseOpen311({ service_requests: [] }, 's')).toEqual({ cases: [], skipped: [], cutFields: 0 });
  });

  it.each([
    [{ error: 'not found', message: 'no such endpoint' }, 'found an object with keys error, message'],
    ['<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>', 'found text: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></h"…'],
    [null, 'found null'],
    [42, 'found a number'],
    [{ service_requests: 'none' }, 'found an object with keys service_requests'],
    [[1, 2, 3], 'found a list of 3 entries, none of them an object'],
    [[{ name: 'x', value: 1 }], 'found 1 objects without service_request_id; the first has keys name, value'],
  ])('refuses %j', (json, what) => {
    expect(() => parseOpen311(json, 'https://x.gov.cn/open311/v2/requests.json')).toThrow(
      `https://x.gov.cn/open311/v2/requests.json: not an Open311 GeoReport v2 requests list (${what}`,
    );
  });

  it('a list of requests that all lack an id is read (and skipped), not refused', () => {
    const r = parseOpen311([req({ service_request_id: undefined }), req({ service_request_id: '' })], 's');
    expect(r.cases).toEqual([]);
    expect(r.skipped.map((s) => [s.id, s.code])).toEqual([['#1', 'no_id'], ['#2', 'no_id']]);
  });

  it('a duplicate keeps the later update wherever it is in the list, in the place of the first', () => {
    const r = parseOpen311([req({ description: 'old' }), req({ service_request_id: 'B' }), req({ description: 'new', updated_datetime: '2026-10-31T10:00:00+08:00' })], 's');
    expect(r.cases.map((f) => [f.properties.service_request_id, f.properties.description])).toEqual([['A1', 'new'], ['B', '']]);
    expect(r.skipped).toEqual([{ id: 'A1', code: 'duplicate', reason: '#1 (id A1): duplicate of #3, which was updated later or at the same time and is kept' }]);
    // Compared as instants: 02:00Z is later than 09:00+08:00 (= 01:00Z).
    const z = parseOpen311([req(), req({ description: 'utc', updated_datetime: '2026-10-31T02:00:00Z' })], 's');
    expect(z.cases[0].properties.description).toBe('utc');
  });

  it('times: offsets normalised, impossible dates refused, bad optional times dropped', () => {
    const one = (over: Record<string, unknown>) => parseOpen311([req(over)], 's');
    expect(one({ requested_datetime: '2026-10-31T08:00:00.250+0800' }).cases[0].properties.requested_datetime).toBe('2026-10-31T08:00:00.250+08:00');
    expect(one({ requested_datetime: '2026-10-31t08:00:00z' }).cases[0].properties.requested_datetime).toBe('2026-10-31T08:00:00Z');
    for (const bad of ['2026-02-30T08:00:00+08:00', '2026-13-01T08:00:00+08:00', '2026-10-31', 1793494800000, ''])
      expect(one({ requested_datetime: bad }).skipped[0]?.code, String(bad)).toBe('bad_requested_datetime');
    const p = one({ expected_datetime: 'soon', handled_datetime: 'n/a', status: 'closed', updated_datetime: undefined }).cases[0].properties;
    expect([p.expected_datetime, p.handled_datetime, p.updated_datetime, p.closed_datetime]).toEqual(['', '', '', '']);
  });

  it('location: numeric strings read, non-numbers, swapped and projected places refused, places outside China kept', () => {
    const at = (lat: unknown, long: unknown) => parseOpen311([req({ lat, long })], 's');
    expect(at(' 36.7 ', '119.1').cases[0].geometry.coordinates).toEqual([119.1, 36.7]);
    expect(at('36.7N', 119.1).skipped[0].code).toBe('no_location');
    expect(at(undefined, 119.1).skipped[0].code).toBe('no_location');
    // Like every other layer's points: a case outside China is kept (the import counts them).
    expect(at(40.7, -74.0).cases[0].geometry.coordinates).toEqual([-74.0, 40.7]); // New York
    expect(at(4063000, 39500000).skipped[0].code).toBe('projected_location'); // projected metres
    expect(at(116.4, 39.9).skipped[0].code).toBe('swapped_latlong');
  });

  it('unknown extension values are left empty', () => {
    const p = parseOpen311([req({ dispatch_level: 'city', satisfaction: 5 })], 's').cases[0].properties;
    expect([p.dispatch_level, p.satisfaction]).toEqual(['', '']);
  });
});

// ---- fetchOpen311 against a local server ------------------------------------------------

const feed = expected.paging.files.flatMap((f) => load(f) as unknown[]);
const seen: URL[] = [];
let server: Server;
let base = '';

// /feed pages the 10 entries of page1–3.json by page (1-based) and page_size (default 4);
// /nopaging sends page1.json whatever is asked; /services the services list; /500, /html,
// /empty as named; /hang never answers.
beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push(u);
    const json = (body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    switch (u.pathname) {
      case '/feed': {
        const size = Number(u.searchParams.get('page_size') ?? 4);
        const page = Number(u.searchParams.get('page') ?? 1);
        return json(feed.slice((page - 1) * size, page * size));
      }
      case '/nopaging': return json(load('page1.json'));
      case '/wrapped': return json({ service_requests: feed.slice(0, 2) });
      case '/malformed': return json(load('malformed.json'));
      case '/services': return json(load('services.json'));
      case '/500': return res.writeHead(500, 'Internal Server Error').end('oops');
      case '/html': return res.writeHead(200, { 'Content-Type': 'text/html' }).end('\n  <!DOCTYPE html>\n<html><body><h1>登录</h1></body></html>');
      case '/empty': return res.writeHead(200).end();
      case '/hang': return; // never answered: only the caller's signal ends it
      default: return res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});
beforeEach(() => void (seen.length = 0));

describe('fetchOpen311', () => {
  it.each(expected.paging.runs)('pages of $page_size: $requests requests, $pages pages', async ({ page_size, pages, requests, skipped }) => {
    const r = await fetchOpen311(`${base}/feed?status=open&jurisdiction_id=kuiwen`, { pageSize: page_size });
    expect({ pages: r.pages, requests: r.requests, truncated: r.truncated }).toEqual({ pages, requests, truncated: false });
    expect(ids(r.cases)).toEqual(expected.paging.ids); // SJ2026-100202, on pages 1 and 2, once
    const moved = r.cases.find((f) => f.properties.service_request_id === 'SJ2026-100202')!.properties;
    expect(moved).toMatchObject(expected.paging['SJ2026-100202']);
    // Pages of 100 get all 10 entries in one response: there SJ2026-100202's first listing is a duplicate.
    expect(r.skipped.map(({ id, code }) => ({ id, code }))).toEqual(skipped);
    // The URL's own query is kept; page and page_size are added.
    expect(seen.map((u) => Object.fromEntries(u.searchParams))).toEqual(
      Array.from({ length: requests }, (_, i) => ({ status: 'open', jurisdiction_id: 'kuiwen', page: String(i + 1), page_size: String(page_size) })),
    );
  });

  it('stops at maxPages and says the feed may hold more', async () => {
    const r = await fetchOpen311(`${base}/feed`, { pageSize: 2, maxPages: 2 });
    expect([r.pages, r.requests, r.truncated, r.cases.length]).toEqual([2, 2, true, 4]);
  });

  it('a server that ignores paging: the repeated page ends it', async () => {
    const r = await fetchOpen311(`${base}/nopaging`, { pageSize: 4 });
    expect([r.pages, r.requests, r.truncated]).toEqual([1, 2, false]);
    expect(ids(r.cases)).toEqual(expected.paging.ids.slice(0, 4));
  });

  it('reads a wrapped list and reports skipped entries by page', async () => {
    expect(ids((await fetchOpen311(`${base}/wrapped`)).cases)).toEqual(['SJ2026-100201', 'SJ2026-100202']);
    const r = await fetchOpen311(`${base}/malformed`);
    expect(r.skipped.map((s) => s.code)).toEqual(expected['malformed.json'].skipped!.map((s) => s.code));
    expect(r.skipped[0].reason).toBe('page 1, #2: not an object (string)');
  });

  it.each([
    ['/500', 'HTTP 500 Internal Server Error'],
    ['/html', 'not JSON: it starts with "<!DOCTYPE html> <html><body><h1>登录</h1></body></html>"'],
    ['/empty', 'not JSON: the body is empty'],
    ['/services', 'not an Open311 GeoReport v2 requests list (this looks like the services list, not requests)'],
  ])('%s fails naming the URL', async (path, what) => {
    await expect(fetchOpen311(`${base}${path}`, { pageSize: 10 })).rejects.toThrow(`${base}${path}?page=1&page_size=10: ${what}`);
  });

  it('a hanging server times out with the signal, naming the URL', async () => {
    const t0 = Date.now();
    const p = fetchOpen311(`${base}/hang`, { signal: AbortSignal.timeout(300) });
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError', message: `${base}/hang?page=1&page_size=100: timed out` });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a cancel is an AbortError', async () => {
    const ctl = new AbortController();
    const p = fetchOpen311(`${base}/hang`, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: `${base}/hang?page=1&page_size=100: cancelled` });
  });

  it('an unreachable server is a network error naming the URL', async () => {
    const s = createServer();
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
    const port = (s.address() as AddressInfo).port;
    await new Promise((ok) => s.close(ok));
    await expect(fetchOpen311(`http://127.0.0.1:${port}/requests.json`)).rejects.toThrow(
      `http://127.0.0.1:${port}/requests.json?page=1&page_size=100: cannot be fetched (network failure, or the server does not allow this site to read it: CORS)`,
    );
  });

  it('refuses a malformed URL', async () => {
    await expect(fetchOpen311('http//cases/requests.json')).rejects.toThrow('http//cases/requests.json: not a valid URL');
  });

  it('uses the fetchFn given', async () => {
    const asked: string[] = [];
    const fetchFn: typeof fetch = async (input) => {
      asked.push(String(input));
      return new Response(JSON.stringify(asked.length === 1 ? load('extensions.json') : []));
    };
    const r = await fetchOpen311('https://cases.example.gov.cn/open311/v2/requests.json', { fetchFn, pageSize: 3 });
    expect(asked).toEqual([1, 2].map((p) => `https://cases.example.gov.cn/open311/v2/requests.json?page=${p}&page_size=3`));
    expect([r.cases.length, r.pages, r.requests]).toEqual([3, 1, 2]);
  });
});

// ---- mergeCases --------------------------------------------------------------------------

describe('mergeCases', () => {
  const prev = parseOpen311(load('requests.json'), 'r').cases; // 001 open, 002 closed, 003 open, 004 closed
  const edit = (f: CaseFeature, p: Partial<CaseProps>): CaseFeature => ({ ...f, properties: { ...f.properties, ...p } });
  const later = '2026-10-31T12:00:00+08:00';
  const byId = (fs: CaseFeature[], id: string) => fs.find((f) => f.properties.service_request_id === id)!.properties;

  it('updates in place by id, appends new ones, keeps prev order and cases absent from next', () => {
    const added = edit(prev[0], { service_request_id: 'SJ2026-100009', description: '新' });
    const next = [added, edit(prev[2], { updated_datetime: later, description: '已处理' }), prev[0]];
    const r = mergeCases(prev, next);
    expect(ids(r.cases)).toEqual(['SJ2026-100001', 'SJ2026-100002', 'SJ2026-100003', 'SJ2026-100004', 'SJ2026-100009']);
    expect(byId(r.cases, 'SJ2026-100003').description).toBe('已处理');
    expect(r.cases[1]).toBe(prev[1]); // absent from next: as it was
    expect([r.added, r.updated, r.reopened, r.unchanged]).toEqual([1, 1, 0, 3]);
    expect(prev.map((f) => f.properties.description)).toEqual(parseOpen311(load('requests.json'), 'r').cases.map((f) => f.properties.description)); // prev not mutated
  });

  it('no duplicates when next repeats itself or prev', () => {
    const r = mergeCases(prev, [...prev, ...prev, edit(prev[0], { service_request_id: 'N' }), edit(prev[0], { service_request_id: 'N' })]);
    expect(ids(r.cases)).toEqual([...ids(prev), 'N']);
    expect([r.added, r.updated, r.reopened, r.unchanged]).toEqual([1, 0, 0, 4]);
  });

  it('the later updated_datetime wins; equal: next wins', () => {
    const older = edit(prev[0], { updated_datetime: '2026-10-31T08:30:00+08:00', description: 'older' });
    expect(byId(mergeCases(prev, [older]).cases, 'SJ2026-100001').description).toBe(prev[0].properties.description);
    const same = edit(prev[0], { description: 'same time' });
    const r = mergeCases(prev, [same]);
    expect(byId(r.cases, 'SJ2026-100001').description).toBe('same time');
    expect(r.updated).toBe(1);
    // An open case closed later by the feed: an ordinary update.
    const closed = edit(prev[0], { status: 'closed', updated_datetime: later, closed_datetime: later });
    expect(byId(mergeCases(prev, [closed]).cases, 'SJ2026-100001').status).toBe('closed');
  });

  it('a closed case stays closed unless the feed reopened it later', () => {
    const c = prev[1]; // closed, updated 2026-10-29T19:30+08:00
    for (const updated_datetime of [c.properties.updated_datetime, '2026-10-29T19:00:00+08:00', '']) {
      const r = mergeCases(prev, [edit(c, { status: 'open', closed_datetime: '', updated_datetime })]);
      expect(byId(r.cases, c.properties.service_request_id).status, updated_datetime).toBe('closed');
      expect([r.updated, r.reopened, r.unchanged]).toEqual([0, 0, 4]);
    }
    const r = mergeCases(prev, [edit(c, { status: 'open', closed_datetime: '', updated_datetime: '2026-10-30T08:00:00+08:00' })]);
    expect(byId(r.cases, c.properties.service_request_id)).toMatchObject({ status: 'open', closed_datetime: '' });
    expect([r.added, r.updated, r.reopened, r.unchanged]).toEqual([0, 0, 1, 3]);
    expect(ids(r.cases)).toEqual(ids(prev));
  });

  it('a paged fetch merged into the cases held', async () => {
    const held = parseOpen311(load('page1.json'), 'p1').cases; // SJ2026-100202 open
    const r = mergeCases(held, (await fetchOpen311(`${base}/feed`, { pageSize: 4 })).cases);
    expect(ids(r.cases)).toEqual(expected.paging.ids);
    expect([r.added, r.updated, r.reopened, r.unchanged]).toEqual([5, 1, 0, 3]);
  });
});
