// Cases as columns. CaseColumns is what is kept (in the worker, and in a workspace in
// IndexedDB): categories as indices, the closed-loop times as numbers, positions in a typed
// array — 400,000 cases reopen without making 400,000 objects. The CaseTable the page holds
// adds what depends on the grids and the clock: each case's grid, deadline and status.
import { GridLocator } from '../checks/locate';
import type { CaseTable } from '../domain/district';
import type { CaseFeature, CaseProps, DispatchLevel, GridFeature, Satisfaction } from '../domain/types';
import { CaseStatus, DISPATCH_LEVELS, SATISFACTION, caseStatus, deadlineOf, parseTime } from '../domain/cases';
import { mergeCases } from '../io/open311';
import { PartError } from '../io/fileError';

/** The times of a case, in this order, each a column of `times` (column-major: zero-copy views). */
export const CASE_TIMES = ['requested', 'dispatched', 'handled', 'supervised', 'closed', 'visited', 'updated', 'expected'] as const;
const PROP_OF_TIME = {
  requested: 'requested_datetime', dispatched: 'dispatched_datetime', handled: 'handled_datetime', supervised: 'supervised_datetime',
  closed: 'closed_datetime', visited: 'visited_datetime', updated: 'updated_datetime', expected: 'expected_datetime',
} as const satisfies Record<(typeof CASE_TIMES)[number], keyof CaseProps>;

export interface CaseColumns {
  count: number;
  ids: string[];
  /** index into categoryNames / categoryCodes (service_name / service_code) */
  category: Uint16Array;
  categoryNames: string[];
  categoryCodes: string[];
  addresses: string[];
  descriptions: string[];
  open: Uint8Array;
  /** index into DISPATCH_LEVELS / SATISFACTION, 255 = none */
  level: Uint8Array;
  satisfaction: Uint8Array;
  positions: Float64Array;
  /** CASE_TIMES.length × count epoch ms, NaN = none: times[k * count + i] */
  times: Float64Array;
}

export function caseColumns(fs: CaseFeature[]): CaseColumns {
  const n = fs.length;
  const c: CaseColumns = {
    count: n, ids: new Array(n), category: new Uint16Array(n), categoryNames: [], categoryCodes: [],
    addresses: new Array(n), descriptions: new Array(n), open: new Uint8Array(n), level: new Uint8Array(n),
    satisfaction: new Uint8Array(n), positions: new Float64Array(2 * n), times: new Float64Array(CASE_TIMES.length * n),
  };
  const categoryIndex = new Map<string, number>();
  fs.forEach((f, i) => {
    const p = f.properties;
    const name = String(p.service_name ?? '');
    let k = categoryIndex.get(name);
    if (k === undefined) {
      k = c.categoryNames.length;
      categoryIndex.set(name, k);
      c.categoryNames.push(name);
      c.categoryCodes.push(String(p.service_code ?? ''));
    }
    c.ids[i] = String(p.service_request_id);
    c.category[i] = k;
    c.addresses[i] = String(p.address ?? '');
    c.descriptions[i] = String(p.description ?? '');
    c.open[i] = p.status === 'closed' ? 0 : 1;
    const lvl = DISPATCH_LEVELS.indexOf(p.dispatch_level);
    c.level[i] = lvl >= 0 ? lvl : 255;
    const sat = SATISFACTION.indexOf(p.satisfaction as (typeof SATISFACTION)[number]);
    c.satisfaction[i] = sat >= 0 ? sat : 255;
    const xy = f.geometry?.coordinates;
    c.positions[2 * i] = xy ? xy[0] : Number(p.long);
    c.positions[2 * i + 1] = xy ? xy[1] : Number(p.lat);
    CASE_TIMES.forEach((t, k) => { c.times[k * n + i] = parseTime(p[PROP_OF_TIME[t]]); });
  });
  return c;
}

/** Columns as plain JSON (a workspace file): typed arrays as arrays, NaN as null. */
export function caseColumnsToJSON(c: CaseColumns): string {
  const plain = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return JSON.stringify({ ...c, category: plain(c.category), open: plain(c.open), level: plain(c.level), satisfaction: plain(c.satisfaction), positions: plain(c.positions), times: plain(c.times) });
}

/**
 * Columns back from caseColumnsToJSON; throws a PartError naming the column and what is wrong
 * when a value is not of the type the format says or the columns do not add up.
 */
export function caseColumnsFromJSON(json: string, part = 'cases'): CaseColumns {
  let o: Record<string, unknown>;
  try { o = JSON.parse(json); } catch { throw new PartError('ws_part_json', { part }); }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new PartError('ws_part_json', { part });
  const n = o.count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new PartError('ws_col_value', { part, column: 'count', at: 0 });
  const list = (k: string, len: number | null, ok: (v: unknown) => boolean) => {
    const a = o[k];
    if (!Array.isArray(a)) throw new PartError('ws_col_missing', { part, column: k });
    if (len !== null && a.length !== len) throw new PartError('ws_col_length', { part, column: k, n: a.length, expected: len });
    for (let i = 0; i < a.length; i++) if (!ok(a[i])) throw new PartError('ws_col_value', { part, column: k, at: i });
    return a;
  };
  const text = (v: unknown) => typeof v === 'string';
  const num = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  const nums = (k: string, len: number) => list(k, len, num).map((v) => (v === null ? NaN : (v as number)));
  const categoryNames = list('categoryNames', null, text) as string[];
  const c: CaseColumns = {
    count: n, ids: list('ids', n, text) as string[], categoryNames, categoryCodes: list('categoryCodes', categoryNames.length, text) as string[],
    addresses: list('addresses', n, text) as string[], descriptions: list('descriptions', n, text) as string[],
    category: Uint16Array.from(nums('category', n)), open: Uint8Array.from(nums('open', n)), level: Uint8Array.from(nums('level', n)),
    satisfaction: Uint8Array.from(nums('satisfaction', n)), positions: Float64Array.from(nums('positions', 2 * n)),
    times: Float64Array.from(nums('times', CASE_TIMES.length * n)),
  };
  checkCaseColumns(c, part, (k) => o[k] as number[]);
  return c;
}

/**
 * Throws a PartError unless the cases' columns add up: typed arrays of the right kind and
 * length, each category an index into the names, open 0 or 1, a level and a satisfaction one of
 * those there are (255: none). `raw` gives the values before they were put in typed arrays (a
 * file's: 70000 must not pass as the 4464 a Uint16Array makes of it).
 */
export function checkCaseColumns(c: CaseColumns, part: string, raw: (column: string) => ArrayLike<number> = (k) => c[k as keyof CaseColumns] as ArrayLike<number>): void {
  const n = c.count;
  const typed: [keyof CaseColumns, new (...a: never[]) => ArrayLike<number>, number][] = [
    ['category', Uint16Array, n], ['open', Uint8Array, n], ['level', Uint8Array, n], ['satisfaction', Uint8Array, n],
    ['positions', Float64Array, 2 * n], ['times', Float64Array, CASE_TIMES.length * n],
  ];
  for (const [k, T, len] of typed) {
    if (!(c[k] instanceof T)) throw new PartError('ws_col_missing', { part, column: k });
    if ((c[k] as ArrayLike<number>).length !== len) throw new PartError('ws_col_length', { part, column: k, n: (c[k] as ArrayLike<number>).length, expected: len });
  }
  for (const k of ['categoryNames', 'categoryCodes'] as const) {
    if (!Array.isArray(c[k]) || c[k].some((v) => typeof v !== 'string')) throw new PartError('ws_col_missing', { part, column: k });
  }
  if (c.categoryCodes.length !== c.categoryNames.length) throw new PartError('ws_col_length', { part, column: 'categoryCodes', n: c.categoryCodes.length, expected: c.categoryNames.length });
  const index = (column: string, limit: number, none?: number) => {
    const a = raw(column);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (!Number.isInteger(v) || v < 0 || (v >= limit && v !== none)) throw new PartError('ws_case_index', { part, column, at: i, value: String(v), limit });
    }
  };
  index('category', c.categoryNames.length);
  index('open', 2);
  index('level', DISPATCH_LEVELS.length, 255);
  index('satisfaction', SATISFACTION.length, 255);
}

/** Case i as an Open311 feature again (to merge a feed's answer into, to export). */
export function caseFeature(c: CaseColumns, i: number): CaseFeature {
  const iso = (k: number) => { const v = c.times[k * c.count + i]; return Number.isFinite(v) ? new Date(v).toISOString() : ''; };
  const props = {
    service_request_id: c.ids[i], status: c.open[i] ? 'open' : 'closed', service_name: c.categoryNames[c.category[i]],
    service_code: c.categoryCodes[c.category[i]], description: c.descriptions[i], address: c.addresses[i],
    dispatch_level: (DISPATCH_LEVELS[c.level[i]] ?? '') as DispatchLevel, satisfaction: (SATISFACTION[c.satisfaction[i]] ?? '') as Satisfaction,
    long: c.positions[2 * i], lat: c.positions[2 * i + 1],
  } as CaseProps;
  CASE_TIMES.forEach((t, k) => { (props as unknown as Record<string, string>)[PROP_OF_TIME[t]] = iso(k); });
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [c.positions[2 * i], c.positions[2 * i + 1]] }, properties: props };
}

/**
 * A feed's answer merged into the cases held (Open311 mergeCases rules: by id, later update
 * wins, closed stays closed unless reopened). Only the cases the answer names are made into
 * features: a poll of a few hundred cases into 400,000 costs what the few hundred cost.
 */
export function mergeIntoColumns(c: CaseColumns, incoming: CaseFeature[]) {
  const at = new Map<string, number>();
  c.ids.forEach((id, i) => at.set(id, i));
  const touched = [...new Set(incoming.map((f) => at.get(f.properties.service_request_id)).filter((i): i is number => i !== undefined))];
  const merged = mergeCases(touched.map((i) => caseFeature(c, i)), incoming);
  // merged.cases: the touched cases in order (updated or not), then the new ones.
  const fresh = caseColumns(merged.cases);
  const rows = fresh.ids.map((id) => at.get(id) ?? -1);
  const added = rows.filter((r) => r < 0).length;
  const out = appendRows(c, added);
  let next = c.count;
  rows.forEach((r, k) => copyRow(fresh, k, out, r >= 0 ? r : next++));
  return { columns: out, added: merged.added, updated: merged.updated, reopened: merged.reopened };
}

/** A copy of c with room for `extra` more cases at the end. */
function appendRows(c: CaseColumns, extra: number): CaseColumns {
  const n = c.count + extra;
  const grow = <T extends Uint8Array | Uint16Array | Float64Array>(a: T, per = 1): T => { const b = new (a.constructor as new (n: number) => T)(n * per); b.set(a); return b; };
  const times = new Float64Array(CASE_TIMES.length * n).fill(NaN);
  CASE_TIMES.forEach((_, k) => times.set(c.times.subarray(k * c.count, (k + 1) * c.count), k * n));
  return {
    count: n, ids: [...c.ids], category: grow(c.category), categoryNames: [...c.categoryNames], categoryCodes: [...c.categoryCodes],
    addresses: [...c.addresses], descriptions: [...c.descriptions], open: grow(c.open), level: grow(c.level),
    satisfaction: grow(c.satisfaction), positions: grow(c.positions, 2), times,
  };
}

function copyRow(from: CaseColumns, i: number, to: CaseColumns, j: number) {
  const name = from.categoryNames[from.category[i]];
  let k = to.categoryNames.indexOf(name);
  if (k < 0) { k = to.categoryNames.push(name) - 1; to.categoryCodes.push(from.categoryCodes[from.category[i]]); }
  to.ids[j] = from.ids[i];
  to.category[j] = k;
  to.addresses[j] = from.addresses[i];
  to.descriptions[j] = from.descriptions[i];
  to.open[j] = from.open[i];
  to.level[j] = from.level[i];
  to.satisfaction[j] = from.satisfaction[i];
  to.positions[2 * j] = from.positions[2 * i];
  to.positions[2 * j + 1] = from.positions[2 * i + 1];
  CASE_TIMES.forEach((_, k) => { to.times[k * to.count + j] = from.times[k * from.count + i]; });
}

/** The page's case table: the columns, plus each case's grid, deadline and status at `nowMs`. */
export function buildCaseTable(c: CaseColumns, locator: GridLocator, nowMs: number, limits?: Record<string, number>): CaseTable {
  const n = c.count;
  const time = (name: (typeof CASE_TIMES)[number]) => { const k = CASE_TIMES.indexOf(name); return c.times.slice(k * n, (k + 1) * n); };
  const t: CaseTable = {
    count: n, ids: c.ids, category: c.category.slice(), categoryNames: c.categoryNames, addresses: c.addresses, descriptions: c.descriptions,
    status: new Uint8Array(n), open: c.open.slice(), level: c.level.slice(), satisfaction: c.satisfaction.slice(), positions: c.positions.slice(),
    requested: time('requested'), dispatched: time('dispatched'), handled: time('handled'), supervised: time('supervised'),
    closed: time('closed'), visited: time('visited'), updated: time('updated'),
    deadline: new Float64Array(n), deadlineFromLimit: new Uint8Array(n), grid: new Int32Array(n), asOf: nowMs,
  };
  // The deadline rule per category once, not per case: expected_datetime, else the limit.
  const expected = time('expected');
  const limitMs = c.categoryNames.map((name, k) => deadlineOf(NaN, 0, c.categoryCodes[k], name, limits).ms);
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(expected[i])) { t.deadline[i] = expected[i]; continue; }
    const lim = limitMs[c.category[i]];
    t.deadline[i] = Number.isFinite(lim) ? t.requested[i] + lim : NaN;
    t.deadlineFromLimit[i] = Number.isFinite(t.deadline[i]) ? 1 : 0;
  }
  restatus(t, nowMs);
  t.grid = locator.locateAll(t.positions);
  return t;
}

/** Works the statuses out again for another time (the clock moved on): cases turn overdue. */
export function restatus(t: CaseTable, nowMs: number): void {
  for (let i = 0; i < t.count; i++) t.status[i] = caseStatus(t.open[i] === 1, t.deadline[i], nowMs);
  t.asOf = nowMs;
}

/** The typed arrays of a case table, for transfer between threads without copying. */
export function caseBuffers(t: CaseTable): ArrayBuffer[] {
  return [
    t.category, t.status, t.open, t.level, t.satisfaction, t.positions, t.requested, t.dispatched, t.handled,
    t.supervised, t.closed, t.visited, t.updated, t.deadline, t.deadlineFromLimit, t.grid,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** Open and overdue cases per grid (the per-grid totals the console shows). */
export function openByGrid(t: CaseTable, nGrids: number): { open: Int32Array; overdue: Int32Array } {
  const open = new Int32Array(nGrids);
  const overdue = new Int32Array(nGrids);
  for (let i = 0; i < t.count; i++) {
    const g = t.grid[i];
    if (g < 0 || t.status[i] === CaseStatus.closed) continue;
    open[g]++;
    if (t.status[i] === CaseStatus.overdue) overdue[g]++;
  }
  return { open, overdue };
}

/** The case table at a time, and the per-grid counts the console shows from it. */
export function casesAt(c: CaseColumns, grids: GridFeature[], nowMs: number, limits?: Record<string, number>) {
  const cases = buildCaseTable(c, new GridLocator(grids), nowMs, limits);
  const { open, overdue } = openByGrid(cases, grids.length);
  return { cases, openCases: open, overdueCases: overdue };
}

/** The buffers of casesAt's result, for transfer without copying. */
export function casesAtBuffers(u: ReturnType<typeof casesAt>): ArrayBuffer[] {
  return [...caseBuffers(u.cases), u.openCases.buffer as ArrayBuffer, u.overdueCases.buffer as ArrayBuffer];
}
