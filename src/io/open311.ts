// Open311 GeoReport v2 case feeds (GET requests.json) → CaseFeature, from a parsed file or a
// polled URL with paging, and the merge that a re-poll applies to the cases already held.
//
// GeoReport v2 (wiki.open311.org/GeoReport_v2) sends a top-level array of request objects;
// some servers wrap it as {"service_requests": [...]} or {"requests": [...]}. Chinese case
// systems add the closed-loop times, dispatch level and satisfaction (CaseProps) as extra
// keys; they are read when present and '' otherwise.
import { FetchRefused, guardedFetch, readCapped } from './guardedFetch';
import { pointProblem } from '../checks/validate';
import type { CaseFeature, CaseProps, DispatchLevel, Satisfaction } from '../domain/types';

export type Open311SkipCode =
  | 'not_object' | 'no_id' | 'bad_status' | 'bad_requested_datetime'
  | 'no_location' | 'projected_location' | 'swapped_latlong' | 'duplicate';

export interface Open311Skip {
  /** service_request_id, or `#n` (1-based position in the list) where there is none. */
  id: string;
  code: Open311SkipCode;
  /** English, naming the entry. */
  reason: string;
}

export interface Open311Result {
  cases: CaseFeature[];
  skipped: Open311Skip[];
  /** text fields longer than FEED_LIMITS.fieldChars, cut */
  cutFields: number;
}

export interface Open311FetchOptions {
  signal?: AbortSignal;
  /** Asked for with `page_size` (default 100: under the 500 cap servers commonly have). */
  pageSize?: number;
  /** Pages per poll (FEED_LIMITS.pages). */
  maxPages?: number;
  /** Bytes per answer, counted as it streams (FEED_LIMITS.bytes). */
  maxBytes?: number;
  /** Cases one poll may bring (FEED_LIMITS.cases). */
  maxCases?: number;
  /** Origins allowed besides the page's own (default: those named at build time). */
  allow?: string[];
  fetchFn?: typeof fetch;
}

/**
 * What one feed may bring, so a misbehaving one cannot grow without bound: pages per poll,
 * bytes per answer, characters per text field (a longer one is cut and counted), cases in all.
 */
export const FEED_LIMITS = { pages: 50, bytes: 32 * 2 ** 20, fieldChars: 4000, cases: 500_000 };

export type FeedCap = 'pages' | 'cases' | 'fields';

export interface Open311FetchResult extends Open311Result {
  /** Pages whose entries were used (an empty or repeated last page is not counted). */
  pages: number;
  /** HTTP requests made. */
  requests: number;
  /** Paging stopped at maxPages: the feed may hold more. */
  truncated: boolean;
  /** The limits this poll reached (FEED_LIMITS): said in the panel. */
  capped: FeedCap[];
}

type Entry = Record<string, unknown>;
const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (e: Entry, k: string) => e[k] !== undefined && e[k] !== null && e[k] !== '';


/** The request objects of a GeoReport v2 response, or an error saying what the JSON is instead. */
function requestList(json: unknown, source: string): unknown[] {
  const fail = (what: string) => new Error(`${source}: not an Open311 GeoReport v2 requests list (${what})`);
  let list = json;
  if (isEntry(json)) {
    const key = ['service_requests', 'requests'].find((k) => Array.isArray(json[k]));
    if (!key) {
      const keys = Object.keys(json);
      throw fail(keys.length ? `found an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}` : 'found an empty object');
    }
    list = json[key];
  }
  if (!Array.isArray(list)) {
    throw fail(typeof list === 'string' ? `found text: ${excerpt(list)}` : `found ${list === null ? 'null' : `a ${typeof list}`}`);
  }
  const entries = list.filter(isEntry);
  if (list.length && !entries.length) throw fail(`found a list of ${list.length} entries, none of them an object`);
  // A list where nothing looks like a request: say what it looks like instead.
  if (entries.length && !entries.some((e) => ['service_request_id', 'token', 'requested_datetime', 'status'].some((k) => has(e, k)))) {
    if (entries.every((e) => has(e, 'service_code') && has(e, 'service_name')))
      throw fail('this looks like the services list, not requests');
    if (entries.every((e) => has(e, 'code') && has(e, 'description')))
      throw fail(`the server sent an Open311 error: ${entries.map((e) => `${str(e.code)} ${str(e.description)}`).join('; ')}`);
    throw fail(`found ${list.length} objects without service_request_id; the first has keys ${Object.keys(entries[0]).slice(0, 8).join(', ')}`);
  }
  return list;
}

export function parseOpen311(json: unknown, source: string): Open311Result {
  const list = requestList(json, source);
  clipped = 0;
  const skipped: Open311Skip[] = [];
  const byId = new Map<string, { f: CaseFeature; n: number }>();
  list.forEach((e, i) => {
    const n = i + 1;
    const r = toCase(e, n);
    if ('code' in r) return void skipped.push(r);
    const id = r.properties.service_request_id;
    const seen = byId.get(id);
    if (!seen) return void byId.set(id, { f: r, n });
    // Within one response the later update wins; at the same time a closed one (a case is
    // not reopened by a duplicate), else the later entry, as a re-poll would.
    const dt = time(r.properties.updated_datetime) - time(seen.f.properties.updated_datetime);
    const newer = dt > 0 || (dt === 0 || Number.isNaN(dt)) && !(seen.f.properties.status === 'closed' && r.properties.status !== 'closed');
    const [keep, drop] = newer ? [{ f: r, n }, seen] : [seen, { f: r, n }];
    byId.set(id, keep);
    skipped.push({ id, code: 'duplicate', reason: `#${drop.n} (id ${id}): duplicate of #${keep.n}, which was updated later or at the same time and is kept` });
  });
  return { cases: [...byId.values()].map((v) => v.f), skipped, cutFields: clipped };
}

function toCase(e: unknown, n: number): CaseFeature | Open311Skip {
  if (!isEntry(e)) return { id: `#${n}`, code: 'not_object', reason: `#${n}: not an object (${e === null ? 'null' : typeof e})` };
  const id = str(e.service_request_id).trim();
  if (!id) {
    // Some servers list a new request with only a token until their back office numbers it.
    const why = has(e, 'token') ? `has only a token (${str(e.token)}), no service_request_id yet` : 'has no service_request_id';
    return { id: `#${n}`, code: 'no_id', reason: `#${n}: ${why}` };
  }
  const skip = (code: Open311SkipCode, why: string): Open311Skip => ({ id, code, reason: `#${n} (id ${id}): ${why}` });
  const status = str(e.status).trim().toLowerCase();
  if (status !== 'open' && status !== 'closed') return skip('bad_status', `status ${JSON.stringify(e.status ?? null)} is neither open nor closed`);
  const requested = isoTime(e.requested_datetime);
  if (!requested) return skip('bad_requested_datetime', has(e, 'requested_datetime') ? `requested_datetime ${JSON.stringify(e.requested_datetime)} is not an ISO 8601 time` : 'no requested_datetime');
  const lat = num(e.lat);
  const long = num(e.long);
  if (lat === undefined || long === undefined)
    return skip('no_location', `lat/long ${JSON.stringify(e.lat ?? null)}, ${JSON.stringify(e.long ?? null)} are not numbers`);
  // Held to the same rule as every other layer's points: swapped or not degrees is refused, a
  // place outside China is kept (the import says how many lie outside).
  const wrong = pointProblem(long, lat);
  if (wrong?.code === 'lat_lon') return skip('swapped_latlong', `lat ${lat}, long ${long} lie outside China; they look swapped`);
  if (wrong) return skip('projected_location', `lat ${lat}, long ${long} are not degrees of latitude and longitude (projected metres?)`);
  const updated = isoTime(e.updated_datetime) ?? '';
  const props: CaseProps = {
    service_request_id: id,
    status,
    service_name: str(e.service_name),
    service_code: str(e.service_code),
    description: clip(str(e.description)),
    address: clip(str(e.address)),
    requested_datetime: requested,
    updated_datetime: updated,
    expected_datetime: isoTime(e.expected_datetime) ?? '',
    // GeoReport v2 has no closed_datetime: for a closed request updated_datetime is when it closed.
    closed_datetime: status === 'closed' ? (isoTime(e.closed_datetime) ?? updated) : '',
    dispatched_datetime: isoTime(e.dispatched_datetime) ?? '',
    handled_datetime: isoTime(e.handled_datetime) ?? '',
    supervised_datetime: isoTime(e.supervised_datetime) ?? '',
    visited_datetime: isoTime(e.visited_datetime) ?? '',
    // '' = not recorded; the case table reads an unknown level as "none" (DispatchLevel has no '').
    dispatch_level: (LEVELS[str(e.dispatch_level).trim().toLowerCase()] ?? '') as DispatchLevel,
    satisfaction: SATISFACTION[str(e.satisfaction).trim().toLowerCase()] ?? '',
    lat,
    long,
  };
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [long, lat] }, properties: props };
}

// The extension values in English (as CaseProps has them) or in the Chinese a case system shows.
const LEVELS: Record<string, DispatchLevel> = { community: 'community', street: 'street', district: 'district', 社区: 'community', 街道: 'street', 区: 'district', 区级: 'district' };
const SATISFACTION: Record<string, Satisfaction> = { satisfied: 'satisfied', basic: 'basic', unsatisfied: 'unsatisfied', 满意: 'satisfied', 基本满意: 'basic', 不满意: 'unsatisfied' };

/** A text field cut to FEED_LIMITS.fieldChars (a 300 MB description is not kept); `clipped` counts them. */
let clipped = 0;
function clip(s: string): string {
  if (s.length <= FEED_LIMITS.fieldChars) return s;
  clipped++;
  return `${s.slice(0, FEED_LIMITS.fieldChars)}…`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** A number, or a numeric string (many servers quote lat/long). */
function num(v: unknown): number | undefined {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) ? x : undefined;
}

// ISO 8601 as GeoReport v2 requires it, also with a space for the T and a +0800 offset. Without an
// offset the time is taken as China Standard Time (one time zone, no daylight saving), since
// Chinese case systems commonly write "2026-11-01 09:00:00". The result is always T-separated
// with a ±HH:MM offset or Z, which Date.parse reads the same in every engine.
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i;
function isoTime(v: unknown): string | undefined {
  const m = typeof v === 'string' ? TIME.exec(v.trim()) : null;
  if (!m) return undefined;
  const z = m[3]?.toUpperCase();
  const s = `${m[1]}T${m[2]}${!z ? '+08:00' : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z}`;
  // Date.parse rolls 2026-02-30 over into March: check the day exists.
  const ok = !Number.isNaN(Date.parse(s)) && new Date(`${m[1]}T00:00:00Z`).toISOString().startsWith(m[1]);
  return ok ? s : undefined;
}

/** Milliseconds, '' (or anything unreadable) as the earliest possible. */
function time(s: string): number {
  const t = Date.parse(s);
  return Number.isNaN(t) ? -Infinity : t;
}

const excerpt = (s: string) => JSON.stringify(s.trim().replace(/\s+/g, ' ').slice(0, 60)) + (s.trim().length > 60 ? '…' : '');

/**
 * GET every page of a GeoReport v2 requests URL: `page` (1-based) and `page_size` are set on
 * the URL (its own query, e.g. status or start_date, is kept) until a page is empty, shorter
 * than pageSize, the same as the one before (the server ignores paging), or maxPages.
 * Errors name the page URL; an abort or timeout keeps the signal's error name
 * (AbortError / TimeoutError) so callers can tell it apart.
 */
export async function fetchOpen311(url: string, opts: Open311FetchOptions = {}): Promise<Open311FetchResult> {
  const { signal, maxPages = FEED_LIMITS.pages, maxBytes = FEED_LIMITS.bytes, maxCases = FEED_LIMITS.cases, fetchFn = fetch } = opts;
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? 100)); // 0 would never make a short page
  let base: URL;
  try {
    base = new URL(url, globalThis.location?.href); // relative to the page in a browser
  } catch {
    throw new Error(`${url}: not a valid URL`);
  }
  let cases: CaseFeature[] = [];
  const skipped: Open311Skip[] = [];
  let pages = 0;
  let requests = 0;
  let cut = 0;
  let before = '';
  for (let page = 1; page <= maxPages; page++) {
    const u = new URL(base);
    u.searchParams.set('page', String(page));
    u.searchParams.set('page_size', String(pageSize));
    const at = u.href;
    requests++;
    const list = requestList(await getJson(at, signal, fetchFn, maxBytes, opts.allow), at);
    // Compare the ids only: a server that ignores paging may still change a case in between.
    const ids = JSON.stringify(list.map((e) => (isEntry(e) ? (e.service_request_id ?? null) : e)));
    const capped = (): FeedCap[] => (cut > 0 ? ['fields'] : []);
    if (!list.length || ids === before) return { cases, skipped, cutFields: cut, pages, requests, truncated: false, capped: capped() };
    before = ids;
    const r = parseOpen311(list, at);
    cut += r.cutFields;
    pages++;
    // Cases move between pages while we page (new ones push the window): merge by id.
    cases = mergeCases(cases, r.cases).cases;
    skipped.push(...r.skipped.map((s) => ({ ...s, reason: `page ${page}, ${s.reason}` })));
    if (cases.length >= maxCases) return { cases: cases.slice(0, maxCases), skipped, cutFields: cut, pages, requests, truncated: true, capped: ['cases', ...capped()] };
    if (list.length < pageSize) return { cases, skipped, cutFields: cut, pages, requests, truncated: false, capped: capped() };
  }
  return { cases, skipped, cutFields: cut, pages, requests, truncated: true, capped: ['pages', ...(cut > 0 ? ['fields' as const] : [])] };
}

async function getJson(url: string, signal: AbortSignal | undefined, fetchFn: typeof fetch, maxBytes: number, allow?: string[]): Promise<unknown> {
  let text: string;
  try {
    const res = await guardedFetch(url, { signal, headers: { Accept: 'application/json' } }, { fetchFn, allow });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    text = await readCapped(res, url, maxBytes);
  } catch (e) {
    if (e instanceof FetchRefused) throw e;
    const err = e as Error;
    if (signal?.aborted || err?.name === 'AbortError' || err?.name === 'TimeoutError') {
      const reason = (signal?.reason as Error | undefined) ?? err;
      const timedOut = reason?.name === 'TimeoutError';
      throw Object.assign(new Error(`${url}: ${timedOut ? 'timed out' : 'cancelled'}`, { cause: reason }), { name: timedOut ? 'TimeoutError' : 'AbortError' });
    }
    if (err?.message?.startsWith(url)) throw e;
    // The browser gives no detail: a CORS refusal, a CSP connect-src block and a dead server look the same.
    throw new Error(`${url}: cannot be fetched (network failure, or the server does not allow this site to read it: CORS) — ${err?.message ?? String(e)}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url}: not JSON: ${text.trim() ? `it starts with ${excerpt(text)}` : 'the body is empty'}`);
  }
}

export interface MergeResult {
  cases: CaseFeature[];
  added: number;
  updated: number;
  reopened: number;
  /** Cases of the result that are as they were in prev: added + updated + reopened + unchanged = cases.length. */
  unchanged: number;
}

/**
 * A re-poll applied to the cases held: updated in place by id, prev's order kept, new ones
 * appended. A case absent from next stays as it was (feeds page by time window). For an id in
 * both the later updated_datetime wins (equal: next), except that a closed case reopens only
 * when next says open with an updated_datetime strictly later than prev's.
 */
export function mergeCases(prev: CaseFeature[], next: CaseFeature[]): MergeResult {
  const cases = prev.slice();
  const at = new Map<string, number>();
  cases.forEach((f, i) => at.set(f.properties.service_request_id, i));
  const what = new Map<number, 'added' | 'updated' | 'reopened'>();
  for (const f of next) {
    const id = f.properties.service_request_id;
    const i = at.get(id);
    if (i === undefined) {
      at.set(id, cases.length);
      what.set(cases.length, 'added');
      cases.push(f);
      continue;
    }
    const p = cases[i].properties;
    const later = time(f.properties.updated_datetime) - time(p.updated_datetime);
    const wins = p.status === 'closed' && f.properties.status === 'open' ? later > 0 : later >= 0 || Number.isNaN(later);
    if (!wins || same(cases[i], f)) continue;
    if (!what.has(i)) what.set(i, p.status === 'closed' && f.properties.status === 'open' ? 'reopened' : 'updated');
    cases[i] = f;
  }
  const count = (k: string) => [...what.values()].filter((v) => v === k).length;
  const [added, updated, reopened] = [count('added'), count('updated'), count('reopened')];
  return { cases, added, updated, reopened, unchanged: cases.length - added - updated - reopened };
}

const KEYS: (keyof CaseProps)[] = [
  'service_request_id', 'status', 'service_name', 'service_code', 'description', 'address', 'requested_datetime',
  'updated_datetime', 'expected_datetime', 'closed_datetime', 'dispatched_datetime', 'handled_datetime',
  'supervised_datetime', 'visited_datetime', 'dispatch_level', 'satisfaction', 'lat', 'long',
];
const same = (a: CaseFeature, b: CaseFeature) => KEYS.every((k) => (a.properties[k] ?? '') === (b.properties[k] ?? ''));
