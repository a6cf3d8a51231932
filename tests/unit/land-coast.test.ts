// The land rule on a district along a detailed coastline (tests/support/coast.ts): a boundary
// of 120,000 vertices whose vertices the grids' corners miss, and defects planted on purpose.
// Each planted defect is found exactly once, with its area; nothing else is listed.
import { describe, expect, it } from 'vitest';
import { checkLandRegion } from '../../src/checks/land';
import { coastCase } from '../support/coast';

describe('land rule along a 120,000-vertex coast', () => {
  const c = coastCase({ cols: 20, rows: 20, coastVertices: 120_000 });
  const r = checkLandRegion({ code: 'coast', geometry: c.region, members: c.members, onTop: [] }, { sliverM2: 1 });

  it('has the outline and the defects it says', () => {
    expect(c.region.coordinates[0].length).toBeGreaterThan(100_000);
    expect(c.members.length).toBeGreaterThan(400);
    expect(new Set(c.planted.map((p) => p.kind))).toEqual(new Set(['gap', 'overlap', 'spill']));
  });

  it('finds every planted defect once, with its area, and nothing else', () => {
    const key = (kind: string, ids: string[]) => `${kind}|${[...ids].sort().join(',')}`;
    const want = c.planted.flatMap((p) => p.findings.map((ids) => key(p.kind, ids))).sort();
    expect(r.findings.map((f) => key(f.kind, f.ids)).sort()).toEqual(want);
    for (const p of c.planted) {
      const got = r.findings.filter((f) => f.kind === p.kind && p.findings.some((ids) => key(f.kind, ids) === key(f.kind, f.ids)));
      const total = got.reduce((s, f) => s + f.area_m2, 0);
      // GeographicLib's edges are geodesics, the engine's straight in lon/lat: a few cm² apart on edges of 400 m.
      expect(Math.abs(total - p.area_m2), p.what).toBeLessThan(1e-5 * p.area_m2);
    }
  });
});
