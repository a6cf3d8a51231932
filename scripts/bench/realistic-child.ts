// The in-process engine on one size of the realistic city, in a process of its own so that its
// peak RSS is that size's alone (scripts/bench/realistic-checks.ts drives it).
//   usage: node --expose-gc --import tsx scripts/bench/realistic-child.ts S|M|L
// Reads the files once (readRealistic, not timed here), prints one JSON line, then per line on
// stdin: "run" checks once (new CoverageChecker + report) and prints the timings and the counts
// a peer can be compared on; "inc" times 15 one-grid edits on the last checker; "quit" prints
// the peak RSS. Only the engine's public API (CoverageChecker, CheckInput).
import { createInterface } from 'node:readline';
import { resourceUsage } from 'node:process';
import { CoverageChecker, type CheckInput } from '../../src/checks/engine';
import type { Report } from '../../src/checks/report';
import type { AreaGeometry } from '../../src/domain/types';
import { readRealistic, realisticDir, type RealisticSize } from './realistic';
import { median } from './stats';

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const say = (x: unknown) => process.stdout.write(`${JSON.stringify(x)}\n`);

/** What the peers also work out: households located, buildings not clean, gaps and overlaps. */
export function counts(report: Report) {
  const sum = (kind: string) => report.findings.filter((f) => f.kind === kind).reduce((s, f) => s + (f.measure.area_m2 ?? 0), 0);
  const c = report.summary.counts;
  return {
    located: report.grids.reduce((s, g) => s + g.households, 0),
    double: c.double_household, orphan: c.orphan_household,
    straddling: c.straddling_building, orphanBuildings: c.orphan_building,
    gaps: c.gap, gap_m2: sum('gap'), overlaps: c.overlap, overlap_m2: sum('overlap'),
    slivers: report.summary.slivers.count, findings: report.findings.length,
  };
}

async function main() {
  const size = process.argv[2] as RealisticSize;
  const dir = realisticDir(size);
  if (!dir) { say({ error: 'no ../shared' }); return; }
  gc();
  const t = performance.now();
  const input: CheckInput = await readRealistic(dir);
  const readMs = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  say({
    ready: true, read_ms: readMs, rss_input_mb: after.rss / MB, heap_input_mb: after.heapUsed / MB,
    n: { grids: input.grids.length, buildings: input.buildings.length, households: input.households.ids.length },
  });

  let checker: CoverageChecker | null = null;
  let peakHeap = 0;
  const sample = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = line.trim();
    if (cmd === 'run') {
      checker = null;
      gc(); // each run starts with the previous run's checker collected
      const t0 = performance.now();
      checker = new CoverageChecker(input);
      const t1 = performance.now();
      sample();
      const report = checker.report();
      const t2 = performance.now();
      sample();
      say({ ms: { ...checker.timings, check: t1 - t0, report: t2 - t1, total: t2 - t0 }, counts: counts(report), heap_mb: peakHeap / MB, rss_mb: resourceUsage().maxRSS / 1024 });
    } else if (cmd === 'inc' && checker) {
      say(incremental(checker));
    } else if (cmd === 'quit') {
      break;
    }
  }
  say({ maxrss_mb: resourceUsage().maxRSS / 1024, peak_heap_mb: peakHeap / MB });
}

/** Moves one vertex of 15 grids in turn (a gap or overlap opens there), each re-checked: updateGrid + report. */
function incremental(checker: CoverageChecker) {
  const all: number[] = [], update: number[] = [], report: number[] = [];
  const stages: Record<string, number[]> = {};
  const grids = checker.currentGrids();
  let skipped = 0;
  for (let e = 0, k = 0; e < 15 && k < 200; k++) {
    const g = grids[(k * 197 + 61) % grids.length];
    const geom = g.geometry as AreaGeometry;
    const rings = geom.type === 'Polygon' ? geom.coordinates : geom.coordinates[0];
    const ring = rings[0].map((p) => [...p]);
    // ring[1]: not the closing vertex, so the ring stays closed; 0.00002° ≈ 2 m (these grids'
    // edges wiggle with vertices a few metres apart: a longer move can cross the next edge)
    ring[1] = [ring[1][0] + 0.00002 * (e % 2 ? 1 : -1), ring[1][1] + 0.00002];
    const t = performance.now();
    try {
      checker.updateGrid(g.properties.code, { type: 'Polygon', coordinates: [ring, ...rings.slice(1)] });
    } catch {
      skipped++; // the move made the ring cross itself: updateGrid refused it, changing nothing; the next grid
      continue;
    }
    const tr = performance.now();
    checker.report();
    const te = performance.now();
    all.push(te - t); update.push(tr - t); report.push(te - tr);
    for (const [k2, v] of Object.entries(checker.timings)) (stages[k2] ??= []).push(v);
    e++;
  }
  const med = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)]));
  return { inc: { median: median(all), update: median(update), report: median(report), edits: all.length, skipped, stages: med } };
}

await main();
