// The boundary rule (DESIGN rule 3): a household exactly on an edge two grids share belongs
// to exactly one of them, on sloped edges too, where the crossing is worked out in floating
// point (each grid runs the edge the other way round). Points on every kind of shared vertex
// and halfway along edges, on jittered lattices of grids (tests/support/randomDistrict.ts).
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';
import { randomDistrict } from '../support/randomDistrict';

describe('a point on a shared edge', () => {
  it('belongs to exactly one grid', () => {
    let onEdges = 0;
    const wrong: string[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const d = randomDistrict({ seed, cols: 4, rows: 3, communities: 2, outlines: true, moved: 0, onTop: false, badCodes: false });
      const r = runChecks({ ...d, households: householdsFromFeatures(d.households as never) }).report;
      // the points on the grids' vertices and edges inside the district (those on its outside may fall a hair out)
      const placed = d.households.filter((h) => h.properties!.outer === false).map((h) => String(h.properties!.id));
      onEdges += placed.length;
      for (const f of r.findings) if ((f.kind === 'double_household' || f.kind === 'orphan_household') && placed.includes(f.ids[0])) wrong.push(`${seed}: ${f.kind} ${f.ids.join(' ')}`);
    }
    expect(onEdges).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });
});
