// Rules 2–6 on a fixture a person can open in a map (tests/fixtures/engine/rules.geojson),
// with the expected findings and assignments beside it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import { readLayeredFixture } from '../support/fixtures';

const key = (f: { kind: string; ids: string[] }) => `${f.kind}:${f.ids.join(',')}`;

describe('engine on tests/fixtures/engine/rules.geojson', () => {
  const input = readLayeredFixture('tests/fixtures/engine/rules.geojson');
  const expected = JSON.parse(readFileSync('tests/fixtures/engine/rules.expected.json', 'utf8'));
  const { report, assignment } = runChecks(input);

  it('finds exactly the expected findings', () => {
    expect(report.findings.map(key).sort()).toEqual(expected.findings.map(key).sort());
  });

  it('assigns buildings to the grid with the largest share, dedicated grids first', () => {
    for (const [id, code] of Object.entries(expected.buildings)) {
      const i = assignment.buildings.findIndex((b) => b.properties.id === id);
      expect(assignment.grids[assignment.buildingGrid[i]].properties.code, id).toBe(code);
    }
    const b7 = assignment.buildings.findIndex((b) => b.properties.id === 'B7');
    expect(assignment.buildingShare[b7]).toBeCloseTo(0.96, 2);
  });

  it('places each household in one grid, points on shared edges and vertices included', () => {
    for (const [id, code] of Object.entries(expected.households_grid)) {
      const i = input.households.ids.indexOf(id);
      expect(assignment.grids[assignment.householdGrid[i]].properties.code, id).toBe(code);
    }
    for (const g of report.grids) expect(g.households, g.code).toBe(expected.grid_households[g.code]);
  });

  it('summarises counts and scores', () => {
    const s = report.summary;
    expect(s.counts.straddling_building).toBe(2);
    expect(s.counts.misplaced_household).toBe(2);
    expect(s.totals.households).toBe(9);
    expect(s.scores.buildings).toBeCloseTo(5 / 8, 6);
    expect(s.scores.people).toBeCloseTo(8 / 9, 6);
    expect(s.scores.land).toBe(1);
    expect(s.clean).toBe(false);
  });
});

describe('bad input is named, counted and skipped; the rest is checked', () => {
  const input = readLayeredFixture('tests/fixtures/engine/rules.geojson');
  const b1 = input.buildings[0];
  const h = input.households;
  const withBad = {
    ...input,
    buildings: [...input.buildings, { ...b1, properties: { ...b1.properties } }], // duplicate id B1
    households: {
      ids: [...h.ids, 'H1', 'HX', 'HY', ''],
      buildingIds: [...h.buildingIds, 'B1', 'B1', 'B1', 'B1'],
      residents: [...Array.from(h.residents), 2, 2, 2, 2],
      positions: Float64Array.from([...h.positions, 119.1002, 36.7008, 36.7008, 119.1002, 512345.6, 4061234.5, 119.1002, 36.7008]),
    },
  };
  const { report } = runChecks(withBad);
  const reasons = report.skipped.map((s) => `${s.layer} ${s.id}: ${s.code}`).sort();

  it('lists each skipped item with its reason', () => {
    expect(reasons).toEqual([
      'buildings B1: duplicate_id',
      'households #13: missing_property',
      'households H1: duplicate_id',
      'households HX: lat_lon',
      'households HY: not_degrees',
    ]);
    expect(report.summary.skipped).toBe(5);
  });

  it('still checks everything else, as before', () => {
    const clean = runChecks(input).report;
    expect(report.findings).toEqual(clean.findings);
    expect(report.grids).toEqual(clean.grids);
  });
});
