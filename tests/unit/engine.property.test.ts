// Properties of the engine on random districts, and agreement with the Turf reference.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { booleanPointInPolygon, point } from '@turf/turf';
import { CoverageChecker, runChecks } from '../../src/checks/engine';
import { randomDistrict } from '../support/random';
import { referenceBuilding, referenceLocate } from '../support/reference';

const HOUSEHOLD_KINDS = ['orphan_household', 'double_household', 'dangling_household', 'misplaced_household'];

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('engine properties', () => {
  it('every household lands in exactly one outcome and the totals conserve', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      const input = randomDistrict(seed);
      const { report, assignment } = runChecks(input);
      const flagged = new Map<string, number>();
      for (const f of report.findings) if (HOUSEHOLD_KINDS.includes(f.kind)) flagged.set(f.ids[0], (flagged.get(f.ids[0]) ?? 0) + 1);
      for (const n of flagged.values()) expect(n).toBe(1); // at most one outcome each
      const inGrids = report.grids.reduce((s, g) => s + g.households, 0);
      const placed = Array.from(assignment.householdGrid).filter((g) => g >= 0).length;
      expect(inGrids).toBe(placed);
      expect(report.summary.totals.households).toBe(input.households.ids.length);
      const ok = input.households.ids.length - flagged.size;
      expect(report.summary.scores.households).toBeLessThanOrEqual(ok / input.households.ids.length + 1e-9);
    }), { numRuns: 25 });
  });

  it('does not depend on the order of the input', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (seed, order) => {
      const input = randomDistrict(seed);
      const a = runChecks(input).report;
      const perm = shuffle(input.households.ids.map((_, i) => i), order);
      const h = input.households;
      const b = runChecks({
        boundaries: input.boundaries,
        grids: shuffle(input.grids, order + 1),
        buildings: shuffle(input.buildings, order + 2),
        households: {
          ids: perm.map((i) => h.ids[i]),
          buildingIds: perm.map((i) => h.buildingIds[i]),
          residents: perm.map((i) => h.residents[i]),
          positions: Float64Array.from(perm.flatMap((i) => [h.positions[2 * i], h.positions[2 * i + 1]])),
        },
      }).report;
      const key = (f: { kind: string; ids: string[]; measure: object }) => `${f.kind}|${f.ids.join(',')}|${JSON.stringify(f.measure)}`;
      expect(b.findings.map(key).sort()).toEqual(a.findings.map(key).sort());
      expect(b.grids).toEqual(a.grids);
      expect(b.summary).toEqual(a.summary);
    }), { numRuns: 15 });
  });

  it('agrees with the slow Turf reference on random data', () => {
    for (const seed of [11, 23, 47, 101, 997]) {
      const input = randomDistrict(seed);
      const { assignment } = runChecks(input);
      const grids = assignment.grids;
      const { positions } = input.households;
      let compared = 0;
      for (let i = 0; i < input.households.ids.length; i++) {
        const x = positions[2 * i], y = positions[2 * i + 1];
        if (!Number.isFinite(x)) continue;
        // Points exactly on an edge are decided by the half-open rule, which Turf does not have.
        const p = point([x, y]);
        if (grids.some((g) => booleanPointInPolygon(p, g) !== booleanPointInPolygon(p, g, { ignoreBoundary: true }))) continue;
        expect(assignment.householdGrid[i], `household ${input.households.ids[i]}`).toBe(referenceLocate(grids, x, y));
        compared++;
      }
      expect(compared).toBeGreaterThan(300);
      assignment.buildings.forEach((b, i) => {
        const ref = referenceBuilding(grids, b);
        expect(assignment.buildingGrid[i], `building ${b.properties.id}`).toBe(ref.grid);
        if (ref.grid >= 0) expect(assignment.buildingShare[i]).toBeCloseTo(ref.share, 6);
      });
    }
  });
});

describe('incremental re-check', () => {
  it('after a grid edit gives the same report as a full check of the edited data', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.nat(), fc.double({ min: -0.0004, max: 0.0004, noNaN: true }), (seed, pick, d) => {
      const input = randomDistrict(seed);
      const checker = new CoverageChecker(input);
      const g = input.grids[pick % input.grids.length];
      const ring = (g.geometry.coordinates as number[][][])[0].map((p) => [...p]);
      const k = 1 + (pick % (ring.length - 2));
      ring[k] = [Math.round((ring[k][0] + d) * 1e7) / 1e7, Math.round((ring[k][1] - d) * 1e7) / 1e7];
      const geometry = { type: 'Polygon' as const, coordinates: [ring] };
      try {
        checker.updateGrid(g.properties.code, geometry);
      } catch (e) {
        // a move that makes the ring cross itself is refused, and nothing changes
        expect(String(e)).toMatch(/self-intersecting/);
        expect(checker.report()).toEqual(new CoverageChecker(input).report());
        return;
      }
      const edited = { ...input, grids: input.grids.map((x) => (x === g ? { ...x, geometry } : x)) };
      expect(checker.report()).toEqual(new CoverageChecker(edited).report());
    }), { numRuns: 30 });
  });
});

describe('incremental re-check with the report kept between edits', () => {
  it('after each of many edits gives the report a full check of the edited data gives', () => {
    for (const seed of [7, 19, 313]) {
      const input = randomDistrict(seed);
      const checker = new CoverageChecker(input);
      checker.report(); // the parts are kept from here on: each edit then replaces only what it touched
      let s = seed;
      const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      let edited = 0;
      for (let e = 0; e < 12; e++) {
        const now = checker.currentGrids();
        const g = now[Math.floor(rand() * now.length)];
        if (g.geometry.type !== 'Polygon') continue;
        const ring = g.geometry.coordinates[0].map((p) => [...p]);
        const k = 1 + Math.floor(rand() * (ring.length - 2));
        const d = (rand() - 0.5) * 0.0008;
        ring[k] = [Math.round((ring[k][0] + d) * 1e7) / 1e7, Math.round((ring[k][1] - d) * 1e7) / 1e7];
        try { checker.updateGrid(g.properties.code, { type: 'Polygon', coordinates: [ring] }); } catch { continue; }
        edited++;
        const fresh = new CoverageChecker({ ...input, grids: checker.currentGrids().map((x) => ({ ...x })) }).report();
        expect(checker.report()).toEqual(fresh);
      }
      expect(edited).toBeGreaterThan(5);
    }
  });
});

describe('incremental re-check of a district with one boundary (the land worked out again only around the edit)', () => {
  it('after each shared-vertex move, one-grid move (gaps, overlaps opened and closed) and edit at the boundary gives the full check', async () => {
    const { moveVertex } = await import('../../src/plan/moveVertex');
    const { gridsWithVertex } = await import('../../src/plan/topology');
    let compared = 0;
    for (const seed of [5, 31, 77, 404]) {
      const base = randomDistrict(seed, { cols: 6, rows: 5, buildings: 80, households: 300 });
      // One district boundary, no community boundaries: the whole district is one region.
      const input = { ...base, boundaries: base.boundaries.map((b) => ({ ...b, properties: { ...b.properties, code: '370705', level: 'district' as const, parent_code: '' } })) };
      const checker = new CoverageChecker(input);
      checker.report();
      let s = seed;
      const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      for (let e = 0; e < 14; e++) {
        const now = checker.currentGrids();
        const g = now[Math.floor(rand() * now.length)];
        if (g.geometry.type !== 'Polygon') continue;
        const ring = g.geometry.coordinates[0];
        const p = ring[Math.floor(rand() * (ring.length - 1))];
        const d = (rand() - 0.5) * 0.0006;
        const to: [number, number] = [Math.round((p[0] + d) * 1e7) / 1e7, Math.round((p[1] - d * 0.7) * 1e7) / 1e7];
        // even edits: the vertex moved in every grid holding it (shared, or at the boundary); odd: in this grid alone
        const alone = e % 2 === 1 || gridsWithVertex(now, [p[0], p[1]]).length < 2;
        let change;
        try { change = moveVertex(now, [p[0], p[1]], to, alone ? g.properties.code : undefined); } catch { continue; }
        try { checker.replaceGrids(change.before, change.after); } catch { continue; }
        const fresh = new CoverageChecker({ ...input, grids: checker.currentGrids().map((x) => ({ ...x })) }).report();
        expect(checker.report()).toEqual(fresh);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});
