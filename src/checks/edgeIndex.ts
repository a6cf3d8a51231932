// The boxes of every grid edge, kept across edits (rule 2's "is any grid edge near this
// building" test). A flatbush cannot change, and indexing the ~140,000 edges of a city's grids
// again after each edit costs tens of milliseconds: the grids an edit made are indexed on the
// side instead (a small flatbush of their edges) and the edges of the grids they replaced are
// skipped; the whole index is made again once the side holds an eighth as many edges.
import Flatbush from 'flatbush';
import type { PackedPolygons } from './rings';

export class GridEdges {
  private base!: Flatbush;
  /** per edge of the base index: the grid it is an edge of, numbered as when the base was made */
  private edgeGrid!: Int32Array;
  private baseEdges = 0;
  /** per grid as numbered at the base: 1 while it is held unchanged */
  private live!: Uint8Array;
  /** per grid now: its number at the base, -1 when it was made after (its edges are on the side) */
  private baseOf!: Int32Array;
  private side: Flatbush | null = null;

  constructor(P: PackedPolygons) {
    this.build(P);
  }

  private build(P: PackedPolygons) {
    const { coords, ringStart, polyRings } = P;
    const nPolys = polyRings.length - 1;
    let n = 0;
    for (let r = 0; r < ringStart.length - 1; r++) n += Math.max(0, ringStart[r + 1] - ringStart[r] - 1);
    this.base = new Flatbush(Math.max(1, n));
    this.edgeGrid = new Int32Array(n);
    let e = 0;
    for (let p = 0; p < nPolys; p++) {
      for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
        for (let k = ringStart[r]; k + 1 < ringStart[r + 1]; k++) {
          const ax = coords[2 * k], ay = coords[2 * k + 1], bx = coords[2 * k + 2], by = coords[2 * k + 3];
          this.base.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
          this.edgeGrid[e++] = p;
        }
      }
    }
    if (n === 0) this.base.add(Infinity, Infinity, Infinity, Infinity);
    this.base.finish();
    this.baseEdges = n;
    this.live = new Uint8Array(nPolys).fill(1);
    this.baseOf = Int32Array.from({ length: nPolys }, (_, p) => p);
    this.side = null;
  }

  /**
   * After an edit: grid k of the new list (packed in P) is grid source[k] of the previous list,
   * unchanged, or new where source[k] < 0.
   */
  update(P: PackedPolygons, source: Int32Array) {
    const baseOf = new Int32Array(source.length).fill(-1);
    this.live.fill(0);
    const made: number[] = [];
    let sideEdges = 0;
    for (let k = 0; k < source.length; k++) {
      const b = source[k] >= 0 ? this.baseOf[source[k]] : -1;
      if (b >= 0) { baseOf[k] = b; this.live[b] = 1; continue; }
      made.push(k);
      for (let r = P.polyRings[k]; r < P.polyRings[k + 1]; r++) sideEdges += Math.max(0, P.ringStart[r + 1] - P.ringStart[r] - 1);
    }
    this.baseOf = baseOf;
    if (sideEdges * 8 > this.baseEdges) { this.build(P); return; }
    this.side = null;
    if (sideEdges === 0) return;
    const side = new Flatbush(sideEdges);
    const { coords, ringStart, polyRings } = P;
    for (const p of made) {
      for (let r = polyRings[p]; r < polyRings[p + 1]; r++) {
        for (let k = ringStart[r]; k + 1 < ringStart[r + 1]; k++) {
          const ax = coords[2 * k], ay = coords[2 * k + 1], bx = coords[2 * k + 2], by = coords[2 * k + 3];
          side.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        }
      }
    }
    side.finish();
    this.side = side;
  }

  /**
   * Calls `filter` for each edge of the grids now held whose box meets the box (as
   * Flatbush.search; the numbers it is given and returns name no edge the caller can use).
   */
  search(minX: number, minY: number, maxX: number, maxY: number, filter: (index: number) => boolean): number[] {
    const { live, edgeGrid } = this;
    const out = this.base.search(minX, minY, maxX, maxY, (k) => k < edgeGrid.length && live[edgeGrid[k]] === 1 && filter(k));
    if (this.side) for (const k of this.side.search(minX, minY, maxX, maxY, filter)) out.push(k);
    return out;
  }
}
