// Properties of editing: any sequence of edits undone as many times gives back the grids
// exactly; after any sequence of edits the checker, updated edit by edit, reports what a
// full check of the edited grids reports.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { randomDistrict } from '../support/random';
import { CoverageChecker } from '../../src/checks/engine';
import { planEdit } from '../../src/plan/apply';
import { applyChange } from '../../src/plan/grids';
import { EMPTY_HISTORY, pushEdit, replay, undo, type History } from '../../src/plan/history';
import { geomBBox } from '../../src/checks/land';
import { PlanError, type EditOp } from '../../src/plan/types';
import type { GridFeature } from '../../src/domain/types';

/** A random edit on the grids as they are (some are refused, as a planner's would be). */
function randomOp(grids: GridFeature[], buildings: { id: string }[], rnd: () => number): EditOp {
  const g = grids[Math.floor(rnd() * grids.length)];
  const ring = (g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates[0])[0];
  const v = ring[Math.floor(rnd() * (ring.length - 1))] as [number, number];
  const r7 = (x: number) => Math.round(x * 1e7) / 1e7;
  const other = grids[Math.floor(rnd() * grids.length)];
  switch (Math.floor(rnd() * 7)) {
    case 0: return { type: 'move_vertex', from: v, to: [r7(v[0] + (rnd() - 0.5) * 0.0006), r7(v[1] + (rnd() - 0.5) * 0.0006)] };
    case 1: return { type: 'move_vertex', from: v, to: [r7(v[0] + (rnd() - 0.5) * 0.0004), r7(v[1] + (rnd() - 0.5) * 0.0004)], alone: g.properties.code };
    case 2: {
      const [w, s, e, n] = geomBBox(g.geometry);
      const a = rnd() * Math.PI, cx = (w + e) / 2, cy = (s + n) / 2, d = Math.max(e - w, n - s);
      return { type: 'split', code: g.properties.code, line: [[cx - d * Math.cos(a), cy - d * Math.sin(a)], [cx + d * Math.cos(a), cy + d * Math.sin(a)]] };
    }
    case 3: return { type: 'merge', codes: [g.properties.code, other.properties.code] };
    case 4: return { type: 'hand_buildings', buildings: [buildings[Math.floor(rnd() * buildings.length)].id], to: other.properties.code };
    case 5: return { type: 'delete', code: g.properties.code };
    default: return { type: 'remove_vertex', at: v };
  }
}

describe('editing, as a sequence', () => {
  it('undoing every edit gives back the grids exactly, and the updated checker equals a full check', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 8 }), (seed, steps) => {
      const input = randomDistrict(seed);
      const checker = new CoverageChecker(input);
      const start = checker.currentGrids().slice();
      const original = JSON.stringify(start);
      const footprints = new Map(input.buildings.map((b) => [String(b.properties.id), b.geometry]));
      const ctx = { footprint: (id: string) => footprints.get(id), version: () => undefined, region: () => input.boundaries[0]?.geometry };
      const rnd = seedrandom(`ops-${seed}`);
      let history: History = EMPTY_HISTORY;
      let grids = start;
      let applied = 0;
      for (let k = 0; k < steps * 3 && applied < steps; k++) {
        const op = randomOp(grids, input.buildings.map((b) => ({ id: String(b.properties.id) })), rnd);
        let change;
        try { change = planEdit(grids, op, ctx); } catch (e) { if (e instanceof PlanError) continue; throw e; }
        checker.replaceGrids(change.before, change.after);
        grids = applyChange(grids, change);
        history = pushEdit(history, { op, change, at: 0 });
        applied++;
        expect(checker.currentGrids().map((x) => x.properties.code)).toEqual(grids.map((x) => x.properties.code));
      }
      expect(checker.report()).toEqual(new CoverageChecker({ ...input, grids }).report());
      expect(replay(start, history)).toEqual(grids);
      for (let u = undo(history); u; u = undo(history)) {
        checker.replaceGrids(u.change.before, u.change.after);
        grids = applyChange(grids, u.change);
        history = u.history;
      }
      expect(JSON.stringify(grids)).toBe(original);
      expect(checker.report()).toEqual(new CoverageChecker(input).report());
    }), { numRuns: 40 });
  });
});
