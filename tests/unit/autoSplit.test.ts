// Auto-split on generated communities (tests/support/community.ts): every proposed grid in
// band (or the proposal says why), the land tiled exactly (the land rule clean), no building
// cut, every grid one piece, households conserved, the same seed the same proposal.
import { describe, expect, it } from 'vitest';
import { CoverageChecker } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';
import { autoSplit } from '../../src/plan/autoSplit';
import { unitsIn } from '../../src/plan/units';
import { applyChange } from '../../src/plan/grids';
import { PlanError } from '../../src/plan/types';
import { makeCommunity } from '../support/community';

const LAND = ['gap', 'overlap', 'spill', 'invalid_edges'];

function setUp(seed: number, households = 2000, rows = false) {
  const c = makeCommunity(seed, { blocks: 6, perBlock: 9, households, rows });
  const input = { boundaries: [c.boundary], grids: [c.grid], buildings: c.buildings, households: householdsFromFeatures(c.households) };
  const checker = new CoverageChecker(input);
  const units = unitsIn(checker.assignment(), input.households.positions, new Set([0]));
  return { c, input, checker, units };
}

describe('auto-split', () => {
  for (const [seed, rows] of [[1, false], [2, false], [3, false], [11, true], [12, true]] as const) {
    it(`cuts a 2,000-household community into grids of about 180 (community ${seed}${rows ? ', city blocks of row houses' : ''})`, async () => {
      const { c, input, checker, units } = setUp(seed, 2000, rows);
      const before = checker.report();
      expect(before.findings.filter((f) => LAND.includes(f.kind))).toEqual([]);
      const { change, problems } = await autoSplit([c.grid], [c.grid.properties.code], units, { band: [150, 300], target: 180, seed: 1 });
      expect(problems).toEqual([]);
      const grids = applyChange([c.grid], change);
      expect(grids.length).toBe(Math.round(2000 / 180));
      const r = new CoverageChecker({ ...input, grids }).report();
      // tiles exactly the land it replaces
      expect(r.findings.filter((f) => LAND.includes(f.kind)).map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
      // no building cut, none left out (a footprint already over the community's edge stays as it was)
      const cut = (rep: typeof r) => rep.findings.filter((f) => f.kind === 'straddling_building' || f.kind === 'orphan_building').map((f) => `${f.ids[0]} ${f.measure.share ?? ''}`);
      expect(cut(r)).toEqual(cut(before));
      // each grid one piece, in band, households conserved
      for (const g of grids) expect(g.geometry.type).toBe('Polygon');
      expect(r.grids.reduce((s, g) => s + g.households, 0)).toBe(before.grids[0].households);
      for (const g of r.grids) expect(g.band_status, `${g.code}: ${g.households}`).toBe('in');
      const sizes = r.grids.map((g) => g.households);
      expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.6);
    });
  }

  it('gives the same proposal for the same seed, another for another seed', async () => {
    const { c, units } = setUp(4);
    const run = async (seed: number) => JSON.stringify((await autoSplit([c.grid], [c.grid.properties.code], units, { band: [150, 300], target: 180, seed })).change);
    expect(await run(7)).toBe(await run(7));
    expect(await run(8)).not.toBe(await run(7));
  });

  it('says how far it has come and stops when asked', async () => {
    const { c, units } = setUp(9);
    const seen: string[] = [];
    const p = await autoSplit([c.grid], [c.grid.properties.code], units, { band: [150, 300], target: 180 }, async (done, total) => { seen.push(`${done}/${total}`); return false; });
    expect(p.change.after.length).toBeGreaterThan(1);
    expect(seen).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    let err: unknown;
    try { await autoSplit([c.grid], [c.grid.properties.code], units, { band: [150, 300], target: 180 }, async (done) => done >= 2); } catch (e) { err = e; }
    expect((err as PlanError).code).toBe('cancelled');
  });

  it('says what cannot be done: too few households, a building over the band, no households', async () => {
    const small = setUp(5, 120);
    await expect(autoSplit([small.c.grid], [small.c.grid.properties.code], small.units, { band: [150, 300] })).rejects.toThrow(PlanError);
    const { c, units } = setUp(6);
    const big = { ...units[0], households: 400 };
    const p = await autoSplit([c.grid], [c.grid.properties.code], [big, ...units.slice(1)], { band: [150, 300], target: 180 });
    expect(p.problems).toContainEqual({ code: 'building_over_band', values: { id: big.id, n: 400, max: 300 } });
    let err: unknown;
    try { await autoSplit([c.grid], [c.grid.properties.code], [], { band: [150, 300] }); } catch (e) { err = e; }
    expect((err as PlanError).code).toBe('no_households');
  });

  it('never changes a locked or dedicated grid', async () => {
    const { c, units } = setUp(7);
    const locked = { ...c.grid, properties: { ...c.grid.properties, locked: true } };
    let err: unknown;
    try { await autoSplit([locked], [c.grid.properties.code], units, { band: [150, 300] }); } catch (e) { err = e; }
    expect((err as PlanError).code).toBe('locked');
  });
});
