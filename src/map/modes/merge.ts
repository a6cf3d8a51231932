// Merge grids: click the grids to join (again to leave one out), Enter to merge them.
import { gridIndex } from '../state';
import { pickedLayer } from './overlay';
import type { EditMode, ModeHint } from './types';

export function mergeMode(): EditMode {
  let codes: string[] = [];
  return {
    id: 'merge',
    click(e, h) {
      const c = h.gridAt(e.at);
      if (c) codes = codes.includes(c) ? codes.filter((x) => x !== c) : [...codes, c];
      if (codes.length === 1 && h.selected !== codes[0]) h.select(codes[0]);
      h.redraw();
      return true;
    },
    key(key, h) {
      if (key === 'Enter' && codes.length >= 2) { h.apply({ type: 'merge', codes }); codes = []; return true; }
      if (key === 'Escape' && codes.length) { codes = []; h.redraw(); return true; }
      return false;
    },
    layers(h) {
      const gs = h.district.grids;
      return [pickedLayer('edit-merge', codes.map((c) => gs[gridIndex(gs, c)]).filter(Boolean))];
    },
    hint(): ModeHint {
      return codes.length < 2 ? { key: 'edit.hint.mergePick', values: { n: codes.length } } : { key: 'edit.hint.mergeGo', values: { n: codes.length, codes: codes.join('、') } };
    },
  };
}
