// Draw a new grid: click its corners (snapped to vertices and edges), Enter or a double-click
// to close it. A base grid takes the land inside that no grid covers (a gap filled); a
// dedicated grid is carved out of the base grids or laid on top (the editor's options).
import { gridIndex } from '../state';
import { sketchLayer, snapLayer } from './overlay';
import type { EditMode, ModeHost, Snap } from './types';
import type { XY } from '../../plan/types';

export function drawMode(): EditMode {
  let points: XY[] = [];
  let cursor: Snap | null = null;
  const finish = (h: ModeHost) => {
    if (points.length >= 3) {
      // The community: the selected grid's, else that of a grid at or next to a corner.
      const gs = h.district.grids;
      const near = h.selected ?? points.map((p) => h.gridAt(p) ?? h.gridAt(h.snap(p).at)).find((c) => c !== null) ?? null;
      const community = near ? gs[gridIndex(gs, near)]?.properties.community_code ?? '' : '';
      const o = h.drawOptions;
      h.apply({ type: 'draw', ring: points, kind: o.kind, community_code: community, ...(o.kind === 'dedicated' ? { dedicated_type: o.dedicatedType, on_top: o.onTop } : {}) });
    }
    points = [];
    h.redraw();
  };
  return {
    id: 'draw',
    click(e, h) {
      const s = h.snap(e.at);
      points = [...points, s.kind ? s.at : e.at];
      h.redraw();
      return true;
    },
    dblclick(_e, h) { finish(h); return true; },
    move(e, h) { const s = h.snap(e.at); cursor = s.kind ? s : { at: e.at, kind: null }; if (points.length) h.redraw(); },
    key(key, h) {
      if (key === 'Enter') { finish(h); return true; }
      if (key === 'Escape' && points.length) { points = []; h.redraw(); return true; }
      if (key === 'Backspace' && points.length) { points = points.slice(0, -1); h.redraw(); return true; }
      return false;
    },
    layers() {
      return [sketchLayer('edit-draw', cursor && points.length ? [...points, cursor.at] : points, points.length >= 2), snapLayer('edit-snap', cursor)];
    },
    hint() {
      return { key: points.length < 3 ? 'edit.hint.drawStart' : 'edit.hint.drawMore', values: { n: points.length } };
    },
  };
}
