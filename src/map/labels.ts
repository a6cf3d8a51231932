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
  // A grid without a name (imported data) is labelled by its code.
  return d.grids.map((g) => ({ position: anchor(g.geometry), text: String(g.properties.name || g.properties.code) }));
}

export function communityLabels(d: District): LabelPoint[] {
  return d.boundaries
    .filter((b) => b.properties.level === 'community')
    .map((b) => ({ position: anchor(b.geometry), text: b.properties.name }));
}
