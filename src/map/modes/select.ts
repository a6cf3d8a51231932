// Select a grid and edit its outline: its vertices are handles (shared ones, held by
// neighbours too, drawn apart); drag a handle to move that vertex in every grid that has it
// (Alt: in this grid alone), snapping to vertices, building corners and edges; click an
// edge's midpoint to add a vertex there (in every grid that has the edge); click a handle
// and press Delete to remove it.
import type { Position } from 'geojson';
import { ownersOf, rings } from '../../plan/topology';
import { gridIndex } from '../state';
import type { XY } from '../../plan/types';
import { handleLayer, sketchLayer, snapLayer, type Handle } from './overlay';
import type { EditMode, ModeEvent, ModeHost, Snap } from './types';

const HANDLE_PX = 9;

export function selectMode(): EditMode {
  let active: XY | null = null;
  let drag: { from: XY; to: XY; alone: boolean; snap: Snap | null; moved: boolean } | null = null;

  const handles = (h: ModeHost): Handle[] => {
    const g = h.selected ? h.district.grids[gridIndex(h.district.grids, h.selected)] : undefined;
    if (!g) return [];
    const owners = ownersOf(h.district.grids);
    const out: Handle[] = [];
    for (const r of rings(g.geometry)) {
      for (let i = 0; i + 1 < r.length; i++) {
        const p = r[i], q = r[i + 1];
        const isActive = active !== null && p[0] === active[0] && p[1] === active[1];
        out.push({ at: [p[0], p[1]], kind: isActive ? 'active' : owners.count(p[0], p[1]) > 1 ? 'shared' : 'vertex' });
        out.push({ at: [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2], kind: 'midpoint' });
      }
    }
    return out;
  };
  const handleAt = (e: ModeEvent, h: ModeHost): Handle | null => {
    let best: Handle | null = null;
    let bestD = HANDLE_PX * h.degPerPx;
    for (const k of handles(h)) {
      const d = Math.hypot(k.at[0] - e.at[0], k.at[1] - e.at[1]);
      // vertices before midpoints at the same distance
      if (d < bestD || (d === bestD && k.kind !== 'midpoint')) { bestD = d; best = k; }
    }
    return best;
  };

  return {
    id: 'select',
    click(e, h) {
      const k = handleAt(e, h);
      if (k?.kind === 'midpoint') { h.apply({ type: 'insert_vertex', at: k.at }); return true; }
      if (k) { active = k.at; h.redraw(); return true; }
      active = null;
      h.select(h.gridAt(e.at));
      return true;
    },
    down(e, h) {
      const k = handleAt(e, h);
      if (!k || k.kind === 'midpoint') return false;
      drag = { from: k.at, to: k.at, alone: e.alt, snap: null, moved: false };
      return true;
    },
    move(e, h) {
      if (!drag) return;
      const snap = h.snap(e.at, drag.from);
      drag = { ...drag, to: snap.kind ? snap.at : e.at, snap, moved: true, alone: drag.alone || e.alt };
      h.redraw();
    },
    up(_e, h) {
      if (!drag) return;
      const d = drag;
      drag = null;
      h.redraw();
      if (d.moved && (d.to[0] !== d.from[0] || d.to[1] !== d.from[1])) {
        active = d.to;
        h.apply({ type: 'move_vertex', from: d.from, to: d.to, ...(d.alone && h.selected ? { alone: h.selected } : {}) });
      }
    },
    key(key, h) {
      if ((key === 'Delete' || key === 'Backspace') && active) {
        const at = active;
        active = null;
        h.apply({ type: 'remove_vertex', at });
        return true;
      }
      if (key === 'Escape' && active) { active = null; h.redraw(); return true; }
      return false;
    },
    layers(h) {
      const out = [handleLayer('edit-handles', handles(h))];
      if (drag?.moved) {
        // the edges into the moving vertex, in every grid that has it
        const legs: Position[][] = [];
        for (const g of h.district.grids) {
          if (drag.alone && g.properties.code !== h.selected) continue;
          for (const r of rings(g.geometry)) {
            for (let i = 0; i + 1 < r.length; i++) {
              if (r[i][0] === drag.from[0] && r[i][1] === drag.from[1]) {
                const prev = r[i === 0 ? r.length - 2 : i - 1];
                legs.push([prev, drag.to, r[i + 1]]);
              }
            }
          }
        }
        out.push(...legs.map((l, k) => sketchLayer(`edit-drag-${k}`, l)), snapLayer('edit-snap', drag.snap));
      }
      return out;
    },
    hint(h) {
      if (drag) return { key: drag.alone ? 'edit.hint.dragAlone' : 'edit.hint.drag' };
      if (!h.selected) return { key: 'edit.hint.select' };
      return { key: active ? 'edit.hint.vertex' : 'edit.hint.handles' };
    },
  };
}
