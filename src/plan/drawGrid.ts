// Draw a new grid. A base grid takes the land inside the drawn ring that no base grid covers
// (drawing roughly over a gap fills it exactly, within the community's outline). A dedicated
// grid is carved out of the base grids under it (they lose that land) or, `on_top`, drawn
// over them as it is, both forms the checks understand.
import type { Position } from 'geojson';
import type { AreaGeometry, DedicatedType, GridFeature } from '../domain/types';
import { geomBBox } from '../checks/land';
import { arrange, traceLabels } from './overlay';
import { nextCode } from './grids';
import { withNeighbourVertices } from './neighbours';
import { assertUnlocked, assertValid } from './valid';
import { PlanError, type EditOp, type GridChange } from './types';

type DrawOp = Extract<EditOp, { type: 'draw' }>;

/** `region`: the community's outline, when known: a base grid fills no land outside it. */
export function drawGrid(grids: GridFeature[], op: DrawOp, region?: AreaGeometry): GridChange {
  const ring = closed(op.ring);
  if (ring.length < 4) throw new PlanError('draw_too_short');
  const drawn: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
  const code = nextCode(grids, op.community_code, new Set(), op.kind);
  const props = {
    code, name: code, kind: op.kind, community_code: op.community_code,
    dedicated_type: (op.kind === 'dedicated' ? op.dedicated_type ?? '' : '') as DedicatedType, band_min: null, band_max: null,
  };
  if (op.kind === 'dedicated' && op.on_top) return assertValid({ before: [], after: [{ type: 'Feature', properties: props, geometry: drawn }] });

  const [w, s, e, n] = geomBBox(drawn);
  const near = grids.filter((g) => {
    if (g.properties.kind !== 'base' && !(op.kind === 'base' && g.properties.kind === 'dedicated')) return false;
    const [a, b, c, d] = geomBBox(g.geometry);
    return a <= e && c >= w && b <= n && d >= s;
  });
  const A = arrange([drawn, ...near.map((g) => g.geometry), ...(region && op.kind === 'base' ? [region] : [])]);
  const inDrawn = (f: number) => A.cover[f].includes(0);
  if (op.kind === 'base') {
    const regionAt = near.length + 1;
    const free = (f: number) => A.cover[f].every((i) => i === 0 || i === regionAt) && (!region || A.cover[f].includes(regionAt));
    const fill = traceLabels(A, (f) => (inDrawn(f) && free(f) ? 0 : -1)).get(0);
    if (!fill) throw new PlanError('draw_nothing_to_fill');
    return assertValid(withNeighbourVertices(grids, { before: [], after: [{ type: 'Feature', properties: props, geometry: fill }] }));
  }
  // Carved: the dedicated grid takes what is drawn; each base grid under it keeps the rest.
  const hit = near.filter((_, i) => A.cover.some((c, f) => inDrawn(f) && c.includes(i + 1)));
  assertUnlocked(hit);
  const shapes = traceLabels(A, (f) => (inDrawn(f) ? 0 : A.cover[f].length ? A.cover[f][0] : -1));
  const after: GridFeature[] = [{ type: 'Feature', properties: props, geometry: shapes.get(0)! }];
  for (const g of hit) {
    const rest = shapes.get(near.indexOf(g) + 1);
    if (rest) after.push({ ...g, geometry: rest });
  }
  return assertValid(withNeighbourVertices(grids, { before: hit, after }));
}

function closed(ring: Position[]): Position[] {
  if (ring.length === 0) return ring;
  const [a, z] = [ring[0], ring[ring.length - 1]];
  return a[0] === z[0] && a[1] === z[1] ? ring : [...ring, a];
}
