// Split a grid: click points of a line across it (snapped), double-click or Enter to cut.
// The grid is the selected one, else the one under the line's first point.
import { sketchLayer, snapLayer } from './overlay';
import { pointSketch } from './sketch';
import type { EditMode } from './types';

export function splitMode(): EditMode {
  let target: string | null = null;
  const sketch = pointSketch((points, h) => {
    const code = target ?? h.selected;
    target = null;
    if (points.length >= 2 && code) h.apply({ type: 'split', code, line: points });
  }, (e, h) => { target = h.selected ?? h.gridAt(e.at); });
  return {
    id: 'split',
    ...sketch,
    layers: () => [sketchLayer('edit-split', sketch.path()), snapLayer('edit-snap', sketch.cursor())],
    hint(h) {
      const n = sketch.points().length;
      return n === 0 ? { key: 'edit.hint.splitStart' } : { key: 'edit.hint.splitMore', values: { n, code: target ?? h.selected ?? '' } };
    },
  };
}
