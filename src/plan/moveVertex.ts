// Move a vertex: in every grid that has a vertex at the same place (a shared corner moves in
// all its grids, so no gap or overlap opens), or in one grid alone. Landing on another grid's
// edge adds the vertex to that edge too, so the grids meet vertex to vertex.
import type { GridFeature } from '../domain/types';
import { gridsWithVertex, moveVertexIn } from './topology';
import { withNeighbourVertices } from './neighbours';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type GridChange, type XY } from './types';

export function moveVertex(grids: GridFeature[], from: XY, to: XY, alone?: string): GridChange {
  const holders = gridsWithVertex(grids, from).filter((g) => !alone || g.properties.code === alone);
  if (holders.length === 0) throw new PlanError('no_vertex');
  if (from[0] === to[0] && from[1] === to[1]) throw new PlanError('no_change');
  assertUnlocked(holders);
  const after = holders.map((g) => ({ ...g, geometry: moveVertexIn(g.geometry, from, to) }));
  return assertValid(withNeighbourVertices(grids, { before: holders, after }));
}
