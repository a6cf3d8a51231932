// The PostGIS engine on the benchmark city (3,000 grids, 200,000 buildings, 1,000,000
// households): loading it with the project's loader (COPY, GiST), the full check as SQL, its
// ratio to the engine in the page on the same data (one Node thread), and whether the two
// reports agree finding for finding. A throwaway cluster unless GRIDSCOPE_BENCH_DB names one.
import { loadavg } from 'node:os';
import pg from 'pg';
import type { Feature } from 'geojson';
import { runChecks } from '../../src/checks/engine';
import { startCluster, type Cluster } from '../postgis/cluster';
import { loadLayers } from '../postgis/load';
import { checkInPostgis, lastTimings, tablesIn } from '../postgis/engine';
import { differences } from '../../tests/support/compareReports';
import { CITY, makeCity } from './city';
import { fmt, median } from './stats';
import { NO_SHARED, readRealistic, realisticDir, type RealisticSize } from './realistic';
import { bestPlans, loadPlain } from './realistic-checks';
import { makeOutlines } from './outlines';
import { householdsFromFeatures } from '../../src/io/layers';

const load = () => `(load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`;
const slowest = () => [...lastTimings].sort((a, b) => b.ms - a.ms).slice(0, 6).map((x) => `${fmt(x.ms)} ms ${x.sql.slice(0, 50)}…`).join('; ');

/** The engine in PostGIS on one input: loaded with the project's loader into `schema`, checked `runs` times (one core), against the in-process engine's report. */
async function engineRuns(db: pg.Client, schema: string, input: Parameters<typeof runChecks>[0], runs: number) {
  let t = performance.now();
  await loadLayers(db, schema, input as never);
  const loadMs = performance.now() - t;
  const times: number[] = [];
  let report;
  for (let r = 0; r < runs; r++) {
    t = performance.now();
    report = await checkInPostgis(db, tablesIn(schema));
    times.push(performance.now() - t);
  }
  const page = runChecks(input).report;
  return { loadMs, times, diff: differences(page, report!), findings: page.findings.length };
}

/** Realistic S/M (L when BENCH_SIZES names it): the engine beside best-plans.sql in the same run, and a partition of ~400 separately traced outlines. */
export async function benchRealistic(db: pg.Client, runs: number) {
  await db.query('SET max_parallel_workers_per_gather = 0'); // one core, as the best plans and the peers run
  await db.query('SET jit = off');
  const sizes = (process.env.BENCH_SIZES ?? 'S,M').split(',').map((x) => x.trim().toUpperCase()).filter((x): x is RealisticSize => x === 'S' || x === 'M' || x === 'L');
  const plans = bestPlans();
  for (const size of sizes) {
    const dir = realisticDir(size);
    if (!dir) { console.log(`  realistic ${size}: ${NO_SHARED}`); continue; }
    const input = await readRealistic(dir);
    const e = await engineRuns(db, `gse_${size.toLowerCase()}`, input, runs);
    await loadPlain(db, size, dir);
    await db.query(`SET search_path = rc_${size.toLowerCase()}, public`);
    const best: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      for (const p of plans) await db.query(p.sql);
      best.push(performance.now() - t);
    }
    await db.query('SET search_path = public');
    console.log(`  realistic ${size}: PostGIS engine median ${fmt(median(e.times))} ms (${e.times.map((x) => fmt(x)).join(', ')}), best plans (${plans.map((p) => p.name).join(' + ')}) ${fmt(median(best))} ms, engine / best ${(median(e.times) / median(best)).toFixed(2)}× ${load()}; load ${fmt(e.loadMs)} ms`);
    console.log(`    slowest statements: ${slowest()}`);
    console.log(`    against the in-process engine: ${e.findings} findings, ${e.diff.length} differences${e.diff.length ? `, e.g. ${e.diff.slice(0, 3).join('; ')}` : ''}`);
  }
  const o = makeOutlines({ seed: 1, grids: 400, boundary: true });
  const e = await engineRuns(db, 'gse_outlines', { boundaries: o.boundaries, grids: o.grids, buildings: o.buildings, households: householdsFromFeatures(o.households as never) }, runs);
  console.log(`  outline partition (400 separately traced grids, ${fmt(o.vertices)} vertices): PostGIS engine median ${fmt(median(e.times))} ms (${e.times.map((x) => fmt(x)).join(', ')}) ${load()}`);
  console.log(`    slowest statements: ${slowest()}`);
  console.log(`    against the in-process engine: ${e.findings} findings, ${e.diff.length} differences${e.diff.length ? `: ${e.diff.slice(0, 5).join('; ')}` : ''}`);
}

export async function benchPostgis(runs = 3) {
  let cluster: Cluster | null = null;
  let url = process.env.GRIDSCOPE_BENCH_DB;
  if (!url) { cluster = await startCluster(); url = cluster.url; }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const city = makeCity(CITY);
    console.log(`PostGIS engine on the city: ${fmt(city.grids.length)} grids, ${fmt(city.buildings.length)} buildings, ${fmt(city.households.ids.length)} households (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
    const version = (await db.query('SELECT postgis_full_version() AS v')).rows[0]?.v;
    if (version) console.log(`  ${String(version).split(' ').slice(0, 3).join(' ')}`);
    let t = performance.now();
    await loadLayers(db, 'gridscope', { boundaries: city.boundaries as Feature[], grids: city.grids as Feature[], buildings: city.buildings as Feature[], households: city.households });
    console.log(`  load (npm run load's COPY + GiST indexes): ${fmt(performance.now() - t)} ms`);
    const sql: number[] = [];
    let report;
    for (let r = 0; r < runs; r++) {
      t = performance.now();
      report = await checkInPostgis(db, tablesIn('gridscope'));
      sql.push(performance.now() - t);
    }
    console.log(`    slowest statements: ${[...lastTimings].sort((a, b) => b.ms - a.ms).slice(0, 4).map((x) => `${fmt(x.ms)} ms ${x.sql.slice(0, 60)}…`).join('; ')}`);
    const page: number[] = [];
    let pageReport;
    for (let r = 0; r < runs; r++) {
      t = performance.now();
      pageReport = runChecks(city).report;
      page.push(performance.now() - t);
    }
    console.log(`  full check in PostGIS: median ${fmt(median(sql))} ms (${sql.map((x) => fmt(x)).join(', ')}); in the page's engine (Node, one thread): median ${fmt(median(page))} ms; PostGIS / page ${(median(sql) / median(page)).toFixed(1)}×   (anchor: PostGIS with the best plan ≈ 6,900 ms)`);
    const diff = differences(pageReport!, report!);
    console.log(`  the two reports: ${pageReport!.findings.length} findings, ${diff.length === 0 ? 'the same finding for finding, the same per-grid counts' : `${diff.length} differences, e.g. ${diff.slice(0, 3).join('; ')}`}`);
    if (process.env.BENCH_POSTGIS_CITY_ONLY !== '1') await benchRealistic(db, runs);
  } finally {
    await db.end();
    cluster?.stop();
  }
}
