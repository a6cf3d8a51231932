import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Origins the console may fetch from besides its own (a data server with FlatGeobuf files, a
 * case feed): set at build time, e.g. GRIDSCOPE_CONNECT_SRC="https://gis.example.gov.cn".
 * Anything that is not a plain http(s) origin stops the build.
 */
export function connectOrigins(value = process.env.GRIDSCOPE_CONNECT_SRC ?? ''): string[] {
  return value.split(/[\s,]+/).filter(Boolean).map((v) => {
    // A plain origin and nothing else: "https://a.example;script-src *" must not reach the policy.
    if (!/^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/i.test(v)) throw new Error(`GRIDSCOPE_CONNECT_SRC: "${v}" is not an origin like https://host:port`);
    return new URL(v).origin;
  });
}

/**
 * The built page's Content-Security-Policy: no inline script, nothing from any other
 * origin (no tile servers, fonts or CDNs) but those configured above. MapLibre runs its
 * worker from a blob: URL. Development (HMR injects inline script) goes without it.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  ["connect-src 'self' blob: data:", ...connectOrigins()].join(' '),
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'gridscope-csp',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  // The demo district lives in data/demo (FlatGeobuf); it is imported with ?url so
  // it is served in dev and fingerprinted into dist on build.
  assetsInclude: ['**/*.fgb'],
  worker: { format: 'es' },
  // The dev server pre-bundles what it finds from these entries at start. Its scan does not
  // follow \`new Worker(new URL(…))\`, so the workers are named too: a dependency first met when
  // the first file is imported made it re-bundle and reload the page, losing the import.
  optimizeDeps: { entries: ['index.html', 'src/workers/*.worker.ts'] },
  // No source maps in what is deployed.
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, sourcemap: false },
  // The same origins, for the code that fetches (src/io/guardedFetch.ts): workers do not inherit a <meta> policy.
  define: { __GRIDSCOPE_CONNECT__: JSON.stringify(connectOrigins()) },
  // `npm run preview` (and the browser tests) send the policy as a header too, for the page and its workers.
  preview: { headers: { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`, 'X-Content-Type-Options': 'nosniff' } },
});
