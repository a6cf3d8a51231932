// npm run demo [-- <outDir>]: writes the demo district (default data/demo/).
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_FILES, generateDemo } from './demo/index';

const outDir = resolve(process.argv[2] ?? 'data/demo');
const t0 = performance.now();
const { meta } = generateDemo(outDir);
const ms = performance.now() - t0;
let total = 0;
for (const f of DEMO_FILES) {
  const size = statSync(join(outDir, f)).size;
  total += size;
  console.log(`${f.padEnd(16)} ${(size / 1024).toFixed(1).padStart(9)} KiB`);
}
console.log(`${'total'.padEnd(16)} ${(total / 1024).toFixed(1).padStart(9)} KiB`);
console.log(Object.entries(meta.counts).map(([k, v]) => `${k}=${v}`).join(' '));
console.log(`${meta.district_name} → ${outDir} in ${(ms / 1000).toFixed(2)} s`);
