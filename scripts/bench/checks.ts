// The coverage engine on a city-size data set shaped like real data (city.ts): full check with
// its stages and how the buildings were placed, incremental re-check after one grid edit, the
// naive Turf reference on a sample (as a ratio); and the land pass alone on a district along a
// 150,000-vertex coast (tests/support/coast.ts), its grids following the coast or not.
import { resourceUsage } from 'node:process';
import { CoverageChecker } from '../../src/checks/engine';
import { referenceBuilding, referenceLocate } from '../../tests/support/reference';
import type { GridFeature } from '../../src/domain/types';
import { CITY, makeCity } from './city';
import { checkLandRegion } from '../../src/checks/land';
import { coastCase } from '../../tests/support/coast';
import { fmt, median } from './stats';

export function benchChecks(runs = 5) {
  const city = makeCity(CITY);
  const n = { grids: city.grids.length, buildings: city.buildings.length, households: city.households.ids.length };
  console.log(`coverage checks on a city: ${fmt(n.grids)} grids, ${fmt(n.buildings)} buildings, ${fmt(n.households)} households (Node ${process.version}, one thread)`);

  const full: number[] = [];
  const stages: Record<string, number[]> = {};
  let checker!: CoverageChecker;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  for (let r = 0; r < runs; r++) {
    gc(); // start each run with the data set's garbage collected, not the previous run's
    const t = performance.now();
    checker = new CoverageChecker(city);
    const report = checker.report();
    full.push(performance.now() - t);
    for (const [k, v] of Object.entries({ ...checker.timings })) (stages[k] ??= []).push(v);
    if (r === 0) console.log(`  findings: ${report.findings.length} (${Object.entries(report.summary.counts).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  }
  console.log(`  full check: median ${fmt(median(full))} ms over ${runs} runs (${full.map((x) => fmt(x)).join(', ')})   (target < 2,000 ms)`);
  console.log(`    stages (median ms): ${Object.entries(stages).map(([k, v]) => `${k} ${fmt(median(v))}`).join(', ')}`);
  const paths = checker.buildingPaths();
  const pct = (x: number) => `${fmt((100 * x) / n.buildings, 1)} %`;
  console.log(`    buildings: ${pct(paths.point)} by one point test, ${pct(paths.triangles)} near an edge by triangles, ${pct(paths.overlay)} by Turf overlay (a dedicated grid near)`);

  // Incremental: move one inner vertex of a grid (only in that grid: a gap or overlap opens), re-check.
  const inc: number[] = [];
  const stagesInc: Record<string, number[]> = {};
  for (let e = 0; e < 15; e++) {
    const g = city.grids[(e * 197 + 61) % city.grids.length] as GridFeature;
    const ring = (g.geometry.coordinates as number[][][])[0].map((p) => [...p]);
    ring[1] = [ring[1][0] + 0.0001 * (e % 2 ? 1 : -1), ring[1][1] + 0.0001];
    const t = performance.now();
    checker.updateGrid(g.properties.code, { type: 'Polygon', coordinates: [ring] });
    const tr = performance.now();
    checker.report();
    inc.push(performance.now() - t);
    (stagesInc.report ??= []).push(performance.now() - tr);
    for (const [k, v] of Object.entries(checker.timings)) (stagesInc[k] ??= []).push(v);
  }
  console.log(`  incremental re-check after one grid edit (update + report): median ${fmt(median(inc), 1)} ms over ${inc.length} edits   (target < 50 ms)`);
  console.log(`    stages (median ms): ${Object.entries(stagesInc).map(([k, v]) => `${k} ${fmt(median(v), 1)}`).join(', ')}`);

  // The naive reference: every household against every grid, every building clipped with every grid.
  const grids = checker.assignment().grids;
  const sampleH = 300, sampleB = 20;
  let t = performance.now();
  for (let i = 0; i < sampleH; i++) {
    const k = (i * 3331) % n.households;
    referenceLocate(grids, city.households.positions[2 * k], city.households.positions[2 * k + 1]);
  }
  const perH = (performance.now() - t) / sampleH;
  t = performance.now();
  for (let i = 0; i < sampleB; i++) referenceBuilding(grids, city.buildings[(i * 7919) % n.buildings]);
  const perB = (performance.now() - t) / sampleB;
  const naive = perH * n.households + perB * n.buildings;
  console.log(`  naive Turf reference: ${fmt(perH, 2)} ms per household, ${fmt(perB, 1)} ms per building (samples of ${sampleH} and ${sampleB})`);
  console.log(`    extrapolated to the city: ${fmt(naive / 1000 / 60, 1)} min for households and buildings alone; engine is ${fmt(naive / median(full))}× faster`);
  console.log(`  peak memory (max RSS of this process): ${fmt(resourceUsage().maxRSS / 1024)} MB   (target < 1,536 MB)`);
  benchCoast(runs);
}

/** The land pass on a detailed outline: 400 grids along a 150,000-vertex coast. */
function benchCoast(runs: number) {
  for (const coarse of [false, true]) {
    const c = coastCase({ cols: 20, rows: 20, coastVertices: 150_000, coarse });
    const times: number[] = [];
    let r!: ReturnType<typeof checkLandRegion>;
    for (let k = 0; k < runs; k++) {
      const t = performance.now();
      r = checkLandRegion({ code: 'coast', geometry: c.region, members: c.members, onTop: [] }, { sliverM2: 1 });
      times.push(performance.now() - t);
    }
    const what = coarse
      ? 'top row following every 100th coast vertex (the whole coast unmatched)'
      : `grids on the coast's vertices, ${c.planted.length} planted defects`;
    console.log(`land pass, ${fmt(c.members.length)} grids along a ${fmt(c.region.coordinates[0].length)}-vertex coast, ${what}: median ${fmt(median(times))} ms over ${runs} runs   ${coarse ? '' : '(target < 1,000 ms)'}`);
    console.log(`    ${fmt(r.unmatchedEdges)} unmatched edges, ${r.findings.length} findings, ${fmt(r.slivers.count)} slivers`);
  }
}
