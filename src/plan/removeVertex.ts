// Remove a vertex from every grid that has it (or from one grid alone).
import type { GridFeature } from '../domain/types';
import { gridsWithVertex, removeVertexIn } from './topology';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type GridChange, type XY } from './types';

export function removeVertex(grids: GridFeature[], at: XY, alone?: string): GridChange {
  const before = gridsWithVertex(grids, at).filter((g) => !alone || g.properties.code === alone);
  if (before.length === 0) throw new PlanError('no_vertex');
  assertUnlocked(before);
  const after = before.map((g) => {
    const geometry = removeVertexIn(g.geometry, at);
    if (!geometry) throw new PlanError('too_few_vertices', { code: g.properties.code });
    return { ...g, geometry };
  });
  return assertValid({ before, after });
}
