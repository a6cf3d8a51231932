// Hand buildings to a grid: the land under their footprints goes to that grid, taken from the
// grids that held it (the boundary follows the footprint, so each building ends up wholly in
// its new grid and its households go with it, as Districtr paints units into districts).
// One arrangement of the grids and footprints, so the new edges are shared exactly.
import type { AreaGeometry, GridFeature } from '../domain/types';
import { geomBBox } from '../checks/land';
import { arrange, traceLabels } from './overlay';
import { withNeighbourVertices } from './neighbours';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type GridChange } from './types';

export function handBuildings(grids: GridFeature[], footprints: AreaGeometry[], to: string): GridChange {
  const target = grids.find((g) => g.properties.code === to);
  if (!target) throw new PlanError('no_grid', { code: to });
  if (footprints.length === 0) throw new PlanError('hand_nothing');
  assertUnlocked([target]);
  const boxes = footprints.map(geomBBox);
  const overlapsBox = (g: GridFeature) => {
    const [a, b, c, d] = geomBBox(g.geometry);
    return boxes.some(([w, s, e, n]) => a <= e && c >= w && b <= n && d >= s);
  };
  // Base grids give up land to a base grid; a dedicated grid takes it from whatever lies under.
  const others = grids.filter((g) => g !== target && overlapsBox(g) && (target.properties.kind === 'dedicated' || g.properties.kind === 'base'));
  const areas = [target.geometry, ...others.map((g) => g.geometry), ...footprints];
  const A = arrange(areas);
  const nGrids = 1 + others.length;
  const inPrint = (f: number) => A.cover[f].some((i) => i >= nGrids);
  const holders = others.filter((_, i) => A.cover.some((c, f) => inPrint(f) && c.includes(i + 1)));
  assertUnlocked(holders);
  const shapes = traceLabels(A, (f) => {
    const c = A.cover[f];
    if (inPrint(f) && c.some((i) => i < nGrids)) return 0; // under a footprint, in some grid: the target's
    if (c.includes(0)) return 0;
    const g = c.find((i) => i < nGrids);
    return g === undefined ? -1 : g;
  });
  const geometry = shapes.get(0)!;
  const pieces = (g: AreaGeometry) => (g.type === 'MultiPolygon' ? g.coordinates.length : 1);
  if (pieces(geometry) > pieces(target.geometry)) throw new PlanError('hand_not_adjacent', { code: to });
  const after: GridFeature[] = [{ ...target, geometry }];
  const before: GridFeature[] = [target];
  for (const g of holders) {
    before.push(g);
    const rest = shapes.get(others.indexOf(g) + 1);
    if (rest) after.push({ ...g, geometry: rest });
  }
  return assertValid(withNeighbourVertices(grids, { before, after }));
}
