// Add a vertex on an edge, in every grid that has that edge (neighbours keep sharing it).
import type { GridFeature } from '../domain/types';
import { insertVertexIn } from './topology';
import { assertUnlocked } from './valid';
import { PlanError, type GridChange, type XY } from './types';

export function insertVertex(grids: GridFeature[], at: XY, tol?: number): GridChange {
  const before: GridFeature[] = [];
  const after: GridFeature[] = [];
  for (const g of grids) {
    const geometry = insertVertexIn(g.geometry, at, tol);
    if (geometry !== g.geometry) { before.push(g); after.push({ ...g, geometry }); }
  }
  if (before.length === 0) throw new PlanError('no_edge');
  assertUnlocked(before);
  return { before, after };
}
