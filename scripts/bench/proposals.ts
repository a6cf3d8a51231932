// Proposals (issue 13): auto-split of a 2,000-household community into grids of 180, and
// repair of a city-size district's slivers (3,000 grids, vertices nudged under a metre), in
// the worker's code path (the district session), with the plan scores.
import { CoverageChecker } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';
import { propose } from '../../src/workspace/proposals';
import type { GridFeature } from '../../src/domain/types';
import { makeCommunity } from '../../tests/support/community';
import { CITY, makeCity } from './city';
import { fmt, median } from './stats';

export async function benchProposals(runs = 3) {
  console.log('proposals (Node, one thread; the district worker runs the same code)');
  for (const rows of [false, true]) {
    const c = makeCommunity(1, { blocks: 6, perBlock: 9, households: 2000, rows });
    const input = { boundaries: [c.boundary], grids: [c.grid], buildings: c.buildings, households: householdsFromFeatures(c.households) };
    const checker = new CoverageChecker(input);
    const ctx = { checker, positions: input.households.positions, region: () => c.boundary.geometry, communities: () => [c.boundary.properties.code] };
    const times: number[] = [];
    let last;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      last = await propose(ctx, { kind: 'split', codes: [c.grid.properties.code], target: 180, tolerance: 0.15, seed: r + 1 });
      times.push(performance.now() - t);
    }
    const s = last!.scores.after;
    console.log(`  auto-split, one grid of 2,000 households (${fmt(c.buildings.length)} buildings${rows ? ', city blocks of row houses sharing walls' : ''}) into grids of 180 ±15 %: median ${fmt(median(times))} ms (target < 2,000 ms)`);
    console.log(`    scores: ${s.grids} grids, ideal ${fmt(s.ideal)}, largest deviation ${fmt(100 * s.largestDeviation, 1)} %, ${s.inBand}/${s.grids} in band, Polsby-Popper mean ${s.meanPolsbyPopper.toFixed(2)} worst ${s.worstPolsbyPopper.toFixed(2)}, Reock ${s.meanReock.toFixed(2)}; problems: ${last!.problems.length}`);
  }

  const city = makeCity(CITY);
  let nudged = 0;
  const grids = city.grids.map((g, i) => {
    if (i % 9) return g;
    const ring = (g.geometry.coordinates as number[][][])[0].map((q) => [...q]);
    ring[2] = [ring[2][0] + 4e-6, ring[2][1] - 3e-6];
    nudged++;
    return { ...g, geometry: { type: 'Polygon' as const, coordinates: [ring] } } as GridFeature;
  });
  const cityChecker = new CoverageChecker({ ...city, grids });
  const spoiled = cityChecker.report().findings.filter((f) => ['gap', 'overlap', 'invalid_edges'].includes(f.kind)).length;
  const communities = city.boundaries.filter((b) => b.properties.level === 'community');
  const cityCtx = {
    checker: cityChecker, positions: city.households.positions,
    region: (code: string) => communities.find((b) => b.properties.code === code)?.geometry,
    communities: () => communities.map((b) => b.properties.code),
  };
  const t = performance.now();
  const p = await propose(cityCtx, { kind: 'repair' });
  const ms = performance.now() - t;
  cityChecker.replaceGrids(cityChecker.currentGrids().filter((g) => p.before.includes(g.properties.code)), p.after);
  const left = cityChecker.report().findings.filter((f) => ['gap', 'overlap', 'invalid_edges'].includes(f.kind)).length;
  console.log(`  repair of the whole city (${fmt(grids.length)} grids, ${nudged} with a vertex nudged 0.4 m, ${spoiled} land findings): ${fmt(ms)} ms (target < 5,000 ms); ${p.before.length} grids changed, ${left} land findings after`);
}
