// One edit operation → the change it makes to the grids (pure: the grids are not touched).
// Footprints and saved versions, which the grids do not hold, come from the caller.
import type { AreaGeometry, GridFeature } from '../domain/types';
import type { EditOp, GridChange } from './types';
import { PlanError } from './types';
import { moveVertex } from './moveVertex';
import { insertVertex } from './insertVertex';
import { removeVertex } from './removeVertex';
import { splitGrid } from './split';
import { mergeGrids } from './merge';
import { drawGrid } from './drawGrid';
import { deleteGrid } from './deleteGrid';
import { handBuildings } from './handBuildings';
import { lockGrids } from './lock';
import { renumber } from './renumber';
import { restoreGrids } from './restore';
import { assertUnlocked, assertValid } from './valid';

export interface PlanContext {
  footprint(id: string): AreaGeometry | undefined;
  version(id: string): GridFeature[] | undefined;
  /** a community's outline, when loaded */
  region(code: string): AreaGeometry | undefined;
  /** on a shared district: the change one's own undo of edit `of` makes (src/plan/shared.ts) */
  undo?(of: number | undefined): GridChange;
}

export function planEdit(grids: GridFeature[], op: EditOp, ctx: PlanContext): GridChange {
  switch (op.type) {
    case 'move_vertex': return moveVertex(grids, op.from, op.to, op.alone);
    case 'insert_vertex': return insertVertex(grids, op.at);
    case 'remove_vertex': return removeVertex(grids, op.at, op.alone);
    case 'split': return splitGrid(grids, op.code, op.line);
    case 'merge': return mergeGrids(grids, op.codes);
    case 'draw': return drawGrid(grids, op, ctx.region(op.community_code));
    case 'delete': return deleteGrid(grids, op.code);
    case 'hand_buildings': {
      const prints = op.buildings.map((id) => {
        const f = ctx.footprint(id);
        if (!f) throw new PlanError('no_building', { id });
        return f;
      });
      return handBuildings(grids, prints, op.to);
    }
    case 'lock': return lockGrids(grids, op.codes, op.locked);
    case 'renumber': return renumber(grids, op.community_code).change;
    case 'proposal': {
      const want = new Set(op.before);
      const before = grids.filter((g) => want.has(g.properties.code));
      if (before.length !== want.size) throw new PlanError('proposal_stale');
      assertUnlocked(before);
      return assertValid({ before, after: op.after });
    }
    case 'undo': {
      if (!ctx.undo) throw new PlanError('nothing_to_undo');
      return ctx.undo(op.of);
    }
    case 'restore': {
      const v = ctx.version(op.version);
      if (!v) throw new PlanError('no_version', { id: op.version });
      return restoreGrids(grids, v);
    }
  }
}
