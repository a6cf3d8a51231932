// The two engines agree: the page's (src/checks) and the one in PostgreSQL/PostGIS
// (scripts/postgis), finding for finding and count for count, on the demo district and on
// random districts (tests/support/randomDistrict.ts). The data goes in through the project's
// own loader. A throwaway cluster is started unless GRIDSCOPE_TEST_DB names a server (.ci/run
// starts one on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import type { Feature } from 'geojson';
import { runChecks } from '../../src/checks/engine';
import type { Report } from '../../src/checks/report';
import { householdsFromFeatures } from '../../src/io/layers';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../../src/domain/types';
import { startCluster, type Cluster } from '../../scripts/postgis/cluster';
import { loadLayers } from '../../scripts/postgis/load';
import { checkInPostgis, tablesIn } from '../../scripts/postgis/engine';
import { readLayer } from '../../scripts/cliRead';
import { randomDistrict } from '../support/randomDistrict';
import { makeOutlines } from '../../scripts/bench/outlines';
import { differences } from '../support/compareReports';
import { readFileSync } from 'node:fs';

let cluster: Cluster | null = null;
let db: pg.Client;
let admin: pg.Client;
const dbName = `gridscope_test_${process.pid}`;

beforeAll(async () => {
  let url = process.env.GRIDSCOPE_TEST_DB;
  if (!url) { cluster = await startCluster(); url = cluster.url; }
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  db = new pg.Client({ connectionString: u.toString() });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin?.end();
  cluster?.stop();
});

interface Layers { boundaries: BoundaryFeature[]; grids: GridFeature[]; buildings: BuildingFeature[]; households: Feature[] }

async function both(l: Layers): Promise<[Report, Report]> {
  const page = runChecks({ boundaries: l.boundaries, grids: l.grids, buildings: l.buildings, households: householdsFromFeatures(l.households as never) }).report;
  await loadLayers(db, 'gridscope', { boundaries: l.boundaries as Feature[], grids: l.grids as Feature[], buildings: l.buildings as Feature[], households: l.households });
  return [page, await checkInPostgis(db, tablesIn('gridscope'))];
}

describe('the PostGIS engine', () => {
  it('agrees with the page’s engine on the demo district, finding for finding', async () => {
    const read = async (role: 'boundaries' | 'grids' | 'buildings' | 'households') => (await readLayer(`data/demo/${role}.fgb`, role)).features;
    const l = { boundaries: await read('boundaries'), grids: await read('grids'), buildings: await read('buildings'), households: await read('households') } as unknown as Layers;
    const [page, sql] = await both(l);
    expect(page.findings.length).toBeGreaterThan(20); // the demo's planted defects
    expect(differences(page, sql)).toEqual([]);
  });

  /** Both engines on a fixture whose features say their layer (a `layer` property). */
  const bothOnFixture = (path: string) => {
    const fc = JSON.parse(readFileSync(path, 'utf8'));
    const of = (layer: string) => fc.features.filter((f: Feature) => f.properties!.layer === layer);
    return both({ boundaries: of('boundaries'), grids: of('grids'), buildings: of('buildings'), households: of('households') });
  };

  it('agrees with it where communities overlap or leave a gap, and grids of two communities overlap (issue 21)', async () => {
    for (const name of ['overlapping-communities', 'gap-between-communities', 'district-as-grids']) {
      const [page, sql] = await bothOnFixture(`tests/fixtures/boundaries/${name}.geojson`);
      expect(page.findings.some((f) => f.rule === 'boundaries'), name).toBe(true);
      expect(differences(page, sql), name).toEqual([]);
    }
  });

  it('agrees with it where dedicated grids overlap each other and a piece lies under grids of two communities (issue 21)', async () => {
    for (const name of ['land-dedicated-on-top', 'land-dedicated-on-top-of-carved', 'land-dedicated-carved', 'land-dedicated-across', 'land-three-grids-across']) {
      const [page, sql] = await bothOnFixture(`tests/fixtures/rules/${name}.geojson`);
      expect(page.findings.some((f) => f.kind === 'overlap'), name).toBe(true);
      expect(differences(page, sql), name).toEqual([]);
    }
  });

  it('agrees with it on separately traced outlines: slivers, gaps and overlaps along every shared edge (issue 24)', async () => {
    for (const boundary of [true, false]) {
      const d = makeOutlines({ seed: 1, grids: 12, boundary });
      const [page, sql] = await both({ ...d, households: d.households as Feature[] });
      // the partition does what it is for: defects along the shared edges, slivers among them
      expect(page.findings.filter((f) => f.kind === 'gap').length, String(boundary)).toBeGreaterThan(20);
      expect(page.findings.filter((f) => f.kind === 'overlap').length, String(boundary)).toBeGreaterThan(20);
      expect(page.summary.slivers.count, String(boundary)).toBeGreaterThan(10);
      expect(differences(page, sql), String(boundary)).toEqual([]);
    }
  }, 120_000);

  it('agrees with it on random districts: gaps, overlaps, dedicated grids, points on shared edges', async () => {
    let kinds = new Set<string>();
    await fc.assert(fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 1, max: 1e6 }), cols: fc.integer({ min: 2, max: 5 }), rows: fc.integer({ min: 2, max: 4 }),
        communities: fc.constantFrom(1 as const, 2 as const), outlines: fc.boolean(), moved: fc.integer({ min: 0, max: 3 }),
        onTop: fc.boolean(), badCodes: fc.boolean(),
      }),
      async (o) => {
        const d = randomDistrict(o);
        const [page, sql] = await both({ ...d, households: d.households as Feature[] });
        for (const f of page.findings) kinds.add(f.kind);
        expect(differences(page, sql), JSON.stringify(o)).toEqual([]);
      },
    ), { numRuns: 30, seed: 20261202 });
    // the districts did exercise the rules
    for (const k of ['gap', 'overlap', 'spill', 'straddling_building', 'double_household', 'dangling_household', 'misplaced_household', 'no_residents', 'under_band', 'bad_code', 'duplicate_code']) expect(kinds).toContain(k);
    kinds = new Set();
  }, 600_000);
});
