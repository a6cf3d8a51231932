import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built page's Content-Security-Policy: no inline script, nothing from any other
 * origin (no tile servers, fonts or CDNs). MapLibre runs its worker from a blob: URL.
 * A deployment that points the console at its own tile or feed server adds that origin
 * to connect-src. Development (HMR injects inline script) goes without it.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "connect-src 'self' blob: data:",
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
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, sourcemap: true },
  // `npm run preview` (and the browser tests) send the policy as a header too.
  preview: { headers: { 'Content-Security-Policy': CSP } },
});
