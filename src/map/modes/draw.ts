// Draw a new grid: click its corners (snapped to vertices and edges), Enter or a double-click
// to close it. A base grid takes the land inside that no grid covers (a gap filled); a
// dedicated grid is carved out of the base grids or laid on top (the editor's options).
import { gridIndex } from '../state';
import { sketchLayer, snapLayer } from './overlay';
import { pointSketch } from './sketch';
import type { EditMode } from './types';

export function drawMode(): EditMode {
  const sketch = pointSketch((points, h) => {
    if (points.length < 3) return;
    // The community: the selected grid's, else that of a grid at or next to a corner.
    const gs = h.district.grids;
    const near = h.selected ?? points.map((p) => h.gridAt(p) ?? h.gridAt(h.snap(p).at)).find((c) => c !== null) ?? null;
    const community = near ? gs[gridIndex(gs, near)]?.properties.community_code ?? '' : '';
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
