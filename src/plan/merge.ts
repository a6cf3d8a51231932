// Merge adjacent grids into one: their faces joined (shared edges vanish, every other vertex
// stays, so the neighbours still meet the result vertex to vertex). The lowest code keeps its
// properties. Grids that do not share an edge are refused (the result would be in pieces).
import type { GridFeature } from '../domain/types';
import { arrange, traceLabels } from './overlay';
import { byCode } from './grids';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type GridChange } from './types';

export function mergeGrids(grids: GridFeature[], codes: string[]): GridChange {
  const want = new Set(codes);
  const before = grids.filter((g) => want.has(g.properties.code)).sort(byCode);
  if (before.length < 2) throw new PlanError('merge_too_few');
  assertUnlocked(before);
  const A = arrange(before.map((g) => g.geometry));
  const geometry = traceLabels(A, (f) => (A.cover[f].length > 0 ? 0 : -1)).get(0);
  if (!geometry) throw new PlanError('merge_too_few');
  if (geometry.type === 'MultiPolygon') throw new PlanError('merge_not_touching', { codes: before.map((g) => g.properties.code).join('、') });
  return assertValid({ before, after: [{ ...before[0], geometry }] });
}
