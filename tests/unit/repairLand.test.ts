// Land repair on fixtures a person can open in a map (tests/fixtures/plan-repair/): snapped
// near-coincident corners, an overlap under the limit given away, a large gap left for the
// planner; after it the land check is clean for what was repaired, and no grid lost more
// than the limit.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairLand } from '../../src/plan/repairLand';
import { applyChange } from '../../src/plan/grids';
import { CoverageChecker } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';
import type { BoundaryFeature, GridFeature } from '../../src/domain/types';
import { makeCity } from '../../scripts/bench/city';
import { newLand } from '../../src/workspace/proposals';

const dir = 'tests/fixtures/plan-repair';
const LAND = ['gap', 'overlap', 'spill', 'invalid_edges'];

/** The land findings of the full check (with the community's outline, if there is one). */
function land(region: BoundaryFeature | undefined, grids: GridFeature[]) {
  const boundaries = region ? [{ ...region, properties: { ...region.properties, level: 'community' } } as BoundaryFeature] : [];
  return new CoverageChecker({ boundaries, grids, buildings: [], households: householdsFromFeatures([]) }).report().findings.filter((f) => LAND.includes(f.kind));
}
const regionsOf = (...rs: (BoundaryFeature | undefined)[]) => new Map(rs.filter((r) => r).map((r) => [r!.properties.code, r!.geometry]));

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
      const p = repairLand(grids, { regions: regionsOf(region) }, { snapM: 1, maxAreaM2: limit });
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

  it('repairs a city-size district of slivers, community by community and all at once', () => {
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
    const communities = city.boundaries.filter((x) => x.properties.level === 'community');
    for (const b of communities) {
      const members = grids.filter((g) => g.properties.community_code === b.properties.code);
      spoiled += land(b, members).length;
      const p = repairLand(grids, { codes: new Set(members.map((g) => g.properties.code)), regions: regionsOf(...communities) }, { snapM: 1, maxAreaM2: 500 });
      const after = applyChange(members, { before: p.change.before.filter((g) => members.includes(g)), after: p.change.after.filter((g) => g.properties.community_code === b.properties.code) });
      expect(land(b, after).map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
    }
    expect(nudged).toBeGreaterThan(10);
    expect(spoiled).toBeGreaterThan(10);
    // the whole district in one arrangement: clean
    const all = repairLand(grids, { regions: regionsOf(...communities) }, { snapM: 1, maxAreaM2: 500 });
    const after = applyChange(grids, all.change);
    expect(new CoverageChecker({ boundaries: city.boundaries, grids: after, buildings: [], households: householdsFromFeatures([]) }).report().findings.filter((f) => LAND.includes(f.kind))).toEqual([]);
  });

  it('tells a repair that would make a new gap or overlap from one that only takes them away', () => {
    const fc = JSON.parse(readFileSync(`${dir}/small-overlap.geojson`, 'utf8'));
    const region = fc.features.find((f: any) => f.properties.role === 'region');
    const grids: GridFeature[] = fc.features.filter((f: any) => f.properties.role === 'grid').map((f: any) => { const { role: _, ...p } = f.properties; return { ...f, properties: p }; });
    const check = (gs: GridFeature[]) => new CoverageChecker({ boundaries: [{ ...region, properties: { ...region.properties, level: 'community' } }], grids: gs, buildings: [], households: householdsFromFeatures([]) }).report();
    const before = check(grids);
    const repaired = applyChange(grids, repairLand(grids, { regions: regionsOf(region) }, { snapM: 1, maxAreaM2: 2000 }).change);
    expect(newLand(before, check(repaired))).toBeNull();
    // the overlap left as it is, and a corner of another grid pulled 30 m in: a new gap
    const g = grids[3];
    const ring = (g.geometry.coordinates as number[][][])[0].map((p) => [...p]);
    const c = ring.findIndex((p) => grids.filter((o) => o !== g && (o.geometry.coordinates as number[][][])[0].some((q) => q[0] === p[0] && q[1] === p[1])).length === 1);
    ring[c] = [ring[c][0] + 0.0003, ring[c][1] + 0.0002];
    if (c === 0) ring[ring.length - 1] = ring[0];
    const spoiled = grids.map((x) => (x === g ? { ...g, geometry: { type: 'Polygon' as const, coordinates: [ring] } } : x));
    const worse = newLand(before, check(spoiled));
    expect(worse).not.toBeNull();
    expect(['gap', 'overlap']).toContain(worse!.kind);
    expect(worse!.codes).toContain(g.properties.code);
  });
});
