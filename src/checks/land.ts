// Rule 1 (区不漏地) and the edge part of rule 7: gaps, overlaps, spill, invalid edges.
//
// Done the way GEOS's coverage validator does it: in a clean tiling every directed edge of
// a grid is cancelled by the reverse edge of its neighbour, or by the region's own boundary.
// One pass over the edges finds the ones that are not; only around those does polygon
// clipping run (a gap's or an overlap's outline consists of unmatched edges only, so each
// lies inside the bounding box of its cluster of unmatched edges). Cost grows with the
// number of edges, not with the square of the number of grids.
import Flatbush from 'flatbush';
import {
  area, bboxPolygon, difference, featureCollection, intersect, union,
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaGeometry, GridKind } from '../domain/types';

export interface LandMember {
  /** index of the grid in the caller's grid list */
  grid: number;
  code: string;
  kind: GridKind;
  geometry: AreaGeometry;
}

export interface LandRegion {
  code: string;
  geometry: AreaGeometry;
  /** the grids that tile this region (base grids and dedicated grids carved out of them) */
  members: LandMember[];
  /** dedicated grids drawn on top of base grids: they cover land but are not edge-matched */
  onTop: LandMember[];
}

export type LandFindingKind = 'gap' | 'overlap' | 'spill' | 'invalid_edges';

export interface LandFinding {
  kind: LandFindingKind;
  region: string;
  /** grid codes involved */
  ids: string[];
  /** geodesic m² (0 for invalid edges) */
  area_m2: number;
  geometry: Polygon | MultiPolygon | { type: 'MultiLineString'; coordinates: Position[][] };
}

export interface LandResult {
  findings: LandFinding[];
  slivers: { count: number; area_m2: number };
  /** unmatched directed edges found by the edge pass */
  unmatchedEdges: number;
}

export interface LandOptions {
  /** pieces smaller than this are slivers: counted, not listed */
  sliverM2: number;
}

// One directed edge a→b, owned by member `owner` (or by the region boundary: owner -1).
interface Edge { ax: number; ay: number; bx: number; by: number; owner: number }

export function checkLandRegion(region: LandRegion, opts: LandOptions): LandResult {
  const edges: Edge[] = [];
  region.members.forEach((m, i) => addGeometryEdges(edges, m.geometry, i, false));
  // The region's own boundary, reversed: it cancels the outer edges of the grids along it.
  addGeometryEdges(edges, region.geometry, -1, true);

  const unmatched = unmatchedEdges(edges);
  const result: LandResult = { findings: [], slivers: { count: 0, area_m2: 0 }, unmatchedEdges: unmatched.length };
  if (unmatched.length === 0) return result;

  const clusters = clusterEdges(unmatched.map((k) => edges[k]));
  const memberIndex = bboxIndex(region.members.map((m) => m.geometry));
  const onTopIndex = bboxIndex(region.onTop.map((m) => m.geometry));
  const regionFeature = asFeature(region.geometry);

  for (const cluster of clusters) {
    const before = result.findings.length;
    const [minX, minY, maxX, maxY] = clusterBBox(cluster);
    const pad = Math.max(maxX - minX, maxY - minY) * 0.01 + 1e-6;
    const box = [minX - pad, minY - pad, maxX + pad, maxY + pad] as [number, number, number, number];
    const clip = bboxPolygon(box);
    const clipTo = (g: AreaGeometry) => intersect(featureCollection([asFeature(g), clip]));

    const near = memberIndex ? memberIndex.search(...box) : [];
    const local = near
      .map((i) => ({ m: region.members[i], f: clipTo(region.members[i].geometry) }))
      .filter((x): x is { m: LandMember; f: Feature<Polygon | MultiPolygon> } => x.f !== null);
    const onTopLocal = (onTopIndex ? onTopIndex.search(...box) : [])
      .map((i) => clipTo(region.onTop[i].geometry))
      .filter((f): f is Feature<Polygon | MultiPolygon> => f !== null);
    const regionLocal = intersect(featureCollection([regionFeature, clip]));

    // Gaps: region land covered by no grid.
    if (regionLocal) {
      const covers = [...local.map((x) => x.f), ...onTopLocal];
      const covered = covers.length > 1 ? union(featureCollection(covers)) : covers[0] ?? null;
      const gap = covered ? difference(featureCollection([regionLocal, covered])) : regionLocal;
      for (const piece of pieces(gap)) {
        // The grids along the gap: owners of the unmatched edges that bound it.
        const ids = cluster.filter((e) => e.owner >= 0 && edgeTouches(e, piece)).map((e) => region.members[e.owner].code);
        emit(result, opts, { kind: 'gap', region: region.code, ids, piece });
      }
    }
    // Overlaps: interiors shared by two grids of the same kind.
    for (let a = 0; a < local.length; a++) {
      for (let b = a + 1; b < local.length; b++) {
        if (local[a].m.kind !== local[b].m.kind) continue;
        const shared = intersect(featureCollection([local[a].f, local[b].f]));
        for (const piece of pieces(shared)) {
          emit(result, opts, { kind: 'overlap', region: region.code, ids: [local[a].m.code, local[b].m.code], piece });
        }
      }
    }
    // Spill: grid area outside its region.
    for (const x of local) {
      const outside = regionLocal ? difference(featureCollection([x.f, regionLocal])) : x.f;
      for (const piece of pieces(outside)) emit(result, opts, { kind: 'spill', region: region.code, ids: [x.m.code], piece });
    }
    // Edges between grids that match no neighbour but enclose no land worth listing:
    // vertices that are not shared (ST_CoverageInvalidEdges), the cause of slivers. Grid
    // edges lying along the region's boundary are not between grids: left out.
    if (result.findings.length === before) {
      const boundary = cluster.filter((e) => e.owner < 0);
      const between = cluster.filter((e) => e.owner >= 0 && !boundary.some((b) => liesOn(e, b)));
      const owners = [...new Set(between.map((e) => region.members[e.owner].code))].sort();
      if (owners.length > 1) {
        result.findings.push({
          kind: 'invalid_edges', region: region.code, ids: owners, area_m2: 0,
          geometry: { type: 'MultiLineString', coordinates: between.map((e) => [[e.ax, e.ay], [e.bx, e.by]]) },
        });
      }
    }
  }
  return result;
}

function emit(
  r: LandResult, opts: LandOptions,
  f: { kind: LandFindingKind; region: string; ids: string[]; piece: Polygon },
) {
  const a = area(f.piece);
  if (a <= 0) return;
  if (a < opts.sliverM2) {
    r.slivers.count++;
    r.slivers.area_m2 += a;
    return;
  }
  r.findings.push({ kind: f.kind, region: f.region, ids: [...new Set(f.ids)].sort(), area_m2: a, geometry: f.piece });
}

/** Does edge e lie along edge b (both its ends on b's segment, within a hair)? */
function liesOn(e: Edge, b: Edge): boolean {
  return onSegment(e.ax, e.ay, b) && onSegment(e.bx, e.by, b);
}

function onSegment(px: number, py: number, b: Edge): boolean {
  const dx = b.bx - b.ax;
  const dy = b.by - b.ay;
  const len2 = dx * dx + dy * dy;
  const t = ((px - b.ax) * dx + (py - b.ay) * dy) / len2;
  if (t < -1e-9 || t > 1 + 1e-9) return false;
  const cross = (px - b.ax) * dy - (py - b.ay) * dx;
  return (cross * cross) / len2 < 1e-20; // distance² in degrees² (about 1 mm)
}

function pieces(f: Feature<Polygon | MultiPolygon> | null): Polygon[] {
  if (!f) return [];
  const g = f.geometry;
  if (g.type === 'Polygon') return [g];
  return g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

/** Does the edge lie along the piece's outline? (its midpoint is within a hair of the piece's bbox) */
function edgeTouches(e: Edge, piece: Polygon): boolean {
  const [x0, y0, x1, y1] = geomBBox(piece);
  const mx = (e.ax + e.bx) / 2;
  const my = (e.ay + e.by) / 2;
  const eps = 1e-9;
  return mx >= x0 - eps && mx <= x1 + eps && my >= y0 - eps && my <= y1 + eps;
}

function asFeature(g: AreaGeometry): Feature<Polygon | MultiPolygon> {
  return { type: 'Feature', properties: {}, geometry: g };
}

/** Exterior rings counter-clockwise, holes clockwise; `reverse` flips every edge. */
function addGeometryEdges(out: Edge[], g: AreaGeometry, owner: number, reverse: boolean) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) {
    poly.forEach((ring, r) => {
      const ccw = signedArea(ring) > 0;
      const wantCcw = r === 0;
      const flip = (ccw !== wantCcw) !== reverse;
      for (let i = 0; i + 1 < ring.length; i++) {
        let [ax, ay] = ring[i];
        let [bx, by] = ring[i + 1];
        if (ax === bx && ay === by) continue; // repeated vertex
        if (flip) [ax, ay, bx, by] = [bx, by, ax, ay];
        out.push({ ax, ay, bx, by, owner });
      }
    });
  }
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/** Indices of the edges not cancelled by exactly one reverse edge of another owner. */
function unmatchedEdges(edges: Edge[]): number[] {
  // Key by the undirected segment; count each direction.
  const byKey = new Map<string, { fwd: number[]; bwd: number[] }>();
  edges.forEach((e, i) => {
    const forward = e.ax < e.bx || (e.ax === e.bx && e.ay < e.by);
    const key = forward ? `${e.ax},${e.ay},${e.bx},${e.by}` : `${e.bx},${e.by},${e.ax},${e.ay}`;
    let slot = byKey.get(key);
    if (!slot) byKey.set(key, (slot = { fwd: [], bwd: [] }));
    (forward ? slot.fwd : slot.bwd).push(i);
  });
  const out: number[] = [];
  for (const { fwd, bwd } of byKey.values()) {
    if (fwd.length === 1 && bwd.length === 1 && edges[fwd[0]].owner !== edges[bwd[0]].owner) continue;
    out.push(...fwd, ...bwd);
  }
  return out.sort((a, b) => a - b);
}

/** Groups unmatched edges that touch (within a hair) into clusters. */
function clusterEdges(edges: Edge[]): Edge[][] {
  const eps = 1e-9;
  const index = new Flatbush(edges.length);
  for (const e of edges) {
    index.add(Math.min(e.ax, e.bx) - eps, Math.min(e.ay, e.by) - eps, Math.max(e.ax, e.bx) + eps, Math.max(e.ay, e.by) + eps);
  }
  index.finish();
  const parent = edges.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  edges.forEach((e, i) => {
    for (const j of index.search(Math.min(e.ax, e.bx) - eps, Math.min(e.ay, e.by) - eps, Math.max(e.ax, e.bx) + eps, Math.max(e.ay, e.by) + eps)) {
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  });
  const groups = new Map<number, Edge[]>();
  edges.forEach((e, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(e);
    else groups.set(root, [e]);
  });
  return [...groups.values()];
}

function clusterBBox(edges: Edge[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const e of edges) {
    minX = Math.min(minX, e.ax, e.bx); minY = Math.min(minY, e.ay, e.by);
    maxX = Math.max(maxX, e.ax, e.bx); maxY = Math.max(maxY, e.ay, e.by);
  }
  return [minX, minY, maxX, maxY];
}

export function geomBBox(g: AreaGeometry): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const p of polys) for (const [x, y] of p[0]) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

function bboxIndex(geoms: AreaGeometry[]): Flatbush | null {
  if (geoms.length === 0) return null;
  const index = new Flatbush(geoms.length);
  for (const g of geoms) index.add(...geomBBox(g));
  index.finish();
  return index;
}
