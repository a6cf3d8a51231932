// Rule 1 (区不漏地) and the edge part of rule 7: gaps, overlaps, spill, invalid edges.
//
// The way GEOS's coverage validation, gap finder and OverlayNG work, in three passes:
// 0. Match edges: in a clean tiling every directed edge of a grid is cancelled by the reverse
//    edge of its neighbour or of the region's boundary. Sorting the edges finds the ones that
//    are not; everything else is clean and never looked at again.
// 1. Node the unmatched edges (cut them where they cross or touch, so a boundary with fewer
//    vertices than the grids along it cancels too) and build the faces they enclose. Across
//    an edge the number of grids covering a point, less one inside the region, changes by the
//    edge's net direction count; faces where that is not 0 are defects, all of them, each once.
// 2. Inside those faces only, add the grid and boundary edges that cross them (a neighbour's
//    shared edge splits an overlap between two pairs of grids), node again, and classify each
//    small face by what covers a point inside it: no grid → gap, two grids of one kind →
//    overlap, outside the region → spill. Neighbouring faces of the same finding are merged.
//    Dedicated grids drawn on top of base grids are not edge-matched; the land under each is
//    looked at in this pass too, so they are compared with each other and with the dedicated
//    grids carved out (overlaps), and their part outside the region is spill.
// Clipping is local to the defects: a 150,000-vertex outline costs one sort and one index.
//
// Without a boundary, overlaps are still found and so are the holes the grids enclose;
// the outer edge is not checked (the result says so).
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaGeometry, GridKind } from '../domain/types';
import { PointIds, SNAP, mergeEdges, nodeSegments, segmentsMeet, type MergedEdges, type Noded } from './noding';
import { buildFaces, faceRings, interiorPoint, labelFaces, ringBBox, RingTest, traceRegions } from './faces';
import { ringAreaFlat } from './area';

export interface LandMember {
  /** index of the grid in the caller's grid list */
  grid: number;
  code: string;
  kind: GridKind;
  geometry: AreaGeometry;
}

export interface LandRegion {
  code: string;
  /** the community or district boundary; null when none is loaded (the outer edge is then not checked) */
  geometry: AreaGeometry | null;
  /** the grids that tile this region (base grids and dedicated grids carved out of them) */
  members: LandMember[];
  /** dedicated grids drawn on top of base grids: they cover land but are not edge-matched */
  onTop: LandMember[];
  /**
   * grids of other regions reaching into this one (optional): where one covers an overlap
   * together with a grid of its kind, the piece is listed across regions (across.ts) with all
   * of them, not here too
   */
  foreign?: LandMember[];
}

export type LandFindingKind = 'gap' | 'overlap' | 'spill' | 'invalid_edges';

export interface LandFinding {
  kind: LandFindingKind;
  region: string;
  /** grid codes involved */
  ids: string[];
  /** m² on the ellipsoid (0 for invalid edges) */
  area_m2: number;
  geometry: Polygon | MultiPolygon | { type: 'MultiLineString'; coordinates: Position[][] };
}

export interface LandResult {
  findings: LandFinding[];
  slivers: { count: number; area_m2: number };
  /** unmatched directed edges found by the edge pass */
  unmatchedEdges: number;
  /** false when there is no boundary: gaps along the outside of the grids cannot be seen */
  outerEdgeChecked: boolean;
  /** the box (minX, minY, maxX, maxY) of every piece of spill, slivers too: where a grid may meet another community's */
  spillBoxes: [number, number, number, number][];
  /** what was found, by the places it was found in (updateLandRegion works out again only those near an edit) */
  blobs?: LandBlob[];
}

type Box = [number, number, number, number];

/**
 * One place where something is off, with what was found there: the unmatched edges that meet
 * (one or more clusters, each a closed flow of directed edges), the defect zones and the
 * dedicated grids on top they bound or lie in, and the pieces and invalid edges listed or
 * counted there. Places lie apart: what is found in one depends on nothing in another.
 */
export interface LandBlob {
  box: Box;
  /** its unmatched edges as directed segments (ax, ay, bx, by) */
  segs: Float64Array;
  /** boxes of its zones, dedicated grids on top and pieces */
  areas: Float64Array;
  findings: LandFinding[];
  slivers: number[];
  spillBoxes: Box[];
}

export interface LandOptions {
  /** pieces smaller than this are slivers: counted, not listed */
  sliverM2: number;
}

/** Pieces smaller than this (m²) are the rounding of noding, not land: neither listed nor counted. */
const NOISE_M2 = 1e-6;
const REGION = -1;
const onTopOwner = (k: number) => -2 - k;
/** A piece listed across regions (across.ts): counted as a sliver when small, never listed here. */
type Label = { kind: LandFindingKind | 'across'; ids: string[] };

/** The region's edges as flat segments (ax, ay, bx, by) with their owners. */
interface Segments {
  xy: Float64Array;
  owner: Int32Array;
  count: number;
}

export function checkLandRegion(region: LandRegion, opts: LandOptions): LandResult {
  return landOf(region, collectSegments(region), opts);
}

/** The land of a region from its segments (all of them, or those near an edit: updateLandRegion). */
function landOf(region: LandRegion, segs: Segments, opts: LandOptions): LandResult {
  const unmatched = unmatchedEdges(segs);
  if (unmatched.length === 0 && region.onTop.length === 0) return assemble([], region.geometry !== null);
  const found: LandFinding[] = [], foundIn: number[] = [];
  const slivers: number[] = [], sliverIn: number[] = [];
  const spill: Box[] = [], spillIn: number[] = [];
  const places = new Places();

  const members = new Cover(region.members.map((m) => m.geometry));
  const onTop = new Cover(region.onTop.map((m) => m.geometry));
  const foreign = region.foreign ?? [];
  const foreignCover = new Cover(foreign.map((m) => m.geometry));
  const boundary = region.geometry !== null;

  // Pass 1: the faces of the unmatched edges where coverage is not one grid per point of land.
  // Across an edge, (grids covering − inside the region) changes by the edge's net direction
  // count: carried from the unbounded face (0), no point-in-polygon test needed.
  const u1 = subset(segs, unmatched);
  const noded1 = nodeSegments(u1.xy);
  const merged1 = mergeEdges(noded1);
  const net = netDirection(noded1, merged1);
  const kept1: number[] = [];
  for (let e = 0; e < net.length; e++) if (net[e] !== 0) kept1.push(e);
  const F1 = buildFaces({ xy: merged1.xy, u: Int32Array.from(kept1, (e) => merged1.u[e]), v: Int32Array.from(kept1, (e) => merged1.v[e]) });
  const d = labelFaces<number>(F1, (s, h) => s + ((h & 1) === 0 ? net[kept1[h >> 1]] : -net[kept1[h >> 1]]), () => 0, 0);
  // With a boundary clean land has d = 0 inside and out; without one, one grid per point (d = 1).
  const zoneFace = (f: number) => (boundary ? d[f] !== 0 : d[f] !== 1);
  const zone = traceRegions(F1, (f) => (zoneFace(f) ? 0 : -1));

  const listedClusters = new Set<number>();
  const clusterOf = clusters(noded1, unmatched.length);
  const clusterPlace = new Map<number, number>();
  const segPlace = new Int32Array(unmatched.length);
  unmatched.forEach((s, k) => {
    let e = clusterPlace.get(clusterOf[k]);
    if (e === undefined) clusterPlace.set(clusterOf[k], (e = places.add()));
    segPlace[k] = e;
    places.box(e, segBox(segs.xy, s), false);
  });
  for (const z of zone) places.box(places.add(), ringsBox(z.rings), true);
  // Unmatched grid edges around slivers (slots into `unmatched`): invalid edges when nothing is listed there.
  const aroundSliver = new Set<number>();
  // The land under the dedicated grids on top is looked at too (see the top).
  const onTopRings = region.onTop.flatMap((m) => (m.geometry.type === 'Polygon' ? [m.geometry.coordinates] : m.geometry.coordinates)
    .map((coordinates) => flatRings({ type: 'Polygon', coordinates })));
  for (const r of onTopRings) places.box(places.add(), ringsBox(r), true);
  if (zone.length > 0 || onTopRings.length > 0) {
    // Pass 2: every edge that crosses the defects, noded again; each face classified by what covers it.
    const zoneRings = [...zone.map((z) => z.rings), ...onTopRings];
    const picked = edgesInZone(segs, zoneRings, new Cover(zoneRings));
    const u2 = subset(segs, picked);
    const noded2 = nodeSegments(u2.xy);
    const merged2 = mergeEdges(noded2);
    const F2 = buildFaces(merged2);
    // Which defect face of pass 1 holds each face gives its d = (grids covering − inside the
    // region), so the region need not be tested point by point (a ray across a detailed
    // outline crosses it many times): inside = covering − d.
    const defectFaces = F1.faces.map((_, f) => f).filter((f) => zoneFace(f));
    const defects = new Cover(defectFaces.map((f) => faceRings(F1, f)));
    const labels: Label[] = [];
    const labelIds = new Map<string, number>();
    const faceLabel = F2.faces.map((_, f) => {
      const p = interiorPoint(faceRings(F2, f));
      if (!p) return -1;
      const holder = defects.at(p[0], p[1]);
      const above = onTop.at(p[0], p[1]);
      if (holder.length === 0 && above.length === 0) return -1; // outside the defects and the grids on top: clean
      const covering = members.at(p[0], p[1]);
      // Outside the defects the edge pass saw clean land: d = 0 (one grid inside, none outside).
      const inside = boundary ? covering.length - (holder.length > 0 ? d[defectFaces[holder[0]]] : 0) === 1 : true;
      const l = classify(region, covering, above, foreignCover.at(p[0], p[1]).map((k) => foreign[k]), inside);
      if (!l) return -1;
      const key = `${l.kind}|${l.ids.join(',')}`;
      let id = labelIds.get(key);
      if (id === undefined) { labelIds.set(key, (id = labels.length)); labels.push(l); }
      return id;
    });
    const unmatchedSlot = new Map(unmatched.map((s, k) => [s, k]));
    for (const piece of traceRegions(F2, (f) => faceLabel[f])) {
      const l = labels[piece.label];
      // (each ring from its lowest vertex, holes in order: the same piece found in a part of the region reads the same)
      const rings = canonicalRings(piece.rings);
      const area = rings.reduce((s, r) => s + ringAreaFlat(r, 0, r.length / 2 - 1), 0);
      if (area < NOISE_M2) continue;
      const kind = l.kind;
      const place = places.add();
      places.box(place, ringsBox(rings), true);
      if (kind === 'spill') { spill.push(ringBBox(rings[0])); spillIn.push(place); }
      // The grids along a gap are the owners of the edges around it.
      const sources = piece.halfEdges.flatMap((h) => sourcesOf(merged2, noded2, h >> 1).map((k) => picked[k]));
      const slots = sources.map((s) => unmatchedSlot.get(s)).filter((k): k is number => k !== undefined);
      if (area < opts.sliverM2) {
        slivers.push(area);
        sliverIn.push(place);
        // A sliver between grids (not against the boundary) flags their edges as invalid.
        if (!sources.some((s) => segs.owner[s] === REGION)) for (const k of slots) aroundSliver.add(k);
        continue;
      }
      for (const k of slots) listedClusters.add(clusterOf[k]);
      if (kind === 'across') continue;
      const ids = kind === 'gap'
        ? [...new Set(sources.filter((s) => segs.owner[s] >= 0).map((s) => region.members[segs.owner[s]].code))].sort()
        : l.ids;
      found.push({ kind, region: region.code, ids, area_m2: area, geometry: toPolygon(rings) });
      foundIn.push(place);
    }
  }
  for (const { finding, cluster } of invalidEdges(region, segs, unmatched, noded1, merged1, clusterOf, listedClusters, aroundSliver)) {
    found.push(finding);
    foundIn.push(clusterPlace.get(cluster)!);
  }
  // The places that meet are one; what was found goes with its place.
  const root = places.join();
  const blobs = new Map<number, LandBlob & { segList: number[]; areaList: number[] }>();
  const blob = (e: number) => {
    const r = root[e];
    let b = blobs.get(r);
    if (!b) blobs.set(r, (b = { box: [Infinity, Infinity, -Infinity, -Infinity], segs: EMPTY, areas: EMPTY, findings: [], slivers: [], spillBoxes: [], segList: [], areaList: [] }));
    return b;
  };
  for (let i = 0; i < places.owner.length; i++) {
    const b = blob(places.owner[i]);
    const q = places.boxes.subarray(4 * i, 4 * i + 4);
    b.box = [Math.min(b.box[0], q[0]), Math.min(b.box[1], q[1]), Math.max(b.box[2], q[2]), Math.max(b.box[3], q[3])];
    if (places.isArea[i]) b.areaList.push(q[0], q[1], q[2], q[3]);
  }
  unmatched.forEach((s, k) => { const l = blob(segPlace[k]).segList; for (let c = 0; c < 4; c++) l.push(segs.xy[4 * s + c]); });
  found.forEach((f, i) => blob(foundIn[i]).findings.push(f));
  slivers.forEach((a, i) => blob(sliverIn[i]).slivers.push(a));
  spill.forEach((q, i) => blob(spillIn[i]).spillBoxes.push(q));
  const out: LandBlob[] = [];
  for (const { segList, areaList, ...b } of blobs.values()) out.push({ ...b, segs: Float64Array.from(segList), areas: Float64Array.from(areaList) });
  return assemble(out, region.geometry !== null);
}

const EMPTY = new Float64Array(0);

/**
 * A region's result from its places, in an order that does not depend on how they were found
 * (all at once, or some kept from before an edit and the rest worked out again): findings by
 * kind, ids and outline, slivers summed smallest first.
 */
function assemble(blobs: LandBlob[], outerEdgeChecked: boolean): LandResult {
  const findings = sortLand(blobs.flatMap((b) => b.findings));
  const areas = blobs.flatMap((b) => b.slivers).sort((a, b) => a - b);
  let area = 0;
  for (const a of areas) area += a;
  const spillBoxes = blobs.flatMap((b) => b.spillBoxes).sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
  let unmatchedEdges = 0;
  for (const b of blobs) unmatchedEdges += b.segs.length / 4;
  return { findings, slivers: { count: areas.length, area_m2: area }, unmatchedEdges, outerEdgeChecked, spillBoxes, blobs };
}

const LAND_KINDS: Record<LandFindingKind, number> = { gap: 0, overlap: 1, spill: 2, invalid_edges: 3 };

function sortLand(fs: LandFinding[]): LandFinding[] {
  const keyed = fs.map((f) => {
    const c = f.geometry.coordinates[0][0] as Position;
    return { f, k: LAND_KINDS[f.kind], ids: f.ids.join('\u0001'), x: c[0], y: c[1] };
  });
  keyed.sort((a, b) => a.k - b.k || (a.ids < b.ids ? -1 : a.ids > b.ids ? 1 : 0) || a.x - b.x || a.y - b.y || a.f.area_m2 - b.f.area_m2
    || cmpString(JSON.stringify(a.f.geometry), JSON.stringify(b.f.geometry)));
  return keyed.map((k) => k.f);
}

const cmpString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Each closed ring from its lowest vertex (x, then y), the holes after the shell in that order. */
function canonicalRings(rings: Float64Array[]): Float64Array[] {
  const out = rings.map((r) => {
    const n = r.length / 2 - 1;
    let m = 0;
    for (let i = 1; i < n; i++) if (r[2 * i] < r[2 * m] || (r[2 * i] === r[2 * m] && r[2 * i + 1] < r[2 * m + 1])) m = i;
    if (m === 0) return r;
    const o = new Float64Array(r.length);
    for (let i = 0; i <= n; i++) { const j = (m + i) % n; o[2 * i] = r[2 * j]; o[2 * i + 1] = r[2 * j + 1]; }
    return o;
  });
  const holes = out.slice(1).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return [out[0], ...holes];
}

function segBox(xy: Float64Array, s: number): Box {
  return [Math.min(xy[4 * s], xy[4 * s + 2]), Math.min(xy[4 * s + 1], xy[4 * s + 3]), Math.max(xy[4 * s], xy[4 * s + 2]), Math.max(xy[4 * s + 1], xy[4 * s + 3])];
}

function ringsBox(rings: Float64Array[]): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings) {
    const q = ringBBox(r);
    b[0] = Math.min(b[0], q[0]); b[1] = Math.min(b[1], q[1]); b[2] = Math.max(b[2], q[2]); b[3] = Math.max(b[3], q[3]);
  }
  return b;
}

/** Degrees (about 1 cm): places closer than this are one; a part of a region worked out alone keeps this clear of its edge. */
const MARGIN = 1e-7;

/** Places (clusters of unmatched edges, zones, grids on top, pieces) and their boxes, joined where boxes meet. */
class Places {
  parent: number[] = [];
  boxes = new Float64Array(64);
  owner: number[] = [];
  isArea: boolean[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  box(e: number, b: Box, area: boolean) {
    const i = this.owner.length;
    if (4 * i + 4 > this.boxes.length) { const g = new Float64Array(this.boxes.length * 2); g.set(this.boxes); this.boxes = g; }
    this.boxes.set(b, 4 * i);
    this.owner.push(e);
    this.isArea.push(area);
  }
  /** The root of each place after joining those whose boxes come within MARGIN. */
  join(): Int32Array {
    const n = this.owner.length;
    const parent = this.parent;
    const find = (v: number): number => { while (parent[v] !== v) v = parent[v] = parent[parent[v]]; return v; };
    if (n > 0) {
      const index = new Flatbush(n);
      const q = this.boxes;
      for (let i = 0; i < n; i++) index.add(q[4 * i] - MARGIN, q[4 * i + 1] - MARGIN, q[4 * i + 2] + MARGIN, q[4 * i + 3] + MARGIN);
      index.finish();
      for (let i = 0; i < n; i++) {
        index.search(q[4 * i] - MARGIN, q[4 * i + 1] - MARGIN, q[4 * i + 2] + MARGIN, q[4 * i + 3] + MARGIN, (j) => {
          const a = find(this.owner[i]), b = find(this.owner[j]);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
          return false;
        });
      }
    }
    return Int32Array.from(parent, (_, e) => find(e));
  }
}

/**
 * What a face inside the defects (or under a grid on top) is, from what covers it: the
 * region's grids tiling it, those on top (indices into region.onTop), other regions' grids.
 * Null for clean land.
 */
function classify(region: LandRegion, covering: number[], above: number[], foreign: LandMember[], inside: boolean): Label | null {
  const grids = [...covering.map((m) => region.members[m]), ...above.map((k) => region.onTop[k])];
  const codes = (ms: LandMember[]) => ms.map((m) => m.code).sort();
  if (!inside) return grids.length > 0 ? { kind: 'spill', ids: codes(grids) } : null;
  if (covering.length === 0) return above.length > 1 ? { kind: 'overlap', ids: codes(grids) } : above.length ? null : { kind: 'gap', ids: [] };
  const base = grids.filter((m) => m.kind === 'base');
  const dedicated = grids.filter((m) => m.kind !== 'base');
  const overlapping = [...(base.length > 1 ? base : []), ...(dedicated.length > 1 ? dedicated : [])];
  if (overlapping.length === 0) return null;
  // A grid of another region covering it too, of a kind overlapping there: the piece is listed
  // across regions, once, with all of them (across.ts).
  const foreignBase = foreign.filter((m) => m.kind === 'base').length;
  const foreignDedicated = foreign.length - foreignBase;
  if ((foreignBase > 0 && base.length + foreignBase > 1) || (foreignDedicated > 0 && dedicated.length + foreignDedicated > 1)) return { kind: 'across', ids: [] };
  return { kind: 'overlap', ids: codes(overlapping) };
}

/**
 * Edges between grids that enclose no land worth listing but do not match: one grid's edge
 * lies along another's without sharing its vertices, or the edges leave only slivers between
 * them — PostGIS ST_CoverageInvalidEdges, the cause of slivers. Grid edges along the
 * region's boundary or on the outside of the grids are not between grids.
 */
function invalidEdges(
  region: LandRegion, segs: Segments, unmatched: number[], noded: Noded, merged: MergedEdges,
  clusterOf: Int32Array, listed: Set<number>, aroundSliver: Set<number>,
): { finding: LandFinding; cluster: number }[] {
  const suspect = new Uint8Array(unmatched.length);
  for (const k of aroundSliver) suspect[k] = 1;
  for (let e = 0; e < merged.u.length; e++) {
    const on = [];
    for (let k = merged.start[e]; k < merged.start[e + 1]; k++) on.push(noded.src[merged.members[k]]);
    const owners = new Set(on.map((k) => segs.owner[unmatched[k]]).filter((o) => o >= 0));
    if (owners.size > 1) for (const k of on) if (segs.owner[unmatched[k]] >= 0) suspect[k] = 1;
  }
  const byCluster = new Map<number, number[]>();
  unmatched.forEach((s, k) => {
    if (!suspect[k] || listed.has(clusterOf[k])) return;
    const list = byCluster.get(clusterOf[k]);
    if (list) list.push(s);
    else byCluster.set(clusterOf[k], [s]);
  });
  const out: { finding: LandFinding; cluster: number }[] = [];
  for (const [cluster, list] of byCluster) {
    const owners = [...new Set(list.map((s) => region.members[segs.owner[s]].code))].sort();
    if (owners.length < 2) continue;
    out.push({
      cluster,
      finding: {
        kind: 'invalid_edges', region: region.code, ids: owners, area_m2: 0,
        geometry: { type: 'MultiLineString', coordinates: list.map((s) => [[segs.xy[4 * s], segs.xy[4 * s + 1]], [segs.xy[4 * s + 2], segs.xy[4 * s + 3]]]) },
      },
    });
  }
  return out;
}

/** Connected groups of unmatched edges (touching after noding): one per place where something is off. */
function clusters(noded: Noded, count: number): Int32Array {
  const nv = noded.xy.length / 2;
  const parent = new Int32Array(nv);
  for (let v = 0; v < nv; v++) parent[v] = v;
  const find = (v: number): number => { while (parent[v] !== v) v = parent[v] = parent[parent[v]]; return v; };
  for (let k = 0; k < noded.ea.length; k++) {
    const a = find(noded.ea[k]), b = find(noded.eb[k]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const out = new Int32Array(count).fill(-1);
  for (let k = 0; k < noded.ea.length; k++) out[noded.src[k]] = find(noded.ea[k]);
  return out;
}

/** Net count of directed edges along each merged edge (+1 per edge running u→v, −1 per edge v→u). */
function netDirection(noded: Noded, merged: MergedEdges): Int32Array {
  const net = new Int32Array(merged.u.length);
  for (let e = 0; e < merged.u.length; e++) {
    let w = 0;
    for (let k = merged.start[e]; k < merged.start[e + 1]; k++) w += noded.ea[merged.members[k]] === merged.u[e] ? 1 : -1;
    net[e] = w;
  }
  return net;
}

/** Input segments (indices into the subset given to the noder) lying on merged edge e. */
function sourcesOf(m: MergedEdges, noded: Noded, e: number): number[] {
  const out: number[] = [];
  for (let k = m.start[e]; k < m.start[e + 1]; k++) out.push(noded.src[m.members[k]]);
  return out;
}

/**
 * The segments that reach into the defects: those touching or crossing their outline, and
 * those lying inside them.
 */
function edgesInZone(segs: Segments, zoneRings: Float64Array[][], zone: Cover): number[] {
  const all = segmentIndex(segs);
  const outline: number[] = [];
  for (const rings of zoneRings) for (const r of rings) for (let i = 0; i + 3 < r.length; i += 2) outline.push(r[i], r[i + 1], r[i + 2], r[i + 3]);
  const nOut = outline.length / 4;
  const outIndex = new Flatbush(Math.max(1, nOut));
  for (let k = 0; k < nOut; k++) {
    outIndex.add(Math.min(outline[4 * k], outline[4 * k + 2]) - SNAP, Math.min(outline[4 * k + 1], outline[4 * k + 3]) - SNAP,
      Math.max(outline[4 * k], outline[4 * k + 2]) + SNAP, Math.max(outline[4 * k + 1], outline[4 * k + 3]) + SNAP);
  }
  if (nOut === 0) outIndex.add(0, 0, 0, 0);
  outIndex.finish();
  const seen = new Uint8Array(segs.count);
  const picked: number[] = [];
  const { xy } = segs;
  for (const rings of zoneRings) {
    const [x0, y0, x1, y1] = ringBBox(rings[0]);
    for (const s of all.search(x0 - SNAP, y0 - SNAP, x1 + SNAP, y1 + SNAP)) {
      if (seen[s]) continue;
      seen[s] = 1;
      const ax = xy[4 * s], ay = xy[4 * s + 1], bx = xy[4 * s + 2], by = xy[4 * s + 3];
      // Touching the outline (cheap, local) first; only a segment clear of it needs the
      // point-in-zone test, which on a long wiggly outline costs its many crossings.
      let hit = false;
      outIndex.search(Math.min(ax, bx) - SNAP, Math.min(ay, by) - SNAP, Math.max(ax, bx) + SNAP, Math.max(ay, by) + SNAP, (k) => {
        if (!hit && segmentsMeet(ax, ay, bx, by, outline[4 * k], outline[4 * k + 1], outline[4 * k + 2], outline[4 * k + 3])) hit = true;
        return hit;
      });
      if (hit || zone.at((ax + bx) / 2, (ay + by) / 2).length > 0) picked.push(s);
    }
  }
  return picked.sort((p, q) => p - q);
}

function segmentIndex(segs: Segments): Flatbush {
  const index = new Flatbush(Math.max(1, segs.count));
  const { xy } = segs;
  for (let s = 0; s < segs.count; s++) {
    index.add(Math.min(xy[4 * s], xy[4 * s + 2]), Math.min(xy[4 * s + 1], xy[4 * s + 3]), Math.max(xy[4 * s], xy[4 * s + 2]), Math.max(xy[4 * s + 1], xy[4 * s + 3]));
  }
  if (segs.count === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

function subset(segs: Segments, ids: number[]): { xy: Float64Array } {
  const xy = new Float64Array(ids.length * 4);
  ids.forEach((s, k) => xy.set(segs.xy.subarray(4 * s, 4 * s + 4), 4 * k));
  return { xy };
}

/**
 * Grid edges (exterior rings counter-clockwise, holes clockwise: the grid on the left), the
 * region's boundary reversed (it cancels the outer edges of the grids along it), and the
 * dedicated grids drawn on top (not matched; they only cover land in pass 2).
 */
function collectSegments(region: LandRegion): Segments {
  const all: [AreaGeometry, number, boolean][] = [
    ...region.members.map((m, i): [AreaGeometry, number, boolean] => [m.geometry, i, false]),
    ...(region.geometry ? [[region.geometry, REGION, true] as [AreaGeometry, number, boolean]] : []),
    ...region.onTop.map((m, k): [AreaGeometry, number, boolean] => [m.geometry, onTopOwner(k), false]),
    // other regions' grids reaching in: not matched either, they split pieces in pass 2
    ...(region.foreign ?? []).map((m, k): [AreaGeometry, number, boolean] => [m.geometry, onTopOwner(region.onTop.length + k), false]),
  ];
  let n = 0;
  for (const [g] of all) for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) for (const ring of poly) n += ring.length - 1;
  const xy = new Float64Array(4 * n);
  const owner = new Int32Array(n);
  let k = 0;
  for (const [g, who, reverse] of all) {
    for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (let r = 0; r < poly.length; r++) {
        const ring = poly[r];
        const flip = (signedArea(ring) > 0) !== (r === 0) !== reverse;
        for (let i = 0; i + 1 < ring.length; i++) {
          const p = ring[flip ? i + 1 : i], q = ring[flip ? i : i + 1];
          if (p[0] === q[0] && p[1] === q[1]) continue;
          xy[4 * k] = p[0]; xy[4 * k + 1] = p[1]; xy[4 * k + 2] = q[0]; xy[4 * k + 3] = q[1];
          owner[k++] = who;
        }
      }
    }
  }
  return { xy: xy.subarray(0, 4 * k), owner: owner.subarray(0, k), count: k };
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/**
 * Segments (of grids and the region; not of dedicated grids on top) not cancelled by exactly
 * one reverse segment of another owner. Each segment's ends get vertex ids by their exact
 * coordinates, and segments are grouped by their pair of ids in a hash table: linear, no sort.
 */
function unmatchedEdges(segs: Segments): number[] {
  const { xy, owner } = segs;
  const points = new PointIds(segs.count);
  const lo = new Int32Array(segs.count), hi = new Int32Array(segs.count);
  const fwd = new Uint8Array(segs.count);
  let size = 1;
  while (size < segs.count * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // first segment of each group
  const next = new Int32Array(segs.count).fill(-1); // the rest of its group
  const heads: number[] = [];
  for (let s = 0; s < segs.count; s++) {
    if (owner[s] < REGION) continue; // a dedicated grid on top
    const a = points.id(xy[4 * s], xy[4 * s + 1]), b = points.id(xy[4 * s + 2], xy[4 * s + 3]);
    lo[s] = a < b ? a : b;
    hi[s] = a < b ? b : a;
    fwd[s] = a < b ? 1 : 0;
    let slot = (Math.imul(lo[s], 0x9e3779b1) ^ Math.imul(hi[s], 0x85ebca6b)) & mask;
    for (;;) {
      const t = table[slot];
      if (t < 0) { table[slot] = s; heads.push(s); break; }
      if (lo[t] === lo[s] && hi[t] === hi[s]) { next[s] = next[t]; next[t] = s; break; }
      slot = (slot + 1) & mask;
    }
  }
  const out: number[] = [];
  for (const h of heads) {
    const m = next[h];
    if (m >= 0 && next[m] < 0 && fwd[h] !== fwd[m] && owner[h] !== owner[m]) continue; // one edge and its reverse
    for (let s = h; s >= 0; s = next[s]) out.push(s);
  }
  return out.sort((p, q) => p - q);
}

/** Which of a set of polygons hold a point (flatbush over their boxes, then the even-odd test). */
class Cover {
  private readonly tests: (RingTest | undefined)[];
  private readonly index: Flatbush | null;
  /** polygons as geometries or as their flat rings; each one's test is made when first needed */
  constructor(private readonly geoms: (AreaGeometry | Float64Array[])[]) {
    this.tests = new Array(geoms.length);
    this.index = geoms.length ? new Flatbush(geoms.length) : null;
    if (this.index) {
      for (const g of geoms) this.index.add(...(Array.isArray(g) ? ringBBox(g[0]) : geomBBox(g)));
      this.index.finish();
    }
  }

  at(x: number, y: number): number[] {
    if (!this.index) return [];
    return this.index.search(x, y, x, y).filter((i) => this.test(i).contains(x, y)).sort((a, b) => a - b);
  }

  private test(i: number): RingTest {
    const g = this.geoms[i];
    return (this.tests[i] ??= new RingTest(Array.isArray(g) ? g : flatRings(g)));
  }
}

/** Every ring of a geometry as a flat closed ring (holes included: the even-odd test needs them all). */
export function flatRings(g: AreaGeometry): Float64Array[] {
  const out: Float64Array[] = [];
  for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    for (const ring of poly) {
      const r = new Float64Array(ring.length * 2);
      ring.forEach((p, i) => { r[2 * i] = p[0]; r[2 * i + 1] = p[1]; });
      out.push(r);
    }
  }
  return out;
}

function toPolygon(rings: Float64Array[]): Polygon {
  return {
    type: 'Polygon',
    coordinates: rings.map((r) => {
      const ring: Position[] = [];
      for (let i = 0; i < r.length; i += 2) ring.push([r[i], r[i + 1]]);
      return ring;
    }),
  };
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

/**
 * The land of a region after an edit changed the grids inside `changed` (their old and new
 * outlines' box), from its previous result: only the part of the region around the edit is
 * worked out again, and what was found elsewhere is kept. The part grows from the box until
 * nothing found in it reaches its edge and nothing kept reaches into it — a place reaches in
 * when one of its edges, zones or pieces meets the part, or when its edges wind around the
 * part (it lies inside a gap or an overlap found there) — so that every place in it is found
 * whole, as a check of the whole region finds it. Its result is then the one a check of the
 * whole region gives. The whole region is checked again where there is no previous result,
 * no boundary (the grids' outer edge is then one place around everything), grids of other
 * regions reaching in, or when the part grows past half the region.
 * `near(box)`: the grids (by index, as in the members' `grid`) whose box meets the box.
 */
export function updateLandRegion(region: LandRegion, prev: LandResult, changed: Box, opts: LandOptions, near: (b: Box) => number[]): LandResult {
  if (!prev.blobs || !region.geometry || region.foreign?.length) return checkLandRegion(region, opts);
  const outline = outlineOf(region.geometry);
  const memberSlot = new Map<number, number>(), topSlot = new Map<number, number>();
  region.members.forEach((m, i) => memberSlot.set(m.grid, i));
  region.onTop.forEach((m, k) => topSlot.set(m.grid, k));
  const blobs = prev.blobs;
  const taken = new Uint8Array(blobs.length);
  let A = grow(changed, MARGIN);
  for (let round = 0; round < 16; round++) {
    for (let more = true; more;) {
      more = false;
      for (let i = 0; i < blobs.length; i++) {
        if (!taken[i] && reaches(blobs[i], A)) { taken[i] = 1; A = union(A, grow(blobs[i].box, 2 * MARGIN)); more = true; }
      }
    }
    if (boxArea(A, outline.box) > 0.5 * boxArea(outline.box, outline.box)) break;
    const part = partOf(region, A, near(A), memberSlot, topSlot, outline);
    const got = landOf(part.region, part.segs, opts);
    const inner = grow(A, -MARGIN);
    const out = got.blobs!.filter((b) => !(b.box[0] >= inner[0] && b.box[1] >= inner[1] && b.box[2] <= inner[2] && b.box[3] <= inner[3]));
    if (out.length === 0) return assemble([...blobs.filter((_, i) => !taken[i]), ...got.blobs!], true);
    for (const b of out) A = union(A, grow(b.box, 2 * MARGIN));
  }
  return checkLandRegion(region, opts);
}

const grow = (b: Box, m: number): Box => [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
const union = (a: Box, b: Box): Box => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
const meets = (a: ArrayLike<number>, i: number, b: Box) => a[i] <= b[2] && b[0] <= a[i + 2] && a[i + 1] <= b[3] && b[1] <= a[i + 3];
const boxArea = (a: Box, clip: Box) => Math.max(0, Math.min(a[2], clip[2]) - Math.max(a[0], clip[0])) * Math.max(0, Math.min(a[3], clip[3]) - Math.max(a[1], clip[1]));

/** Does a kept place reach into the box: an edge or an area of it meets the box, or its edges wind around it? */
function reaches(b: LandBlob, A: Box): boolean {
  if (!meets(b.box, 0, A)) return false;
  const { segs, areas } = b;
  for (let i = 0; i < areas.length; i += 4) if (meets(areas, i, A)) return true;
  for (let i = 0; i < segs.length; i += 4) {
    const x0 = Math.min(segs[i], segs[i + 2]), x1 = Math.max(segs[i], segs[i + 2]);
    const y0 = Math.min(segs[i + 1], segs[i + 3]), y1 = Math.max(segs[i + 1], segs[i + 3]);
    if (x0 <= A[2] && A[0] <= x1 && y0 <= A[3] && A[1] <= y1) return true;
  }
  // No edge of it meets the box: its winding number is the same all over the box.
  const x = (A[0] + A[2]) / 2, y = (A[1] + A[3]) / 2;
  let w = 0;
  for (let i = 0; i < segs.length; i += 4) {
    const ax = segs[i], ay = segs[i + 1], bx = segs[i + 2], by = segs[i + 3];
    const side = (bx - ax) * (y - ay) - (x - ax) * (by - ay);
    if (ay <= y) { if (by > y && side > 0) w++; } else if (by <= y && side < 0) w--;
  }
  return w !== 0;
}

/** The region's outline as segments (reversed, as collectSegments gives them) in a flatbush, made once per outline. */
const outlines = new WeakMap<AreaGeometry, { segs: Segments; index: Flatbush; box: Box }>();
function outlineOf(g: AreaGeometry) {
  let o = outlines.get(g);
  if (!o) {
    const segs = collectSegments({ code: '', geometry: g, members: [], onTop: [] });
    outlines.set(g, (o = { segs, index: segmentIndex(segs), box: geomBBox(g) }));
  }
  return o;
}

/** A grid's segments as collectSegments gives them (oriented, the grid on the left), made once per outline. */
const gridSegs = new WeakMap<AreaGeometry, Float64Array>();
function segmentsOf(g: AreaGeometry): Float64Array {
  let xy = gridSegs.get(g);
  if (!xy) gridSegs.set(g, (xy = collectSegments({ code: '', geometry: null, members: [{ grid: 0, code: '', kind: 'base', geometry: g }], onTop: [] }).xy));
  return xy;
}

/**
 * The part of a region in box A as a region of its own: the grids that reach into it, and the
 * segments that meet it, in the order the whole region's segments come in (grids in order,
 * then the outline, then the grids on top), so that everything in it is worked out as for the
 * whole region.
 */
function partOf(region: LandRegion, A: Box, nearGrids: number[], memberSlot: Map<number, number>, topSlot: Map<number, number>,
  outline: { segs: Segments; index: Flatbush }): { region: LandRegion; segs: Segments } {
  const ms = nearGrids.map((g) => memberSlot.get(g)).filter((k): k is number => k !== undefined).sort((a, b) => a - b);
  const ts = nearGrids.map((g) => topSlot.get(g)).filter((k): k is number => k !== undefined).sort((a, b) => a - b);
  const members = ms.map((k) => region.members[k]);
  const onTop = ts.map((k) => region.onTop[k]);
  const xy: number[] = [];
  const owner: number[] = [];
  const push = (src: Float64Array, s: number, who: number) => { xy.push(src[4 * s], src[4 * s + 1], src[4 * s + 2], src[4 * s + 3]); owner.push(who); };
  members.forEach((m, j) => {
    const S = segmentsOf(m.geometry);
    for (let s = 0; 4 * s < S.length; s++) if (meets(segBox(S, s), 0, A)) push(S, s, j);
  });
  for (const s of outline.index.search(A[0], A[1], A[2], A[3]).filter((s) => s < outline.segs.count).sort((a, b) => a - b)) push(outline.segs.xy, s, REGION);
  onTop.forEach((m, k) => {
    const S = segmentsOf(m.geometry);
    for (let s = 0; 4 * s < S.length; s++) push(S, s, onTopOwner(k));
  });
  return {
    region: { code: region.code, geometry: region.geometry, members, onTop },
    segs: { xy: Float64Array.from(xy), owner: Int32Array.from(owner), count: owner.length },
  };
}
