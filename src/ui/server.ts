// The page on an office server: whether it is served by one (a <meta> the server puts into
// index.html: no request is made to find out, so the standalone console asks nothing), and
// the small JSON helpers every call to its API goes through (the page's and the district
// worker's): same-origin cookies, a refusal { code, values } thrown as a ServerError.
import type { DistrictInfo, Me, NewUser, PlanComment, PlanDetail, PlanInfo, PublishedInfo, Refusal, User } from '../server/api';

/** Whether this page was served by the office server (it marks index.html so). */
export function isServerMode(doc: Pick<Document, 'querySelector'> | undefined = typeof document === 'undefined' ? undefined : document): boolean {
  return doc?.querySelector('meta[name="gridscope-server"]')?.getAttribute('content') === '1';
}

/** A call the server refused (status and its { code, values }), or could not be made (status 0, 'server_unreachable'). */
export class ServerError extends Error {
  constructor(readonly status: number, readonly code: string, readonly values: Record<string, string | number> = {}) {
    super(`${status} ${code} ${JSON.stringify(values)}`);
    this.name = 'ServerError';
  }
}

export interface CallOptions {
  /** where the API lives ('' on the page: its own origin; a full origin in Node tests) */
  base?: string;
  method?: string;
  /** sent as JSON, unless it is bytes (sent as they are, with `type`) */
  body?: unknown;
  type?: string;
  signal?: AbortSignal;
}

/** One call to the API: its JSON answer (or the response, for `raw`), or a ServerError. */
export async function call<T>(path: string, o: CallOptions = {}): Promise<T> {
  const res = await send(path, o);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** The response itself (a file), or a ServerError. */
export async function send(path: string, o: CallOptions = {}): Promise<Response> {
  const bytes = o.body instanceof Uint8Array;
  let res: Response;
  try {
    res = await fetch(`${o.base ?? ''}${path}`, {
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: o.body === undefined ? {} : { 'Content-Type': bytes ? o.type ?? 'application/octet-stream' : 'application/json' },
      body: o.body === undefined ? undefined : bytes ? (o.body as Uint8Array as BodyInit) : JSON.stringify(o.body),
      signal: o.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ServerError(0, 'server_unreachable');
  }
  if (res.ok) return res;
  throw await refusalOf(res);
}

/** A refused answer as a ServerError: its { code, values }, or what its status says (a proxy's 502 has no JSON). */
async function refusalOf(res: Response): Promise<ServerError> {
  if (res.status >= 500) return new ServerError(res.status, 'server_unreachable');
  let r: Partial<Refusal> = {};
  try { r = (await res.json()) as Partial<Refusal>; } catch { /* no JSON: said by the status */ }
  const code = typeof r.code === 'string' && /^[a-z_]{1,40}$/.test(r.code) ? r.code : res.status === 401 ? 'not_logged_in' : 'server_refused';
  const values = r.values && typeof r.values === 'object' ? r.values : {};
  return new ServerError(res.status, code, { status: res.status, ...values });
}

/** Who is logged in, or null (401). */
export async function whoAmI(): Promise<Me | null> {
  try {
    return await call<Me>('/api/me');
  } catch (e) {
    if (e instanceof ServerError && e.status === 401) return null;
    throw e;
  }
}

export const login = (name: string, password: string) => call<Me>('/api/login', { body: { name, password } });
export const logout = () => call<unknown>('/api/logout', { method: 'POST' });
export const listDistricts = () => call<DistrictInfo[]>('/api/districts');
/** A .gridscope file as a new district on the server (admin). */
export const uploadDistrict = (bytes: Uint8Array) => call<DistrictInfo>('/api/districts', { body: bytes, type: 'application/zip' });
export const listUsers = () => call<User[]>('/api/users');
export const addUser = (u: NewUser) => call<User>('/api/users', { body: u });
export const changeUser = (name: string, change: Partial<NewUser> & { disabled?: boolean }) => call<User>(`/api/users/${encodeURIComponent(name)}`, { method: 'PATCH', body: change });

// From draft to published plan (the plan routes of src/server/api.ts).
const plans = (district: string, rest = '') => `/api/districts/${encodeURIComponent(district)}/plans${rest}`;
export const listPlans = (district: string) => call<PlanInfo[]>(plans(district));
export const getPlan = (district: string, plan: number) => call<PlanDetail>(plans(district, `/${plan}`));
/** The draft's changes (in the caller's scope) submitted for review against the published plan. */
export const submitPlan = (district: string, body: { note: string; effective: string }) => call<PlanInfo>(plans(district), { body });
/** A returned or stale plan brought up to date: the draft's changes now, against the published plan now. */
export const resubmitPlan = (district: string, plan: number, body: { note?: string; effective?: string }) => call<PlanInfo>(plans(district, `/${plan}/resubmit`), { body });
export const commentPlan = (district: string, plan: number, body: { text: string; grid?: string; lonLat?: [number, number] }) => call<PlanComment>(plans(district, `/${plan}/comments`), { body });
export const returnPlan = (district: string, plan: number, reason: string) => call<PlanInfo>(plans(district, `/${plan}/return`), { body: { reason } });
export const withdrawPlan = (district: string, plan: number) => call<PlanInfo>(plans(district, `/${plan}/withdraw`), { method: 'POST' });
/** `confirm`: the reviewer has seen the new gaps or overlaps and approves anyway. */
export const approvePlan = (district: string, plan: number, confirm = false) => call<PublishedInfo>(plans(district, `/${plan}/approve`), { body: confirm ? { confirm: true } : {} });
export const listPublished = (district: string) => call<PublishedInfo[]>(`/api/districts/${encodeURIComponent(district)}/published`);

/** A scope typed as "310101001, 310101001002": the codes, without blanks or repeats. */
export function parseScope(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean))];
}
