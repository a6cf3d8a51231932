// readFlatGeobufUrl against a local HTTP server serving the fixtures made by
// scripts/fixtures/make-fgb-indexed.sh (see tests/fixtures/fgb-url/README.md).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Feature } from 'geojson';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { readFlatGeobufUrl, type BBox } from '../../src/io/flatgeobufUrl';

const dir = 'tests/fixtures/fgb-url';
const files: Record<string, Buffer> = {
  'lattice.fgb': readFileSync(`${dir}/lattice.fgb`),
  'lattice-noindex.fgb': readFileSync(`${dir}/lattice-noindex.fgb`),
  'archive.zip': readFileSync('tests/fixtures/shapefile/gbk-no-cpg.zip'),
  'page.fgb': Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'),
};
const size = files['lattice.fgb'].length;

// Routes: /range/<file> honours Range (206); /norange/<file> ignores it (200, whole file);
// /nocr/<file> honours Range but sends no Content-Range (as cross-origin without
// Access-Control-Expose-Headers looks); /hang never answers; anything else is 404.
const sent = { requests: 0, bytes: 0, ranges: [] as string[] };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    sent.requests++;
    const [, route, name] = /^\/([^/]+)\/?(.*)$/.exec(req.url ?? '') ?? [];
    if (route === 'hang') return; // never answered: only the caller's signal ends it
    const body = files[name];
    if (!body || !['range', 'norange', 'nocr'].includes(route)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (route === 'norange' || !m) {
      res.writeHead(200, { 'Content-Length': body.length });
      if (req.method !== 'HEAD') (sent.bytes += body.length), res.end(body);
      else res.end();
      return;
    }
    const a = Number(m[1]);
    const b = Math.min(Number(m[2]), body.length - 1); // a range past the end is cut at the end
    sent.ranges.push(`${a}-${b}`);
    const chunk = body.subarray(a, b + 1);
    res.writeHead(206, {
      'Accept-Ranges': 'bytes',
      'Content-Length': chunk.length,
      ...(route === 'range' && { 'Content-Range': `bytes ${a}-${b}/${body.length}` }),
    });
    sent.bytes += chunk.length;
    res.end(chunk);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // flatgeobuf's HttpReader logs every request with console.debug.
  vi.spyOn(console, 'debug').mockImplementation(() => {});
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  vi.restoreAllMocks();
});
beforeEach(() => Object.assign(sent, { requests: 0, bytes: 0, ranges: [] }));

// The reference: every feature of the file read sequentially (no index, no HTTP), filtered by
// bounding box the way the R-tree search does (closed intervals).
const all = await readFlatGeobuf(new Uint8Array(files['lattice.fgb']));
function box(f: Feature): BBox {
  const xy = (f.geometry as GeoJSON.Polygon).coordinates[0];
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
const ids = (fs: Feature[]) => fs.map((f) => f.properties?.id as number).sort((a, b) => a - b);
const bruteForce = ([x0, y0, x1, y1]: BBox) =>
  ids(all.filter((f) => { const [a, b, c, d] = box(f); return a <= x1 && c >= x0 && b <= y1 && d >= y0; }));

// The queries of tests/fixtures/fgb-url/README.md with their expected counts.
const queries: [string, BBox, number][] = [
  ['5 x 5 buildings', [119.1049, 36.7099, 119.1074, 36.7124], 25],
  ['30 x 30 buildings', [119.0999, 36.6999, 119.1149, 36.7149], 900],
  ['a point inside building (40, 40)', [119.12015, 36.72015, 119.12015, 36.72015], 1],
  ['beside the lattice', [119.2, 36.8, 119.3, 36.9], 0],
  ['the whole lattice', [119, 36, 120, 37], 8100],
];

describe('readFlatGeobufUrl', () => {
  it('the fixture is what its README says', () => {
    expect(all).toHaveLength(8100);
    expect(all[0].properties?.address).toMatch(/^奎文区.+街\d+号\d+栋$/);
  });

  it.each(queries)('bbox mode: %s gives exactly the features whose bbox meets it', async (_, bbox, count) => {
    const r = await readFlatGeobufUrl(`${base}/range/lattice.fgb`, { bbox, largeBytes: 0 });
    expect(r.mode).toBe('bbox');
    expect(r.notes).toEqual([]);
    expect(r.size).toBe(size);
    expect(r.header).toMatchObject({ featuresCount: 8100, indexed: true, columns: ['id', 'address'] });
    expect(r.header.crs?.code).toBe(4326);
    expect(ids(r.features)).toEqual(bruteForce(bbox));
    expect(r.features).toHaveLength(count);
    // What the reader counted is what the server sent.
    expect(r.bytesRead).toBe(sent.bytes);
    expect(r.requests).toBe(sent.requests);
  });

  it('a small bbox costs a small part of the file', async () => {
    const one = await readFlatGeobufUrl(`${base}/range/lattice.fgb`, { bbox: queries[2][1], largeBytes: 0 });
    expect(one.features.map((f) => f.properties)).toEqual([{ id: 3640, address: '奎文区胜利街41号41栋' }]);
    expect(sent.bytes).toBeLessThan(size * 0.05); // one building: header, 3 index levels, 1 feature
    Object.assign(sent, { requests: 0, bytes: 0, ranges: [] });

    const progress: number[] = [];
    const r = await readFlatGeobufUrl(`${base}/range/lattice.fgb`, {
      bbox: queries[0][1], largeBytes: 0, onProgress: (n) => progress.push(n),
    });
    expect(r.features).toHaveLength(25);
    expect(sent.bytes).toBeLessThan(size * 0.25);
    expect(progress.at(-1)).toBe(25);
    console.info(`5x5 bbox: ${sent.requests} requests, ${sent.bytes} of ${size} bytes (${sent.ranges.join(', ')})`);
  });

  it('reads a file under largeBytes whole, bbox or not', async () => {
    const r = await readFlatGeobufUrl(`${base}/range/lattice.fgb`, { bbox: queries[0][1] });
    expect(r.mode).toBe('whole');
    expect(r.features).toHaveLength(8100);
    expect(ids(r.features)).toEqual(ids(all));
    expect(r.notes).toEqual([]);
  });

  it('a large file without an index is read whole, with a note', async () => {
    const r = await readFlatGeobufUrl(`${base}/range/lattice-noindex.fgb`, { bbox: queries[0][1], largeBytes: 0 });
    expect(r.mode).toBe('whole');
    expect(r.header).toMatchObject({ indexed: false, featuresCount: 1800 });
    expect(r.features).toHaveLength(1800);
    expect(r.notes).toEqual(['no_index']);
  });

  it('a server that ignores Range: the whole file, from the one request, with a note', async () => {
    const r = await readFlatGeobufUrl(`${base}/norange/lattice.fgb`, { bbox: queries[0][1], largeBytes: 0 });
    expect(r.mode).toBe('whole');
    expect(r.features).toHaveLength(8100);
    expect(r.notes).toEqual(['no_range']);
    expect(sent.requests).toBe(1);
  });

  it('learns the size from HEAD where Content-Range cannot be read', async () => {
    const r = await readFlatGeobufUrl(`${base}/nocr/lattice.fgb`, { bbox: queries[0][1], largeBytes: 1e6 });
    expect(r.size).toBe(size);
    expect(r.mode).toBe('bbox');
    expect(ids(r.features)).toEqual(bruteForce(queries[0][1]));
  });

  it('404: the error names the URL and the status', async () => {
    const url = `${base}/range/missing.fgb`;
    await expect(readFlatGeobufUrl(url, { bbox: queries[0][1] })).rejects.toThrow(`${url}: HTTP 404 Not Found`);
  });

  it('not a FlatGeobuf file: a clear error', async () => {
    await expect(readFlatGeobufUrl(`${base}/range/archive.zip`)).rejects.toThrow(
      `${base}/range/archive.zip: not a FlatGeobuf file (it starts with bytes 50 4b 03 04, not "fgb" 03)`,
    );
    await expect(readFlatGeobufUrl(`${base}/range/page.fgb`)).rejects.toThrow(/page\.fgb: not a FlatGeobuf file \(the server sent an HTML/);
  });

  it('a server that cannot be reached: a network/CORS error naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x.fgb`;
    await new Promise((ok) => closed.close(ok));
    await expect(readFlatGeobufUrl(url)).rejects.toThrow(`${url}: cannot be fetched (network failure`);
  });

  it('never hangs: the signal ends a request the server never answers', async () => {
    const t0 = Date.now();
    await expect(readFlatGeobufUrl(`${base}/hang/`, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('an abort in the middle of a bbox read rejects with the abort', async () => {
    const ctl = new AbortController();
    const p = readFlatGeobufUrl(`${base}/range/lattice.fgb`, {
      bbox: queries[4][1], largeBytes: 0, signal: ctl.signal, onProgress: (n) => n >= 1000 && ctl.abort(),
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
