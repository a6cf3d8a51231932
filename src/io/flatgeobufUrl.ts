// FlatGeobuf from a URL: a small file is fetched whole; a large one with a spatial index is
// read only inside a bbox, through HTTP Range requests guided by its packed Hilbert R-tree.
//
// We drive flatgeobuf's HttpReader with our own RangeClient rather than calling
// deserialize(url, { rect }), because the library's client takes no AbortSignal (a stalled
// server would hang us), reports HTTP errors without the URL, and accepts a 200 to a Range
// request, which would silently misread the file from the wrong offset.
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { FetchRefused, guardedFetch } from './guardedFetch';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { HttpReader, type RangeClient } from 'flatgeobuf/lib/mjs/http-reader.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature } from 'geojson';

export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

export interface FgbUrlOptions {
  /** Area wanted, in the file's own coordinates. Only used when the file is large and indexed. */
  bbox?: BBox;
  signal?: AbortSignal;
  /** Number of features read so far (every 1000, and once at the end). */
  onProgress?: (features: number) => void;
  /** Files above this many bytes are read by bbox when they can be (default 10 MiB). */
  largeBytes?: number;
}

export interface FgbUrlHeader {
  featuresCount: number;
  indexed: boolean;
  geometryType: number;
  columns: string[];
  crs?: { org: string | null; code: number; wkt: string | null };
  envelope?: BBox;
  title?: string;
}

export interface FgbUrlResult {
  /** 'bbox': only the features whose bounding box meets opts.bbox. 'whole': every feature. */
  features: Feature[];
  header: FgbUrlHeader;
  mode: 'bbox' | 'whole';
  /** Why the read was not what was asked for (i18n key import.url.<note>). */
  notes: ('no_range' | 'no_index')[];
  /** File size, where the server told it. */
  size?: number;
  /** Response body bytes received, all requests together. */
  bytesRead: number;
  requests: number;
}

// The first request asks for this much: it covers the magic bytes, the header and the top
// levels of the index that HttpReader reads first (2024 + 40*(1+16+256) = 12944 bytes).
const PROBE_BYTES = 16 * 1024;
const MAGIC = [0x66, 0x67, 0x62, 0x03]; // "fgb" + major version 3

export async function readFlatGeobufUrl(url: string, opts: FgbUrlOptions = {}): Promise<FgbUrlResult> {
  const { bbox, signal, onProgress, largeBytes = 10 * 1024 * 1024 } = opts;
  const net = new Net(url, signal);
  const notes: FgbUrlResult['notes'] = [];
  const done = (r: Omit<FgbUrlResult, 'notes' | 'bytesRead' | 'requests'>): FgbUrlResult => {
    onProgress?.(r.features.length);
    return { ...r, notes, bytesRead: net.bytesRead, requests: net.requests };
  };

  // One Range request learns at once: Range support, the size (Content-Range), the magic
  // bytes and the header. (A HEAD first would cost a round trip, and presigned URLs often
  // refuse HEAD.)
  const probe = await net.get(0, PROBE_BYTES, true);
  checkMagic(url, probe.bytes);
  if (probe.status === 200) {
    // The server ignored Range and is sending the whole file: keep it rather than ask again.
    if (bbox && probe.bytes.length > largeBytes)
      notes.push('no_range'); // the server answered 200, not 206: the whole file came
    return done({ ...(await parseWhole(url, probe.bytes, signal, onProgress)), mode: 'whole', size: probe.bytes.length });
  }
  // No Content-Range (cross-origin without Access-Control-Expose-Headers): ask HEAD, only
  // where the size decides something.
  const size = probe.size ?? (bbox ? await net.headSize() : undefined);
  // A 206 shorter than asked for ends at the end of the file: the probe holds it all.
  if ((size !== undefined && probe.bytes.length >= size) || probe.bytes.length < PROBE_BYTES)
    return done({ ...(await parseWhole(url, probe.bytes, signal, onProgress)), mode: 'whole', size });

  // An unknown size counts as large: better a few range requests than an unbounded download.
  if (bbox && (size === undefined || size > largeBytes)) {
    let reader: HttpReader | undefined;
    try {
      reader = await HttpReader.openSource(net.rangeClient(probe.bytes));
    } catch (e) {
      // HttpReader refuses files without an index with this message (flatgeobuf 4.5).
      if (!/no index/i.test((e as Error).message)) throw wrap(url, e);
      notes.push('no_index'); // large, but without a spatial index: read whole
    }
    if (reader) {
      const features: Feature[] = [];
      const [minX, minY, maxX, maxY] = bbox;
      try {
        for await (const { id, feature } of reader.selectBbox({ minX, minY, maxX, maxY })) {
          signal?.throwIfAborted();
          features.push(fromFeature(id, feature, reader.header) as Feature);
          if (features.length % 1000 === 0) onProgress?.(features.length);
        }
      } catch (e) {
        throw wrap(url, e);
      }
      return done({ features, header: toHeader(reader.header), mode: 'bbox', size });
    }
  }
  const whole = await net.get(0, Infinity, false);
  checkMagic(url, whole.bytes);
  return done({ ...(await parseWhole(url, whole.bytes, signal, onProgress)), mode: 'whole', size: size ?? whole.bytes.length });
}

async function parseWhole(url: string, bytes: Uint8Array, signal?: AbortSignal, onProgress?: (n: number) => void) {
  const features: Feature[] = [];
  let meta: HeaderMeta | undefined;
  try {
    for await (const f of deserialize(bytes, { headerMetaFn: (h) => (meta = h) })) {
      features.push(f as Feature);
      if (features.length % 1000 === 0) {
        signal?.throwIfAborted();
        onProgress?.(features.length);
      }
    }
  } catch (e) {
    throw wrap(url, e);
  }
  if (!meta) throw new Error(`${url}: cannot read the FlatGeobuf header`);
  return { features, header: toHeader(meta) };
}

function toHeader(h: HeaderMeta): FgbUrlHeader {
  const e = h.envelope;
  return {
    featuresCount: h.featuresCount,
    indexed: h.indexNodeSize > 0,
    geometryType: h.geometryType,
    columns: (h.columns ?? []).map((c) => c.name),
    ...(h.crs && { crs: { org: h.crs.org, code: h.crs.code, wkt: h.crs.wkt } }),
    ...(e && e.length >= 4 && { envelope: [e[0], e[1], e[2], e[3]] as BBox }),
    ...(h.title && { title: h.title }),
  };
}

function checkMagic(url: string, bytes: Uint8Array) {
  if (MAGIC.every((b, i) => bytes[i] === b)) return;
  const start = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  const what = bytes.length === 0 ? 'the server sent an empty file'
    : start.startsWith('<') ? 'the server sent an HTML/XML page (a wrong address, or a login or error page)'
    : `it starts with bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not "fgb" 03`;
  throw new Error(`${url}: not a FlatGeobuf file (${what})`);
}

function wrap(url: string, e: unknown): unknown {
  const err = e as Error;
  // Aborts and our own messages pass unchanged, so callers can tell an abort apart.
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError' || err?.message?.startsWith(url)) return e;
  return new Error(`${url}: cannot read the FlatGeobuf file (${err?.message ?? String(e)})`, { cause: e });
}

/** fetch with the signal, URL-naming errors, and a tally of requests and bytes. */
class Net {
  requests = 0;
  bytesRead = 0;
  constructor(
    readonly url: string,
    readonly signal?: AbortSignal,
  ) {}

  private async fetch(init: RequestInit): Promise<Response> {
    this.requests++;
    try {
      return await guardedFetch(this.url, { ...init, signal: this.signal });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError' || e instanceof FetchRefused) throw e;
      // The browser gives no detail here: a CORS refusal and a dead server look the same.
      throw new Error(`${this.url}: cannot be fetched (network failure, or the server does not allow this site to read it: CORS) — ${(e as Error).message}`, { cause: e });
    }
  }

  /** Bytes [begin, begin+length); length Infinity = a plain GET. allow200: accept a whole-file answer. */
  async get(begin: number, length: number, allow200: boolean) {
    const ranged = Number.isFinite(length);
    const res = await this.fetch(ranged ? { headers: { Range: `bytes=${begin}-${begin + length - 1}` } } : {});
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`${this.url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    if (ranged && res.status !== 206 && !allow200) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`${this.url}: the server stopped honouring Range requests (HTTP ${res.status}, expected 206)`);
    }
    // Content-Range is readable cross-origin only where the server lists it in
    // Access-Control-Expose-Headers; headSize() covers the other case.
    const cr = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('Content-Range') ?? '');
    if (res.status === 206 && cr && Number(cr[1]) !== begin)
      throw new Error(`${this.url}: the server sent bytes from ${cr[1]}, ${begin} was asked for`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    this.bytesRead += bytes.length;
    return { status: res.status, bytes, size: cr && cr[2] !== '*' ? Number(cr[2]) : undefined };
  }

  async headSize(): Promise<number | undefined> {
    const res = await this.fetch({ method: 'HEAD' }).catch(() => undefined);
    const n = Number(res?.ok && res.headers.get('Content-Length'));
    return n > 0 ? n : undefined;
  }

  /** For HttpReader: ranges inside the probe come from it, the rest from the server (206 only). */
  rangeClient(probe: Uint8Array): RangeClient {
    return {
      getRange: async (begin, length) => {
        if (begin + length <= probe.length) return probe.slice(begin, begin + length).buffer;
        return (await this.get(begin, length, false)).bytes.buffer as ArrayBuffer;
      },
    };
  }
}
