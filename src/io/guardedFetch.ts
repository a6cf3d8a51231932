// Every request the console makes goes through here: only to its own origin and the origins
// named at build time (GRIDSCOPE_CONNECT_SRC), never following a redirect, and reading no
// more of an answer than a set number of bytes. The page's Content-Security-Policy says the
// same, but a module worker does not inherit a <meta> policy, and a page served as plain
// static files sends no header: the rule has to hold in code as well.

declare const __GRIDSCOPE_CONNECT__: string[] | undefined;

/** The origins named at build time (vite define), none elsewhere (the CLI, the unit tests). */
export const CONFIGURED_ORIGINS: string[] = typeof __GRIDSCOPE_CONNECT__ !== 'undefined' ? __GRIDSCOPE_CONNECT__ : [];

export class FetchRefused extends Error {
  constructor(message: string) { super(message); this.name = 'FetchRefused'; }
}

export interface GuardOptions {
  /** origins allowed besides the page's own; default CONFIGURED_ORIGINS */
  allow?: string[];
  /** refuse an answer longer than this (bytes, counted as it streams in) */
  maxBytes?: number;
  /** the fetch to use (tests) */
  fetchFn?: typeof fetch;
}

/** The page's origin in a browser or worker; null in Node (the CLI checks what it is told to). */
function ownOrigin(): string | null {
  const l = (globalThis as { location?: { origin?: string } }).location;
  return l?.origin && l.origin !== 'null' ? l.origin : null;
}

/** Throws unless the URL is on the page's own origin or one allowed. */
export function checkOrigin(url: string, allow = CONFIGURED_ORIGINS): URL {
  const own = ownOrigin();
  const u = new URL(url, own ?? undefined);
  if (!/^https?:$/.test(u.protocol)) throw new FetchRefused(`${url}: only http(s) addresses can be read`);
  if (own && u.origin !== own && !allow.includes(u.origin)) {
    throw new FetchRefused(`${url}: ${u.origin} is not an origin this console may read from (allowed: ${[own, ...allow].join(', ')}; a deployment names more in GRIDSCOPE_CONNECT_SRC)`);
  }
  return u;
}

/** fetch, with the origin checked and redirects refused. */
export async function guardedFetch(url: string, init: RequestInit = {}, opts: GuardOptions = {}): Promise<Response> {
  const u = checkOrigin(url, opts.allow);
  const res = await (opts.fetchFn ?? fetch)(u.href, { ...init, redirect: 'manual', credentials: 'same-origin' });
  // A browser answers a redirect it may not follow with an opaque one; Node with the 3xx.
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
    await res.body?.cancel().catch(() => {});
    throw new FetchRefused(`${url}: the server redirects (HTTP ${res.status || 'redirect'}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}); redirects are not followed`);
  }
  return res;
}

/** The answer's text, refused past maxBytes (read as a stream: a 300 MB answer is not held). */
export async function readCapped(res: Response, url: string, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new FetchRefused(`${url}: the answer is ${Math.round(declared / 2 ** 20)} MB, more than the ${Math.round(maxBytes / 2 ** 20)} MB allowed`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FetchRefused(`${url}: the answer goes on past ${Math.round(maxBytes / 2 ** 20)} MB: refused`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  return new TextDecoder().decode(all);
}
