// Hand buildings to a grid: click buildings (again to leave one out) or Shift-drag a lasso
// round several, then click inside the grid that takes them; the boundary follows their
// footprints and their households go with them.
import type { Position } from 'geojson';
import { RingTest } from '../../checks/faces';
import { pickedLayer, sketchLayer } from './overlay';
import type { EditMode } from './types';
import { buildingFeature } from '../../workspace/buildingTable';

export function handMode(initial: number[] = []): EditMode {
  let picked: number[] = [...initial];
  let lasso: Position[] | null = null;
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
        const ids = picked.map((i) => h.district.buildings.ids[i]);
        picked = [];
        h.apply({ type: 'hand_buildings', buildings: ids, to });
      }
      return true;
    },
    down(e) {
      if (!e.shift) return false;
      lasso = [e.at];
      return true;
    },
    move(e, h) {
      if (!lasso) return;
      lasso.push(e.at);
      h.redraw();
    },
    up(_e, h) {
      if (!lasso) return;
      const ring = lasso;
      lasso = null;
      if (ring.length >= 3) {
        // Buildings whose first corner lies in the lasso (footprints are small beside it).
        const flat = new Float64Array([...ring, ring[0]].flat());
        const test = new RingTest([flat]);
        let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
        for (const [x, y] of ring) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
        const { coords, ringStart, polyRings } = h.district.buildings.shapes;
        const inside: number[] = [];
        for (let i = 0; i < h.district.buildings.count; i++) {
          const v = ringStart[polyRings[i]];
          const x = coords[2 * v], y = coords[2 * v + 1];
          if (x >= w && x <= e && y >= s && y <= n && test.contains(x, y)) inside.push(i);
        }
        picked = [...new Set([...picked, ...inside])];
      }
      h.redraw();
    },
    key(key, h) {
      if (key === 'Escape' && picked.length) { picked = []; h.redraw(); return true; }
      return false;
    },
    layers(h) {
      return [pickedLayer('edit-hand', picked.map((i) => buildingFeature(h.district.buildings, i))), sketchLayer('edit-lasso', lasso ?? [], true)];
    },
    hint() {
      return picked.length ? { key: 'edit.hint.handTo', values: { n: picked.length } } : { key: 'edit.hint.handPick' };
    },
  };
}
