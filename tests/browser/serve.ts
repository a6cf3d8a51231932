// Serves the built app (dist/) on a free loopback port for the browser tests.
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { preview, type PreviewServer, type Plugin } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | undefined;

export async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn', plugins: [fixtures(), caseFeed()] });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report its URL');
  project.provide('baseUrl', url);
}

/**
 * tests/fixtures at /__fixtures/ on the same origin, with HTTP Range support (206), so a
 * browser test can open a FlatGeobuf "from a URL" and read only part of it.
 */
function fixtures(): Plugin {
  return {
    name: 'test-fixtures',
    configurePreviewServer(s) {
      s.middlewares.use('/__fixtures', (req, res) => {
        const path = normalize(join('tests/fixtures', decodeURIComponent(req.url ?? '').split('?')[0]));
        if (!path.startsWith('tests/fixtures/') || !existsSync(path)) { res.statusCode = 404; res.end(); return; }
        const body = readFileSync(path);
        const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        res.setHeader('Accept-Ranges', 'bytes');
        if (!m) { res.setHeader('Content-Length', body.length); res.end(req.method === 'HEAD' ? undefined : body); return; }
        const a = Number(m[1]);
        const b = Math.min(m[2] ? Number(m[2]) : body.length - 1, body.length - 1);
        res.statusCode = 206;
        res.setHeader('Content-Range', `bytes ${a}-${b}/${body.length}`);
        res.setHeader('Content-Length', b - a + 1);
        res.end(body.subarray(a, b + 1));
      });
    },
  };
}

/**
 * A case feed that changes while a test runs: GET /__feed/requests.json answers what the test
 * last POSTed to /__feed/set as { status, body } (the body sent as it is).
 */
function caseFeed(): Plugin {
  let answer = { status: 200, body: '[]' };
  return {
    name: 'test-case-feed',
    configurePreviewServer(s) {
      s.middlewares.use('/__feed', (req, res) => {
        if (req.method === 'POST' && req.url === '/set') {
          let text = '';
          req.on('data', (c) => { text += c; });
          req.on('end', () => { answer = JSON.parse(text); res.end('ok'); });
          return;
        }
        res.statusCode = answer.status;
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-store');
        // One page: the feed is small (page 2 and on are empty).
        res.end(/[?&]page=(?!1\b)\d+/.test(req.url ?? '') && answer.status === 200 ? '[]' : answer.body);
      });
    },
  };
}

export async function teardown() {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
