// Auto-merge on the editing fixture (tests/fixtures/plan/street.geojson): undersized grids
// joined with a neighbour that shares an edge, so that the two fit the band; corner-only
// neighbours, locked and dedicated grids never used.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autoMerge } from '../../src/plan/autoMerge';
import { applyChange } from '../../src/plan/grids';
import { PlanError } from '../../src/plan/types';
import type { GridFeature } from '../../src/domain/types';

const street = JSON.parse(readFileSync('tests/fixtures/plan/street.geojson', 'utf8')).features as any[];
const grids: GridFeature[] = street.filter((f) => f.properties.role === 'grid').map((f) => { const { role: _, ...p } = f.properties; return { ...f, properties: p }; });
// households 15, 15, 18, 15 (the fixture); a band of 25–40 puts every grid under it
const sizes = (band: [number, number]) => [['001', 15], ['002', 15], ['003', 18], ['004', 15]].map(([c, n]) => ({ code: `310101001001${c}`, households: n as number, band }));

describe('auto-merge', () => {
  it('joins each undersized grid with an edge neighbour so that both fit the band', () => {
    const p = autoMerge(grids, sizes([25, 40]), '310101001001');
    // 001 (15) first: its edge neighbours are 002 and 003 (004 touches it at a corner only)
    expect(p.merges).toEqual([['310101001001001', '310101001001002'], ['310101001001004', '310101001001003']]);
    expect(p.problems).toEqual([]);
    const after = applyChange(grids, p.change);
    expect(after.map((g) => g.properties.code)).toEqual(['310101001001001', '310101001001003']);
    for (const g of after) expect(g.geometry.type).toBe('Polygon');
  });

  it('leaves a grid that fits nowhere and says so; never touches a locked grid', () => {
    const locked = grids.map((g) => (g.properties.code.endsWith('002') || g.properties.code.endsWith('003') ? { ...g, properties: { ...g.properties, locked: true } } : g));
    let err: unknown;
    try { autoMerge(locked, sizes([25, 40]), '310101001001'); } catch (e) { err = e; }
    // 001 and 004 touch at one point only; their edge neighbours are locked
    expect((err as PlanError).code).toBe('no_merge_fits');
    expect(() => autoMerge(grids, sizes([10, 40]), '310101001001')).toThrow(PlanError); // none under band
  });
});
