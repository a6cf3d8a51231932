// Snapping while editing: to another grid's vertex or a building corner within a few
// pixels, else onto the nearest grid edge; a point far from everything stays where it is.
import type { GridFeature, BuildingFeature } from '../../domain/types';
import type { XY } from '../../plan/types';
import { rings } from '../../plan/topology';
import { geomBBox } from '../../checks/land';
import type { Snap } from './types';

export function snapPoint(at: XY, tol: number, grids: GridFeature[], buildings: BuildingFeature[], exclude: XY | null = null): Snap {
  const [x, y] = at;
  let best: Snap = { at, kind: null };
  let bestD = tol;
  const near = (g: { geometry: GridFeature['geometry'] }) => {
    const [w, s, e, n] = geomBBox(g.geometry);
    return x >= w - tol && x <= e + tol && y >= s - tol && y <= n + tol;
  };
  const isExcluded = (p: number[]) => exclude !== null && p[0] === exclude[0] && p[1] === exclude[1];
  const consider = (list: { geometry: GridFeature['geometry'] }[], kind: 'vertex' | 'building') => {
    for (const g of list) {
      if (!near(g)) continue;
      for (const r of rings(g.geometry)) for (const p of r) {
        if (isExcluded(p)) continue;
        const d = Math.hypot(p[0] - x, p[1] - y);
        if (d < bestD) { bestD = d; best = { at: [p[0], p[1]], kind }; }
      }
    }
  };
  consider(grids, 'vertex');
  if (best.kind) return best;
  consider(buildings, 'building');
  if (best.kind) return best;
  // onto an edge
  for (const g of grids) {
    if (!near(g)) continue;
    for (const r of rings(g.geometry)) {
      for (let i = 0; i + 1 < r.length; i++) {
        const a = r[i], b = r[i + 1];
        if (isExcluded(a) || isExcluded(b)) continue;
        const dx = b[0] - a[0], dy = b[1] - a[1];
        const len2 = dx * dx + dy * dy;
        if (len2 === 0) continue;
        const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        const px = a[0] + t * dx, py = a[1] + t * dy;
        const d = Math.hypot(px - x, py - y);
        if (d < bestD) { bestD = d; best = { at: [px, py], kind: 'edge' }; }
      }
    }
  }
  return best;
}
