// Editing operations on fixtures a person can open in a map (tests/fixtures/plan/): each case
// names an edit and what must hold after it; the grids after it are beside it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import geographiclib from 'geographiclib-geodesic';
import { planEdit } from '../../src/plan/apply';
import { applyChange } from '../../src/plan/grids';
import { PlanError, type EditOp } from '../../src/plan/types';
import { runChecks } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';
import type { AreaGeometry, BoundaryFeature, BuildingFeature, GridFeature, HouseholdFeature } from '../../src/domain/types';

const dir = 'tests/fixtures/plan';
const street = JSON.parse(readFileSync(`${dir}/street.geojson`, 'utf8')).features as { properties: { role: string } }[];
const of = <T>(role: string) => street.filter((f) => f.properties.role === role).map((f) => { const { role: _, ...properties } = f.properties; return { ...f, properties }; }) as T[];
const boundaries = of<BoundaryFeature>('region');
const grids = of<GridFeature>('grid');
const buildings = of<BuildingFeature>('building');
const households = of<HouseholdFeature>('household');
const ctx = { footprint: (id: string) => buildings.find((b) => b.properties.id === id)?.geometry, version: () => undefined, region: (c: string) => boundaries.find((b) => b.properties.code === c)?.geometry };

function check(gs: GridFeature[]) {
  return runChecks({ boundaries, grids: gs, buildings, households: householdsFromFeatures(households) }).report;
}

/** Geodesic area (m²) with GeographicLib, independent of the engine's own. */
function area(g: AreaGeometry): number {
  let total = 0;
  for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    poly.forEach((ring, k) => {
      const p = geographiclib.Geodesic.WGS84.Polygon(false);
      for (const q of ring.slice(0, -1)) p.AddPoint(q[1], q[0]);
      total += (k === 0 ? 1 : -1) * Math.abs(p.Compute(false, true).area!);
    });
  }
  return total;
}
const totalArea = (gs: GridFeature[]) => gs.reduce((s, g) => s + area(g.geometry), 0);
const LAND = ['gap', 'overlap', 'spill', 'invalid_edges'];

describe('editing operations', () => {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', ''));
  it('has its fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(10));

  it('starts from a clean coverage', () => {
    const r = check(grids);
    expect(r.findings.filter((f) => LAND.includes(f.kind))).toEqual([]);
    expect(Object.fromEntries(r.grids.map((g) => [g.code, g.households]))).toEqual({ '310101001001001': 15, '310101001001002': 15, '310101001001003': 18, '310101001001004': 15 });
  });

  for (const name of cases) {
    it(name, () => {
      const c = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as { op: EditOp; first?: EditOp[]; expect: any };
      let current = grids;
      for (const op of c.first ?? []) current = applyChange(current, planEdit(current, op, ctx));
      if ('refused' in c.expect) {
        const copy = JSON.stringify(current);
        let err: unknown;
        try { planEdit(current, c.op, ctx); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(PlanError);
        expect((err as PlanError).code).toBe(c.expect.refused);
        expect(JSON.stringify(current)).toBe(copy); // nothing changed
        return;
      }
      const after = applyChange(current, planEdit(current, c.op, ctx));
      const r = check(after);
      expect(after.map((g) => g.properties.code)).toEqual(c.expect.grids);
      expect(Object.fromEntries(r.grids.map((g) => [g.code, g.households]))).toEqual(c.expect.households);
      const land = [...new Set(r.findings.filter((f) => LAND.includes(f.kind)).map((f) => f.kind))];
      if (c.expect.land_clean) expect(land).toEqual([]);
      else expect(land).toEqual(c.expect.findings);
      // Edits that keep the land clean keep its area (delete leaves a gap; a move alone an overlap).
      if (c.expect.land_clean) expect(Math.abs(totalArea(after) - totalArea(grids)) / totalArea(grids)).toBeLessThan(1e-9);
      // As the fixture beside it has it.
      const saved = JSON.parse(readFileSync(`${dir}/${name}.after.geojson`, 'utf8')).features;
      expect(after).toEqual(saved);
    });
  }

  it('a deleted grid leaves a gap of exactly its area', () => {
    const after = applyChange(grids, planEdit(grids, { type: 'delete', code: '310101001001002' }, ctx));
    const gap = check(after).findings.find((f) => f.kind === 'gap')!;
    expect(gap.measure.area_m2! / area(grids[1].geometry)).toBeCloseTo(1, 6);
  });

  it('a base grid drawn roughly over a gap fills it exactly', () => {
    const gone = applyChange(grids, planEdit(grids, { type: 'delete', code: '310101001001002' }, ctx));
    const [x0, y0] = [121.47, 31.23];
    const ring = [[x0 + 0.0035, y0 + 0.0035], [x0 + 0.0085, y0 + 0.0035], [x0 + 0.0085, y0 + 0.0085], [x0 + 0.0035, y0 + 0.0085]];
    const filled = applyChange(gone, planEdit(gone, { type: 'draw', kind: 'base', community_code: '310101001001', ring }, ctx));
    const r = check(filled);
    expect(r.findings.filter((f) => LAND.includes(f.kind))).toEqual([]);
    expect(r.grids.find((g) => g.code === '310101001001005')?.households).toBe(15);
  });
});
