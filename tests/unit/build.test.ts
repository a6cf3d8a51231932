// What is deployed (npm run build, production mode): no test hooks on window (nothing of the
// district, personal data least of all), no source maps, the Content-Security-Policy in the
// page with no other origin than its own. The browser tests run a test build, which has the hooks.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';

describe('the production build', () => {
  it('exposes nothing on window, ships no source maps, and carries the policy', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gridscope-build-'));
    await build({ mode: 'production', logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    const assets = readdirSync(join(out, 'assets'));
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    expect(js).not.toMatch(/\.gridscope\s*=/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*connect-src 'self' blob: data:;/);
    // The test build the browser tests drive does have the hooks (so the check above can fail).
    const outTest = mkdtempSync(join(tmpdir(), 'gridscope-build-test-'));
    await build({ mode: 'test', logLevel: 'silent', build: { outDir: outTest, emptyOutDir: true } });
    const testBuild = readdirSync(join(outTest, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outTest, 'assets', f), 'utf8')).join('\n');
    expect(testBuild).toMatch(/\.gridscope\s*=/);
  }, 120_000);
});
