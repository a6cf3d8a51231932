// Rings of the district, streets, communities and grids, walked along the lattice; the
// planted gaps and overlaps are applied to one grid's ring only.
import { area } from '@turf/turf';
import type { Admin } from './admin';
import type { GridLayout } from './grids';
import type { MovedVertex, Plan } from './defects';
import { cellsByLabel, loopLonLat, traceRegion, type Lattice } from './lattice';
import { toLonLat } from './projection';
import { rectCorners } from './geom';

export type Ring = [number, number][];

export interface Rings {
  district: Ring;
  streets: Ring[];
  communities: Ring[];
  grids: Ring[];
  /** Geodesic area (m²) of each planted gap/overlap, in plan.moved order. */
  movedArea: number[];
}

function ringOf(L: Lattice, labels: Int32Array, label: number, cells: number[]): { ring: Ring; loop: number[] } {
  const t = traceRegion({ nx: L.nx, ny: L.ny }, labels, label, cells);
  if (t.pinch || t.loops.length !== 1) throw new Error(`region ${label} is not a simple ring`);
  return { ring: loopLonLat(L, t.loops[0]), loop: t.loops[0] };
}

export function buildRings(admin: Admin, L: Lattice, layout: GridLayout, plan: Plan): Rings {
  const district = ringOf(L, admin.mask, 0, admin.districtCells).ring;
  const sCells = cellsByLabel(admin.streetOf, admin.streets.length);
  const streets = admin.streets.map((_, s) => ringOf(L, admin.streetOf, s, sCells[s]).ring);
  const cCells = cellsByLabel(admin.commOf, admin.communities.length);
  const communities = admin.communities.map((_, k) => ringOf(L, admin.commOf, k, cCells[k]).ring);
  const movedBy = new Map<number, MovedVertex>();
  for (const m of plan.moved) movedBy.set(m.grid, m);
  const movedArea: number[] = plan.moved.map(() => 0);
  const grids = layout.grids.map((g) => {
    if (g.rect) {
      const ring: Ring = rectCorners(g.rect).map((p) => toLonLat(p));
      ring.push([ring[0][0], ring[0][1]]);
      return ring;
    }
    const { ring, loop } = ringOf(L, layout.gridOf, g.index, g.cells);
    const m = movedBy.get(g.index);
    if (m) {
      const at = loop.indexOf(m.v);
      if (at < 0) throw new Error('moved vertex not on the ring');
      const to = toLonLat(m.to);
      ring[at] = to;
      if (at === 0) ring[ring.length - 1] = [to[0], to[1]];
      // the sliver between the old and the new border: p → v → n → v'
      const p: [number, number] = [L.lon[m.p], L.lat[m.p]];
      const v: [number, number] = [L.lon[m.v], L.lat[m.v]];
      const n: [number, number] = [L.lon[m.n], L.lat[m.n]];
      const a = area({ type: 'Polygon', coordinates: [[p, v, n, to, p]] });
      movedArea[plan.moved.indexOf(m)] = a;
    }
    return ring;
  });
  return { district, streets, communities, grids, movedArea };
}
