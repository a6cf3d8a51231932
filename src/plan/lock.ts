// Lock or unlock grids: a locked grid is changed by no edit until it is unlocked.
import type { GridFeature } from '../domain/types';
import { isLocked } from './grids';
import { PlanError, type GridChange } from './types';

export function lockGrids(grids: GridFeature[], codes: string[], locked: boolean): GridChange {
  const want = new Set(codes);
  const before = grids.filter((g) => want.has(g.properties.code) && isLocked(g) !== locked);
  if (before.length === 0) throw new PlanError('no_change');
  return { before, after: before.map((g) => ({ ...g, properties: { ...g.properties, locked } })) };
}
