// Which grid holds a point: flatbush over grid bounding boxes, then the packed crossing
// test. Dedicated grids take precedence over base grids (DESIGN rule 2/3).
import Flatbush from 'flatbush';
import type { GridFeature } from '../domain/types';
import { onPackedOutline, packPolygons, pointInPacked, repackPolygons, type PackedPolygons } from './rings';

export class GridLocator {
  readonly packed: PackedPolygons;
  private readonly index: Flatbush;
  private readonly dedicated: Uint8Array;

  /** `packed`: the grids' polygons when already packed (an edit's, from the previous locator). */
  constructor(grids: GridFeature[], packed?: PackedPolygons) {
    this.packed = packed ?? packPolygons(grids.map((g) => g.geometry));
    this.dedicated = Uint8Array.from(grids, (g) => (g.properties.kind === 'dedicated' ? 1 : 0));
    this.index = new Flatbush(Math.max(grids.length, 1));
    const b = this.packed.bbox;
    for (let i = 0; i < grids.length; i++) this.index.add(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]);
    if (grids.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /**
   * The locator of a new grid list after an edit: grid k is grid source[k] of this one, unchanged
   * (its packed rings copied, not packed again), or new where source[k] < 0.
   */
  after(grids: GridFeature[], source: Int32Array): GridLocator {
    return new GridLocator(grids, repackPolygons(this.packed, grids.map((g) => g.geometry), source));
  }

  /** Effective grid of a point: the lowest-index dedicated grid holding it, else the lowest-index base grid; -1 if none. */
  locate(x: number, y: number): number {
    return this.hits(x, y).effective;
  }

  /**
   * Every grid holding the point: the effective grid (as locate), how many base grids hold
   * it (2+ = the point sits in an overlap) and whether a dedicated grid does.
   */
  hits(x: number, y: number): { effective: number; baseHits: number; dedicated: boolean } {
    let base = -1;
    let dedicated = -1;
    let baseHits = 0;
    this.index.search(x, y, x, y, (i) => {
      if (i >= this.dedicated.length || !pointInPacked(this.packed, i, x, y)) return false;
      if (this.dedicated[i]) { if (dedicated < 0 || i < dedicated) dedicated = i; }
      else { baseHits++; if (base < 0 || i < base) base = i; }
      return false;
    });
    if (dedicated < 0 && base < 0) return this.onOutline(x, y);
    return { effective: dedicated >= 0 ? dedicated : base, baseHits, dedicated: dedicated >= 0 };
  }

  /**
   * A point exactly on the outline of a grid that the half-open rule gives to no grid: on
   * an edge no other grid shares (the east or north edge of the district, beside a gap).
   * It belongs to that grid (dedicated first, then the lowest index), never to none.
   */
  private onOutline(x: number, y: number): { effective: number; baseHits: number; dedicated: boolean } {
    let base = -1;
    let dedicated = -1;
    this.index.search(x, y, x, y, (i) => {
      if (i >= this.dedicated.length || !onPackedOutline(this.packed, i, x, y)) return false;
      if (this.dedicated[i]) { if (dedicated < 0 || i < dedicated) dedicated = i; }
      else if (base < 0 || i < base) base = i;
      return false;
    });
    const effective = dedicated >= 0 ? dedicated : base;
    return { effective, baseHits: base >= 0 ? 1 : 0, dedicated: dedicated >= 0 };
  }

  /** Base grids holding the point, in index order (2+ means it sits in an overlap). */
  baseGridsAt(x: number, y: number): number[] {
    return this.index.search(x, y, x, y)
      .filter((i) => i < this.dedicated.length && !this.dedicated[i] && pointInPacked(this.packed, i, x, y))
      .sort((a, b) => a - b);
  }

  isDedicated(grid: number): boolean {
    return this.dedicated[grid] === 1;
  }

  /** Grids whose bounding box meets the box. */
  candidates(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.index.search(minX, minY, maxX, maxY).filter((i) => i < this.dedicated.length);
  }

  /** Effective grid for many points (x0, y0, x1, y1, …); NaN coordinates give -1. */
  locateAll(positions: Float64Array): Int32Array {
    const n = positions.length / 2;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = positions[2 * i];
      const y = positions[2 * i + 1];
      out[i] = Number.isFinite(x) && Number.isFinite(y) ? this.locate(x, y) : -1;
    }
    return out;
  }
}
