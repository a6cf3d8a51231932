// Delete a grid: its land becomes a gap that the checks show.
import type { GridFeature } from '../domain/types';
import { assertUnlocked } from './valid';
import { PlanError, type GridChange } from './types';

export function deleteGrid(grids: GridFeature[], code: string): GridChange {
  const grid = grids.find((g) => g.properties.code === code);
  if (!grid) throw new PlanError('no_grid', { code });
  assertUnlocked([grid]);
  return { before: [grid], after: [] };
}
