// What a click on the map hits, worked out on the CPU from the tables the map draws, with
// the checks' own spatial tools (flatbush, the packed point-in-polygon test) — not by GPU
// picking, which on software WebGL (command-centre PCs, virtual desktops, wall controllers)
// takes longer than a click lasts. Order is what lies on top: case circles, household points,
// land findings, dedicated grids, buildings, base grids.
import Flatbush from 'flatbush';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import { GridLocator } from '../checks/locate';
import { packPolygons, pointInPacked, type PackedPolygons } from '../checks/rings';
import type { AreaGeometry } from '../domain/types';
import type { CaseBins } from './caseBins';
import type { PointSubset } from './layers';
import type { LayerVisibility, Selection } from './state';

/** How far (screen pixels) from a point a click still takes it. */
const POINT_TOLERANCE_PX = 7;

export interface PickView {
  visibility: LayerVisibility;
  /** households are points (not density) at this zoom */
  householdPoints: boolean;
  /** buildings are drawn as footprints (not their density) */
  buildingShapes: boolean;
  households: PointSubset;
  cases: PointSubset;
  caseBins: CaseBins | null;
  report: Report;
  /** degrees of longitude and latitude per screen pixel around the click */
  degPerPx: [number, number];
}

export type Pick = { selection: Selection } | { bin: number } | null;

/** A box index of each buildings table's footprints, made at the first click and kept (an edit changes grids, not buildings). */
const buildingIndexes = new WeakMap<PackedPolygons, Flatbush>();

/** Spatial indexes of one district's layers, made when first needed and kept. */
export class Picker {
  private grids: GridLocator | null = null;
  private points = new WeakMap<PointSubset, Flatbush>();
  private findings: { report: Report; packed: PackedPolygons; index: Flatbush; which: number[] } | null = null;

  constructor(private readonly district: District) {}

  private grid(i: number): Pick {
    return { selection: { kind: 'grid', code: this.district.grids[i].properties.code } };
  }

  pick(x: number, y: number, v: PickView): Pick {
    const vis = v.visibility;
    if (vis.cases && v.caseBins) {
      const k = this.nearestBin(v.caseBins, x, y, v.degPerPx);
      if (k >= 0) return { bin: k };
    } else if (vis.cases) {
      const k = this.nearest(v.cases, x, y, v.degPerPx);
      if (k >= 0) return { selection: { kind: 'case', index: v.cases.index[k] } };
    }
    if (vis.households && v.householdPoints) {
      const k = this.nearest(v.households, x, y, v.degPerPx);
      if (k >= 0) return { selection: { kind: 'household', index: v.households.index[k] } };
    }
    if (vis.findings) {
      const f = this.landFinding(v.report, x, y);
      if (f >= 0) return { selection: { kind: 'finding', index: f } };
    }
    const g = this.gridLocator().hits(x, y);
    if (vis.dedicatedGrids && g.dedicated) return this.grid(g.effective);
    if (vis.buildings && v.buildingShapes) {
      const b = this.building(x, y);
      if (b >= 0) return { selection: { kind: 'building', index: b } };
    }
    if (vis.baseGrids && g.effective >= 0 && !g.dedicated) return this.grid(g.effective);
    if (vis.baseGrids && g.dedicated) {
      // Dedicated grids hidden: the base grid under the click.
      const base = this.gridLocator().baseGridsAt(x, y);
      if (base.length) return this.grid(base[0]);
    }
    return null;
  }

  private gridLocator(): GridLocator {
    return (this.grids ??= new GridLocator(this.district.grids));
  }

  /** The grid a point lies in (a dedicated grid on top first), -1 = none. */
  gridAt(x: number, y: number): number {
    return this.gridLocator().hits(x, y).effective;
  }

  /** The building under a point, -1 = none. */
  buildingAt(x: number, y: number): number {
    return this.building(x, y);
  }

  private building(x: number, y: number): number {
    // Kept per buildings table: an edit changes the grids, never the buildings.
    const t = this.district.buildings;
    const shapes = t.shapes;
    let index = buildingIndexes.get(shapes);
    if (!index) {
      index = new Flatbush(Math.max(1, t.count));
      for (let i = 0; i < t.count; i++) index.add(shapes.bbox[4 * i], shapes.bbox[4 * i + 1], shapes.bbox[4 * i + 2], shapes.bbox[4 * i + 3]);
      if (t.count === 0) index.add(0, 0, 0, 0);
      index.finish();
      buildingIndexes.set(shapes, index);
    }
    const hit = index.search(x, y, x, y).filter((i) => i < t.count && pointInPacked(shapes, i, x, y));
    return hit.length ? Math.min(...hit) : -1;
  }

  /** Buildings whose box meets [w, s, e, n] (a lasso's, a snap's neighbourhood). */
  buildingsIn(w: number, s: number, e: number, n: number): number[] {
    if (this.district.buildings.count === 0) return [];
    this.building(w, s); // makes the index
    return buildingIndexes.get(this.district.buildings.shapes)!.search(w, s, e, n).filter((i) => i < this.district.buildings.count);
  }

  /** A gap, overlap or spill under the click (findings drawn as areas). */
  private landFinding(report: Report, x: number, y: number): number {
    if (this.findings?.report !== report) {
      const which = report.findings.map((f, i) => (f.rule === 'land' && (f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') ? i : -1)).filter((i) => i >= 0);
      const packed = packPolygons(which.map((i) => report.findings[i].geometry as AreaGeometry));
      const index = new Flatbush(Math.max(1, which.length));
      which.forEach((_, k) => index.add(packed.bbox[4 * k], packed.bbox[4 * k + 1], packed.bbox[4 * k + 2], packed.bbox[4 * k + 3]));
      if (which.length === 0) index.add(0, 0, 0, 0);
      index.finish();
      this.findings = { report, packed, index, which };
    }
    const { packed, index, which } = this.findings;
    const hit = index.search(x, y, x, y).filter((k) => k < which.length && pointInPacked(packed, k, x, y));
    return hit.length ? which[Math.min(...hit)] : -1;
  }

  /** The point of a shown subset nearest the click, within the tolerance; -1 when none. */
  private nearest(s: PointSubset, x: number, y: number, [dx, dy]: [number, number]): number {
    const n = s.index.length;
    if (n === 0) return -1;
    let index = this.points.get(s);
    if (!index) {
      index = new Flatbush(n);
      for (let k = 0; k < n; k++) index.add(s.positions[2 * k], s.positions[2 * k + 1], s.positions[2 * k], s.positions[2 * k + 1]);
      index.finish();
      this.points.set(s, index);
    }
    const tx = POINT_TOLERANCE_PX * dx, ty = POINT_TOLERANCE_PX * dy;
    let best = -1, bestD = Infinity;
    for (const k of index.search(x - tx, y - ty, x + tx, y + ty)) {
      const d = ((s.positions[2 * k] - x) / dx) ** 2 + ((s.positions[2 * k + 1] - y) / dy) ** 2;
      if (d <= POINT_TOLERANCE_PX ** 2 && d < bestD) { bestD = d; best = k; }
    }
    return best;
  }

  private nearestBin(b: CaseBins, x: number, y: number, [dx, dy]: [number, number]): number {
    let best = -1, bestD = Infinity;
    for (let k = 0; k < b.count; k++) {
      const d = Math.hypot((b.positions[2 * k] - x) / dx, (b.positions[2 * k + 1] - y) / dy);
      if (d <= binRadiusPx(b.counts[k]) && d < bestD) { bestD = d; best = k; }
    }
    return best;
  }
}

/** The radius a bin of cases is drawn with (pixels): its area follows the count. */
export function binRadiusPx(count: number): number {
  return 7 + 5 * Math.log2(Math.max(1, count));
}
