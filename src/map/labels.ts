// Label anchors, computed once per district.
import { centroid } from '@turf/turf';
import type { District } from '../domain/district';
import type { AreaGeometry } from '../domain/types';

export interface LabelPoint {
  position: [number, number];
  text: string;
}

function anchor(g: AreaGeometry): [number, number] {
  const c = centroid(g).geometry.coordinates;
  return [c[0], c[1]];
}

export function gridLabels(d: District): LabelPoint[] {
  return d.grids.map((g) => ({ position: anchor(g.geometry), text: g.properties.name }));
}

export function communityLabels(d: District): LabelPoint[] {
  return d.boundaries
    .filter((b) => b.properties.level === 'community')
    .map((b) => ({ position: anchor(b.geometry), text: b.properties.name }));
}
