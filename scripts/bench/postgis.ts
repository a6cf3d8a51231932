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
  } finally {
    await db.end();
    cluster?.stop();
  }
}
