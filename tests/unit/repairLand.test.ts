// Land repair on fixtures a person can open in a map (tests/fixtures/plan-repair/): snapped
// near-coincident corners, an overlap under the limit given away, a large gap left for the
// planner; after it the land check is clean for what was repaired, and no grid lost more
// than the limit.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairLand } from '../../src/plan/repairLand';
import { applyChange } from '../../src/plan/grids';
import { checkLandRegion } from '../../src/checks/land';
import type { GridFeature } from '../../src/domain/types';
import { makeCity } from '../../scripts/bench/city';

const dir = 'tests/fixtures/plan-repair';
const LAND = ['gap', 'overlap', 'spill', 'invalid_edges'];

function land(region: any, grids: GridFeature[]) {
  return checkLandRegion({ code: region.properties.code, geometry: region.geometry, members: grids.map((g, i) => ({ grid: i, code: g.properties.code, kind: g.properties.kind, geometry: g.geometry })), onTop: [] }, { sliverM2: 1 }).findings
    .filter((f) => LAND.includes(f.kind));
}

describe('land repair', () => {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', ''));
  it('has its fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const name of cases) {
    it(name, () => {
      const fc = JSON.parse(readFileSync(`${dir}/${name}.geojson`, 'utf8'));
      const expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
      const region = fc.features.find((f: any) => f.properties.role === 'region');
      const grids: GridFeature[] = fc.features.filter((f: any) => f.properties.role === 'grid').map((f: any) => { const { role: _, ...p } = f.properties; return { ...f, properties: p }; });
      expect(land(region, grids).length).toBeGreaterThan(0); // spoiled before
      const limit = expected.maxAreaM2 ?? 500;
      const p = repairLand(grids, grids, region.geometry, { snapM: 1, maxAreaM2: limit });
      expect(p.change.before.map((g) => g.properties.code).sort()).toEqual(expected.changed);
      expect(p.left.map((l) => l.kind)).toEqual(expected.left);
      const after = applyChange(grids, p.change);
      const left = land(region, after);
      if (expected.land_clean) expect(left.map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
      else expect(left.map((f) => f.kind)).toEqual(expected.left); // only what was left for the planner
      for (const r of p.rows) expect(r.lost_m2).toBeLessThanOrEqual(limit);
      expect(after).toEqual(JSON.parse(readFileSync(`${dir}/${name}.after.geojson`, 'utf8')).features);
    });
  }

  it('repairs a city-size district of slivers community by community', () => {
    // the benchmark city with a few vertices nudged by under a metre (slivers everywhere)
    const city = makeCity({ cols: 12, rows: 10, commCols: 3, commRows: 2, buildingsPerGrid: 4, householdsPerBuilding: 2, edgeVertices: 6, straddling: 0 });
    let nudged = 0;
    const grids = city.grids.map((g, i) => {
      if (i % 7) return g;
      const ring = (g.geometry.coordinates as number[][][])[0].map((q) => [...q]);
      ring[2] = [ring[2][0] + 4e-6, ring[2][1] - 3e-6];
      nudged++;
      return { ...g, geometry: { type: 'Polygon' as const, coordinates: [ring] } };
    });
    let spoiled = 0;
    for (const b of city.boundaries.filter((x) => x.properties.level === 'community')) {
      const members = grids.filter((g) => g.properties.community_code === b.properties.code);
      spoiled += land(b, members).length;
      const p = repairLand(grids, members, b.geometry, { snapM: 1, maxAreaM2: 500 });
      const after = applyChange(members, { before: p.change.before.filter((g) => members.includes(g)), after: p.change.after.filter((g) => g.properties.community_code === b.properties.code) });
      expect(land(b, after).map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
    }
    expect(nudged).toBeGreaterThan(10);
    expect(spoiled).toBeGreaterThan(10);
  });
});
