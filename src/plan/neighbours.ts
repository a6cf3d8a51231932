// After an edit made new corners on the edge between an edited grid and one it did not
// touch, that neighbour gets the same corner on its edge: grids keep meeting vertex to
// vertex (what the land check's vertex matching expects), and nothing else moves.
import type { GridFeature } from '../domain/types';
import { insertVertexIn, newVertices } from './topology';
import { isLocked } from './grids';
import type { GridChange } from './types';

export function withNeighbourVertices(grids: GridFeature[], change: GridChange): GridChange {
  const points = newVertices(change.before.map((g) => g.geometry), change.after.map((g) => g.geometry));
  if (points.length === 0) return change;
  const inChange = new Set([...change.before, ...change.after].map((g) => g.properties.code));
  const extraBefore: GridFeature[] = [];
  const extraAfter: GridFeature[] = [];
  for (const g of grids) {
    if (inChange.has(g.properties.code) || isLocked(g)) continue;
    let geometry = g.geometry;
    for (const p of points) geometry = insertVertexIn(geometry, p);
    if (geometry !== g.geometry) { extraBefore.push(g); extraAfter.push({ ...g, geometry }); }
  }
  return { before: [...change.before, ...extraBefore], after: [...change.after, ...extraAfter] };
}
