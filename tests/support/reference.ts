// The slow, obviously-right reference: every point against every grid, every building
// clipped with every grid, with Turf's own predicates. For tests and the benchmark ratio.
import { area, booleanPointInPolygon, difference, featureCollection, intersect, point, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { BuildingFeature, GridFeature } from '../../src/domain/types';

/** Effective grid of a point: lowest-index dedicated grid holding it, else lowest-index base grid. */
export function referenceLocate(grids: GridFeature[], x: number, y: number): number {
  const p = point([x, y]);
  let base = -1;
  for (let i = 0; i < grids.length; i++) {
    if (!booleanPointInPolygon(p, grids[i])) continue;
    if (grids[i].properties.kind === 'dedicated') return i;
    if (base < 0) base = i;
  }
  return base;
}

/** Grid holding the largest effective share of the footprint, and that share. */
export function referenceBuilding(grids: GridFeature[], b: BuildingFeature): { grid: number; share: number } {
  const fp = b as Feature<Polygon | MultiPolygon>;
  const total = area(fp);
  const parts = grids.map((g) => intersect(featureCollection([fp, g as Feature<Polygon | MultiPolygon>])));
  const ded = parts.filter((p, i): p is Feature<Polygon | MultiPolygon> => !!p && grids[i].properties.kind === 'dedicated');
  const dedUnion = ded.length > 1 ? union(featureCollection(ded)) : ded[0] ?? null;
  let best = { grid: -1, share: 0 };
  parts.forEach((p, i) => {
    if (!p) return;
    const eff = grids[i].properties.kind === 'base' && dedUnion ? difference(featureCollection([p, dedUnion])) : p;
    const s = eff ? area(eff) / total : 0;
    if (s > best.share + 1e-9) best = { grid: i, share: s };
  });
  return best;
}
