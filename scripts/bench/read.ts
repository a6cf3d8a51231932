// BENCH=read: reading the realistic city's files for npm run check — the million-row CSV roster
// straight into the engine's columns (and, once, the old way through a feature per row), the
// GeoJSON footprints, and the same footprints as FlatGeobuf (made with ogr2ogr when it is there).
// Medians of CPU and wall time, with the load average; skipped without ../shared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { readHouseholds, readLayer } from '../cliRead';
import { householdsFromFeatures } from '../../src/io/layers';
import { NO_SHARED, REALISTIC_DIR, realisticDir, type RealisticSize } from './realistic';
import { fmt, median } from './stats';

async function timed(runs: number, f: () => Promise<unknown>): Promise<string> {
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const c = process.cpuUsage(), t = performance.now();
    await f();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return `${fmt(median(wall))} ms wall, ${fmt(median(cpu))} ms CPU (median of ${runs})`;
}

function flatGeobuf(src: string, size: RealisticSize): string | null {
  const out = join(REALISTIC_DIR, '..', 'read-bench', `buildings-${size}.fgb`);
  if (existsSync(out)) return out;
  try {
    mkdirSync(join(out, '..'), { recursive: true });
    execFileSync('ogr2ogr', ['-f', 'FlatGeobuf', out, src], { stdio: 'ignore' });
    return out;
  } catch {
    return null;
  }
}

export async function benchRead(runs = 3) {
  console.log('\n== reading for npm run check (realistic city) ==');
  const sizes = (process.env.BENCH_SIZES ?? 'S,M').split(',') as RealisticSize[];
  for (const size of sizes) {
    const dir = realisticDir(size);
    if (!dir) { console.log(NO_SHARED); return; }
    const log = console.log;
    console.log = () => {}; // readLayer's lines about the files, said once per run
    const lines: string[] = [];
    try {
      const csv = join(dir, 'households.csv'), geo = join(dir, 'buildings.geojson');
      lines.push(`households.csv → columns: ${await timed(runs, () => readHouseholds(csv))}`);
      lines.push(`households.csv → features → columns (before): ${await timed(1, async () => householdsFromFeatures((await readLayer(csv, 'households')).features))}`);
      lines.push(`buildings.geojson: ${await timed(runs, () => readLayer(geo, 'buildings'))}`);
      const fgb = flatGeobuf(geo, size);
      lines.push(fgb ? `buildings.fgb: ${await timed(runs, () => readLayer(fgb, 'buildings'))}` : 'buildings.fgb: skipped (no ogr2ogr)');
    } finally {
      console.log = log;
    }
    console.log(`${size}: load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    for (const l of lines) console.log(`  ${l}`);
  }
}
