// Which grids have a vertex at a place, and which have an edge through it: the vertex
// matching the land check does (exact coordinates, as checks/noding's PointIds hashes them),
// used here to move, add and remove a shared vertex in every grid at once.
import type { Position } from 'geojson';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { SNAP } from '../checks/noding';
import { VertexOwners } from '../checks/vertices';
import type { XY } from './types';

const same = (p: Position, q: XY) => p[0] === q[0] && p[1] === q[1];

/** Maps every ring of a geometry (returns a new geometry; rings the callback returns unchanged are kept). */
export function mapRings(g: AreaGeometry, f: (ring: Position[]) => Position[]): AreaGeometry {
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(f) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(f)) };
}

export function rings(g: AreaGeometry): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Grids with a vertex exactly at `at` (matched as the land check matches shared edges). */
export function gridsWithVertex(grids: GridFeature[], at: XY): GridFeature[] {
  return ownersOf(grids).at(at[0], at[1]).map((k) => grids[k]);
}

/** The vertex owners of a grids list, made once per list (an edit makes a new list). */
const owners = new WeakMap<GridFeature[], VertexOwners>();
export function ownersOf(grids: GridFeature[]): VertexOwners {
  let o = owners.get(grids);
  if (!o) owners.set(grids, (o = new VertexOwners(grids.map((g) => g.geometry))));
  return o;
}

/** Every vertex at `at` moved to `to` (the closing vertex of a ring with its first). */
export function moveVertexIn(g: AreaGeometry, at: XY, to: XY): AreaGeometry {
  return mapRings(g, (r) => (r.some((p) => same(p, at)) ? r.map((p) => (same(p, at) ? [to[0], to[1]] : p)) : r));
}

/** The vertex at `at` taken out of every ring holding it; null when a ring would be left with under three corners. */
export function removeVertexIn(g: AreaGeometry, at: XY): AreaGeometry | null {
  let broken = false;
  const out = mapRings(g, (r) => {
    if (!r.some((p) => same(p, at))) return r;
    const open = r.slice(0, -1).filter((p) => !same(p, at));
    if (open.length < 3) broken = true;
    return [...open, open[0]];
  });
  return broken ? null : out;
}

/** Distance (degrees) from p to segment a–b, and whether p projects inside it. */
function toSegment(p: XY, a: Position, b: Position): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Infinity;
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  if (t <= 0 || t >= 1) return Infinity;
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}

/**
 * `at` added as a vertex to every edge that passes through it (within `tol` degrees), in
 * every ring of the geometry; unchanged (the same object) when no edge does.
 */
export function insertVertexIn(g: AreaGeometry, at: XY, tol = 10 * SNAP): AreaGeometry {
  let changed = false;
  const out = mapRings(g, (r) => {
    if (r.some((p) => same(p, at))) return r;
    for (let i = 0; i + 1 < r.length; i++) {
      if (toSegment(at, r[i], r[i + 1]) <= tol) {
        changed = true;
        return [...r.slice(0, i + 1), [at[0], at[1]], ...r.slice(i + 1)];
      }
    }
    return r;
  });
  return changed ? out : g;
}

/** Every vertex of a geometry, once. */
export function vertexKeys(g: AreaGeometry): Set<string> {
  const s = new Set<string>();
  for (const r of rings(g)) for (const p of r) s.add(`${p[0]},${p[1]}`);
  return s;
}

/** The vertices of `after` that `before` did not have: new corners neighbours may need on their edges. */
export function newVertices(before: AreaGeometry[], after: AreaGeometry[]): XY[] {
  const old = new Set<string>();
  for (const g of before) for (const k of vertexKeys(g)) old.add(k);
  const out = new Map<string, XY>();
  for (const g of after) for (const r of rings(g)) for (const p of r) {
    const k = `${p[0]},${p[1]}`;
    if (!old.has(k)) out.set(k, [p[0], p[1]]);
  }
  return [...out.values()];
}
