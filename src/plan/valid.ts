// What every edit's result must be: valid areas (no self-intersection, no zero-area ring,
// no spike), or the edit is refused and nothing changes.
import type { GridFeature } from '../domain/types';
import { checkArea } from '../checks/repair';
import { areaProblem } from '../checks/validate';
import { isLocked } from './grids';
import { PlanError, type GridChange } from './types';

export function assertValid(change: GridChange): GridChange {
  for (const g of change.after) {
    const structural = areaProblem(g.geometry);
    if (structural) throw new PlanError('invalid_result', { code: g.properties.code, what: structural.code });
    const defect = checkArea(g.geometry);
    if (defect) throw new PlanError('invalid_result', { code: g.properties.code, what: defect.code });
  }
  return change;
}

/** Refuses a change to any locked grid's outline or existence. */
export function assertUnlocked(grids: GridFeature[]) {
  const locked = grids.filter(isLocked).map((g) => g.properties.code);
  if (locked.length) throw new PlanError('locked', { codes: locked.join('、') });
}
