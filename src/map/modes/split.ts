// Split a grid: click points of a line across it (snapped), double-click or Enter to cut.
// The grid is the selected one, else the one under the line's first point.
import type { Position } from 'geojson';
import { sketchLayer, snapLayer } from './overlay';
import type { EditMode, Snap } from './types';
import type { XY } from '../../plan/types';

export function splitMode(): EditMode {
  let points: XY[] = [];
  let cursor: Snap | null = null;
  let target: string | null = null;
  const finish = (h: Parameters<NonNullable<EditMode['key']>>[1]) => {
    const code = target ?? h.selected;
    if (points.length >= 2 && code) h.apply({ type: 'split', code, line: points });
    points = [];
    target = null;
    h.redraw();
  };
  return {
    id: 'split',
    click(e, h) {
      const s = h.snap(e.at);
      if (points.length === 0) target = h.selected ?? h.gridAt(e.at);
      points = [...points, s.kind ? s.at : e.at];
      h.redraw();
      return true;
    },
    dblclick(_e, h) { finish(h); return true; },
    move(e, h) { cursor = h.snap(e.at); if (!cursor.kind) cursor = { at: e.at, kind: null }; if (points.length) h.redraw(); },
    key(key, h) {
      if (key === 'Enter') { finish(h); return true; }
      if (key === 'Escape' && points.length) { points = []; h.redraw(); return true; }
      if (key === 'Backspace' && points.length) { points = points.slice(0, -1); h.redraw(); return true; }
      return false;
    },
    layers() {
      const path: Position[] = cursor && points.length ? [...points, cursor.at] : points;
      return [sketchLayer('edit-split', path), snapLayer('edit-snap', cursor)];
    },
    hint(h) {
      const code = target ?? h.selected;
      return points.length === 0 ? { key: 'edit.hint.splitStart' } : { key: 'edit.hint.splitMore', values: { n: points.length, code: code ?? '' } };
    },
  };
}
