// Hand buildings to a grid: click buildings (again to leave one out), then click inside the
// grid that takes them; the boundary follows their footprints, their households go with them.
import { pickedLayer } from './overlay';
import type { EditMode } from './types';

export function handMode(): EditMode {
  let picked: number[] = [];
  return {
    id: 'hand',
    click(e, h) {
      const b = h.buildingAt(e.at);
      if (b >= 0) {
        picked = picked.includes(b) ? picked.filter((x) => x !== b) : [...picked, b];
        h.redraw();
        return true;
      }
      const to = h.gridAt(e.at);
      if (to && picked.length) {
        const ids = picked.map((i) => String(h.district.buildings.features[i].properties.id));
        picked = [];
        h.apply({ type: 'hand_buildings', buildings: ids, to });
      }
      return true;
    },
    key(key, h) {
      if (key === 'Escape' && picked.length) { picked = []; h.redraw(); return true; }
      return false;
    },
    layers(h) {
      return [pickedLayer('edit-hand', picked.map((i) => h.district.buildings.features[i]))];
    },
    hint() {
      return picked.length ? { key: 'edit.hint.handTo', values: { n: picked.length } } : { key: 'edit.hint.handPick' };
    },
  };
}
