// Split a grid along a line drawn across it: the grid's rings and the line are noded
// together and the grid's faces joined into pieces wherever the line does not separate them.
// The largest piece keeps the code; the others get the next free codes of the community.
import type { Position } from 'geojson';
import type { GridFeature } from '../domain/types';
import { geodesicArea } from '../checks/area';
import { arrange, piecesAcrossLines, traceLabels } from './overlay';
import { nextCode } from './grids';
import { withNeighbourVertices } from './neighbours';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type GridChange } from './types';

export function splitGrid(grids: GridFeature[], code: string, line: Position[]): GridChange {
  const grid = grids.find((g) => g.properties.code === code);
  if (!grid) throw new PlanError('no_grid', { code });
  if (line.length < 2) throw new PlanError('split_no_cross', { code });
  assertUnlocked([grid]);
  const A = arrange([grid.geometry], [line]);
  const piece = piecesAcrossLines(A, (f) => A.cover[f].length > 0);
  const ids = [...new Set(piece.filter((p) => p >= 0))];
  if (ids.length < 2) throw new PlanError('split_no_cross', { code });
  const shapes = [...traceLabels(A, (f) => (piece[f] < 0 ? -1 : ids.indexOf(piece[f]))).values()]
    .sort((a, b) => geodesicArea(b) - geodesicArea(a));
  const taken = new Set<string>();
  const after = shapes.map((geometry, k) => {
    if (k === 0) return { ...grid, geometry };
    const c = nextCode(grids, grid.properties.community_code, taken, grid.properties.kind);
    taken.add(c);
    return { ...grid, geometry, properties: { ...grid.properties, code: c, name: `${grid.properties.name}-${k + 1}` } };
  });
  return assertValid(withNeighbourVertices(grids, { before: [grid], after }));
}
