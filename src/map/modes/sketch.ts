// A behavior the line and polygon modes share (as terra-draw's modes share behaviors): click
// points, snapped; the next segment follows the pointer; Enter or a double-click finishes,
// Backspace takes the last point back, Escape drops the sketch.
import type { Position } from 'geojson';
import type { XY } from '../../plan/types';
import type { EditMode, ModeEvent, ModeHost, Snap } from './types';

export interface PointSketch extends Required<Pick<EditMode, 'click' | 'dblclick' | 'move' | 'key'>> {
  points(): XY[];
  cursor(): Snap | null;
  /** the points and the segment to the pointer */
  path(): Position[];
}

export function pointSketch(finish: (points: XY[], h: ModeHost) => void, onFirst?: (e: ModeEvent, h: ModeHost) => void): PointSketch {
  let points: XY[] = [];
  let cursor: Snap | null = null;
  const done = (h: ModeHost) => {
    // a double-click's own clicks add the last point again
    const pts = points.filter((p, i) => i === 0 || p[0] !== points[i - 1][0] || p[1] !== points[i - 1][1]);
    points = [];
    finish(pts, h);
    h.redraw();
  };
  return {
    click(e, h) {
      const s = h.snap(e.at);
      if (points.length === 0) onFirst?.(e, h);
      points = [...points, s.kind ? s.at : e.at];
      h.redraw();
      return true;
    },
    dblclick(_e, h) { done(h); return true; },
    move(e, h) {
      const s = h.snap(e.at);
      cursor = s.kind ? s : { at: e.at, kind: null };
      if (points.length) h.redraw();
    },
    key(key, h) {
      if (key === 'Enter') { done(h); return true; }
      if (key === 'Escape' && points.length) { points = []; h.redraw(); return true; }
      if (key === 'Backspace' && points.length) { points = points.slice(0, -1); h.redraw(); return true; }
      return false;
    },
    points: () => points,
    cursor: () => cursor,
    path: () => (cursor && points.length ? [...points, cursor.at] : points),
  };
}
