// Rule 2 (地不漏房): each building belongs to the grid holding the largest share of its
// footprint, dedicated grids first. Most buildings sit well inside one grid, far from any
// grid edge: for those one point test decides. Buildings near an edge among base grids are
// measured by triangles (share.ts); only where a dedicated grid is involved, whose
// precedence needs a polygon difference, does Turf's general overlay run.
import Flatbush from 'flatbush';
import { area, difference, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { BuildingFeature, GridFeature } from '../domain/types';
import type { GridLocator } from './locate';
import type { PackedPolygons } from './rings';
import { areaInside, footprintTriangles, trianglesArea } from './share';

export interface BuildingState {
  /** effective grid per building, -1 = orphan */
  grid: Int32Array;
  /** share of the footprint held by that grid */
  share: Float64Array;
  /** other grids holding part of the building (only for buildings near grid edges) */
  others: number[][];
  /** 1 when the building lies wholly inside one grid, away from every grid edge */
  simple: Uint8Array;
  /** how each building was placed: 0 one point test, 1 triangles, 2 Turf overlay (for the benchmark) */
  path: Uint8Array;
}

/** No other grid: shared by every building that lies in one grid (no array each). */
const NONE: number[] = [];

export function newBuildingState(n: number): BuildingState {
  return { grid: new Int32Array(n).fill(-1), share: new Float64Array(n), others: new Array<number[]>(n).fill(NONE), simple: new Uint8Array(n), path: new Uint8Array(n) };
}

/** A flatbush over the bounding box of every grid edge. */
export function gridEdgeIndex(P: PackedPolygons): Flatbush {
  const { coords, ringStart } = P;
  const nRings = ringStart.length - 1;
  let nEdges = 0;
  for (let r = 0; r < nRings; r++) nEdges += Math.max(0, ringStart[r + 1] - ringStart[r] - 1);
  const index = new Flatbush(Math.max(1, nEdges));
  for (let r = 0; r < nRings; r++) {
    for (let k = ringStart[r]; k + 1 < ringStart[r + 1]; k++) {
      const ax = coords[2 * k], ay = coords[2 * k + 1], bx = coords[2 * k + 2], by = coords[2 * k + 3];
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
  }
  if (nEdges === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

/** The grid edges' boxes: a flatbush, or one kept across edits (edgeIndex.ts). */
export interface EdgeBoxes { search(minX: number, minY: number, maxX: number, maxY: number, filter: (index: number) => boolean): unknown }

let anyEdge = false;
const markAny = () => { anyEdge = true; return false; };

/** Assigns building i (fills state.grid/share/others/simple at i). */
export function assignBuilding(
  i: number, buildings: BuildingFeature[], packed: PackedPolygons, grids: GridFeature[], locator: GridLocator,
  edges: EdgeBoxes, signs: Int8Array, s: BuildingState,
) {
  const { coords, ringStart, polyRings, bbox } = packed;
  const x0 = bbox[4 * i], y0 = bbox[4 * i + 1], x1 = bbox[4 * i + 2], y1 = bbox[4 * i + 3];
  s.others[i] = NONE;
  s.simple[i] = 0;
  // Fast path: no grid edge comes near the footprint and its first vertex is in exactly one
  // grid of its kind: the whole footprint is in that grid.
  anyEdge = false;
  edges.search(x0, y0, x1, y1, markAny);
  if (!anyEdge) {
    const c = ringStart[polyRings[i]];
    const hit = locator.hits(coords[2 * c], coords[2 * c + 1]);
    if (hit.effective < 0 || hit.dedicated || hit.baseHits === 1) {
      s.grid[i] = hit.effective;
      s.share[i] = hit.effective < 0 ? 0 : 1;
      s.simple[i] = 1;
      s.path[i] = 0;
      return;
    }
  }
  s.grid[i] = -1;
  s.share[i] = 0;
  const candidates = locator.candidates(x0, y0, x1, y1);
  if (!candidates.some((g) => locator.isDedicated(g))) {
    // Base grids only: the area of each grid inside the footprint's triangles.
    s.path[i] = 1;
    const ox = coords[2 * ringStart[polyRings[i]]], oy = coords[2 * ringStart[polyRings[i]] + 1];
    const tris = footprintTriangles(buildings[i].geometry, ox, oy);
    const total = trianglesArea(tris);
    if (total <= 0) return;
    setShares(s, i, candidates.map((g) => ({ g, s: areaInside(locator.packed, g, signs, tris, ox, oy) / total })));
    return;
  }
  // A dedicated grid near: clip the footprint with each candidate grid. Dedicated grids take
  // precedence: a base grid's share is what is left of it after them.
  s.path[i] = 2;
  const fp: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: buildings[i].geometry };
  const total = area(fp);
  if (total <= 0) return;
  const parts = candidates.map((g) => ({
    g, part: intersect(featureCollection([fp, grids[g] as Feature<Polygon | MultiPolygon>])),
  })).filter((x): x is { g: number; part: Feature<Polygon | MultiPolygon> } => x.part !== null);
  const dedicatedParts = parts.filter((x) => locator.isDedicated(x.g)).map((x) => x.part);
  const dedicatedUnion = dedicatedParts.length > 1 ? union(featureCollection(dedicatedParts)) : dedicatedParts[0] ?? null;
  setShares(s, i, parts.map(({ g, part }) => {
    const effective = !locator.isDedicated(g) && dedicatedUnion ? difference(featureCollection([part, dedicatedUnion])) : part;
    return { g, s: effective ? area(effective) / total : 0 };
  }));
}

/** The grid with the largest share (ties: the lowest index) and the others holding a part. */
function setShares(s: BuildingState, i: number, all: { g: number; s: number }[]) {
  // Shares within 1e-9 are a tie (a building cut exactly in half), decided by the lower index.
  const shares = all.filter((x) => x.s > 1e-6).sort((a, b) => (Math.abs(b.s - a.s) > 1e-9 ? b.s - a.s : a.g - b.g));
  if (shares.length === 0) return;
  s.grid[i] = shares[0].g;
  s.share[i] = Math.min(1, shares[0].s);
  s.others[i] = shares.length > 1 ? shares.slice(1).map((x) => x.g) : NONE;
}
