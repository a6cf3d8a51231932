// Draw a new grid: click its corners (snapped to vertices and edges), Enter or a double-click
// to close it. A base grid takes the land inside that no grid covers (a gap filled); a
// dedicated grid is carved out of the base grids or laid on top (the editor's options).
import { gridIndex } from '../state';
import { sketchLayer, snapLayer } from './overlay';
import { pointSketch } from './sketch';
import type { EditMode } from './types';
import type { BoundaryFeature } from '../../domain/types';
import { packPolygons, pointInPacked } from '../../checks/rings';

/** The code of the community outline holding the first of the points that one holds; '' if none does. */
function communityAt(boundaries: BoundaryFeature[], points: number[][]): string {
  const communities = boundaries.filter((b) => b.properties.level === 'community' && b.geometry);
  if (communities.length === 0) return '';
  const packed = packPolygons(communities.map((b) => b.geometry));
  for (const [x, y] of points) {
    const k = communities.findIndex((_, i) => pointInPacked(packed, i, x, y));
    if (k >= 0) return communities[k].properties.code;
  }
  return '';
}

export function drawMode(): EditMode {
  const sketch = pointSketch((points, h) => {
    if (points.length < 3) return;
    // The community: the selected grid's, else that of a grid at or next to a corner, else
    // the community outline a corner is in (the first grid of a workspace that has none).
    const gs = h.district.grids;
    const near = h.selected ?? points.map((p) => h.gridAt(p) ?? h.gridAt(h.snap(p).at)).find((c) => c !== null) ?? null;
    const community = near ? gs[gridIndex(gs, near)]?.properties.community_code ?? '' : communityAt(h.district.boundaries, points);
    const o = h.drawOptions;
    h.apply({ type: 'draw', ring: points, kind: o.kind, community_code: community, ...(o.kind === 'dedicated' ? { dedicated_type: o.dedicatedType, on_top: o.onTop } : {}) });
  });
  return {
    id: 'draw',
    ...sketch,
    layers: () => [sketchLayer('edit-draw', sketch.path(), sketch.points().length >= 2), snapLayer('edit-snap', sketch.cursor())],
    hint: () => {
      const n = sketch.points().length;
      return { key: n < 3 ? 'edit.hint.drawStart' : 'edit.hint.drawMore', values: { n } };
    },
  };
}
