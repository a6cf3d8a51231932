// Which areas have a vertex at each place: vertices matched by their exact coordinates with
// the noder's PointIds, as the land check matches the edges grids share (land.ts,
// unmatchedEdges). The editor asks it which grids a shared vertex moves in.
import type { AreaGeometry } from '../domain/types';
import { PointIds } from './noding';

export class VertexOwners {
  private readonly ids: PointIds;
  /** owners of vertex v: list[start[v] .. start[v + 1]) (each area once) */
  private readonly start: Int32Array;
  private readonly list: Int32Array;

  constructor(geoms: AreaGeometry[]) {
    let n = 0;
    for (const g of geoms) for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) for (const r of poly) n += r.length;
    this.ids = new PointIds(n);
    const pairs: number[] = []; // vertex id, area
    geoms.forEach((g, k) => {
      const seen = new Set<number>();
      for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
        for (const r of poly) for (const p of r) {
          const v = this.ids.id(p[0], p[1]);
          if (!seen.has(v)) { seen.add(v); pairs.push(v, k); }
        }
      }
    });
    const nv = this.ids.count;
    this.start = new Int32Array(nv + 1);
    for (let i = 0; i < pairs.length; i += 2) this.start[pairs[i] + 1]++;
    for (let v = 0; v < nv; v++) this.start[v + 1] += this.start[v];
    const fill = this.start.slice(0, nv);
    this.list = new Int32Array(pairs.length / 2);
    for (let i = 0; i < pairs.length; i += 2) this.list[fill[pairs[i]]++] = pairs[i + 1];
  }

  /** The areas with a vertex exactly at (x, y), in input order. */
  at(x: number, y: number): number[] {
    const v = this.ids.find(x, y);
    return v < 0 ? [] : Array.from(this.list.subarray(this.start[v], this.start[v + 1]));
  }

  /** How many areas have a vertex exactly at (x, y). */
  count(x: number, y: number): number {
    const v = this.ids.find(x, y);
    return v < 0 ? 0 : this.start[v + 1] - this.start[v];
  }
}
