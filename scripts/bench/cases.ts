// 400,000 cases (a year in a large district) on the benchmark city's 3,000 grids (issue 5):
// decoded from FlatGeobuf, assigned to grids with statuses (what the worker does on load),
// and a filter change (mask, per-grid load, KPIs, the map's point subset and bins: what the
// page does before it redraws). Node, one thread; the page's redraw is timed in Chromium by
// BENCH=cases-page (scripts/bench/cases-page.ts).
import seedrandom from 'seedrandom';
import { readFlatGeobuf, writeFlatGeobuf } from '../../src/io/flatgeobuf';
import { GridLocator } from '../../src/checks/locate';
import { buildCaseTable, caseColumns } from '../../src/workspace/caseTable';
import { ALL_CASES, caseKpis, caseMask, gridCaseLoad } from '../../src/domain/kpis';
import { CASE_CATEGORIES } from '../../src/domain/case-categories';
import { CaseStatus, DISPATCH_LEVELS } from '../../src/domain/cases';
import { pointSubset } from '../../src/map/layers';
import { binCases } from '../../src/map/caseBins';
import type { CaseFeature, GridFeature } from '../../src/domain/types';
import { makeCity } from './city';
import { fmt, median } from './stats';

export const CASES = 400_000;
const HOUR = 3_600_000;

/** A year of cases over the city: 8 % still open, deadlines from the category limits. */
export function makeCases(grids: GridFeature[], n = CASES, seed = 7): CaseFeature[] {
  const rnd = seedrandom(String(seed));
  let w = Infinity, s = Infinity, e = -Infinity, north = -Infinity;
  for (const g of grids) for (const [x, y] of (g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates[0])[0]) {
    w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); north = Math.max(north, y);
  }
  const now = Date.parse('2026-11-01T09:00:00+08:00');
  const iso = (ms: number) => new Date(ms).toISOString();
  return Array.from({ length: n }, (_, i) => {
    const cat = CASE_CATEGORIES[Math.floor(rnd() * CASE_CATEGORIES.length)];
    const requested = now - rnd() * 365 * 24 * HOUR;
    const open = rnd() < 0.08;
    const closed = requested + rnd() * 2 * cat.limitHours * HOUR;
    const x = w + rnd() * (e - w), y = s + rnd() * (north - s);
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [x, y] },
      properties: {
        service_request_id: `B${i}`, status: open ? 'open' : 'closed', service_name: cat.name, service_code: cat.code, description: '',
        address: '', requested_datetime: iso(requested), updated_datetime: iso(open ? requested : closed), expected_datetime: '',
        closed_datetime: open ? '' : iso(closed), dispatch_level: DISPATCH_LEVELS[i % 3], satisfaction: open ? '' : rnd() < 0.9 ? 'satisfied' : 'unsatisfied',
        lat: y, long: x,
      },
    };
  });
}

export async function benchCases(runs = 5) {
  const city = makeCity();
  const grids = city.grids;
  const cases = makeCases(grids);
  const fgb = writeFlatGeobuf({ type: 'FeatureCollection', features: cases });
  const stored = caseColumns(cases);
  const now = Date.parse('2026-11-01T09:00:00+08:00');
  const decode: number[] = [], reopen: number[] = [], assign: number[] = [], filter: number[] = [];
  let shown = 0, bins = 0;
  for (let r = 0; r < runs; r++) {
    // Importing a file of cases (once, when the user brings it): FlatGeobuf → columns.
    let t = performance.now();
    caseColumns((await readFlatGeobuf(fgb)) as CaseFeature[]);
    decode.push(performance.now() - t);
    // Reopening: IndexedDB hands back the stored columns by structured clone.
    t = performance.now();
    const columns = structuredClone(stored);
    reopen.push(performance.now() - t);
    t = performance.now();
    const table = buildCaseTable(columns, new GridLocator(grids), now);
    assign.push(performance.now() - t);
    // A filter change: one category, overdue and in progress, the last 30 days.
    const households = new Int32Array(grids.length).fill(300);
    t = performance.now();
    const f = { ...ALL_CASES, category: r % table.categoryNames.length, from: now - 30 * 24 * HOUR, statuses: [CaseStatus.overdue, CaseStatus.inProgress] };
    const mask = caseMask(table, f, () => true);
    gridCaseLoad(table, mask, households);
    caseKpis(table, f, () => true);
    const subset = pointSubset(table.positions, (i) => mask[i] === 1, () => [239, 68, 68, 255]);
    const b = binCases(subset, table.status, 12);
    filter.push(performance.now() - t);
    shown = subset.index.length;
    bins = b.count;
  }
  console.log(`cases: ${fmt(CASES)} cases on ${fmt(grids.length)} grids, Node, one thread, ${runs} runs`);
  console.log(`  import from FlatGeobuf (${fmt(fgb.length / 2 ** 20, 1)} MB) into columns, once per file: median ${fmt(median(decode))} ms`);
  console.log(`  reopen the stored columns (structured clone, as IndexedDB returns them): median ${fmt(median(reopen))} ms`);
  console.log(`  assign to grids, deadlines, statuses (the case table): median ${fmt(median(assign))} ms`);
  console.log(`  load and assign: median ${fmt(median(reopen) + median(assign))} ms   (target < 2,000 ms)`);
  console.log(`  filter change (mask, per-grid load, KPIs, point subset, bins; ${fmt(shown)} shown in ${fmt(bins)} bins): median ${fmt(median(filter), 1)} ms   (target: redrawn < 100 ms)`);
}
