// Repair of the land findings, in the spirit of PostGIS ST_CoverageClean and mapshaper's
// -clean: vertices closer than a tolerance to another grid's vertex (or the community's
// outline) snapped onto it; spill clipped to the community's outline; each overlap and then
// each gap under a size limit given to the grid with the longest shared border (larger ones
// listed for the planner). All on one arrangement of every grid near the ones repaired and
// the outlines, across communities (a sliver between two communities' grids is repaired as
// one between two grids of one), so the repaired grids share their vertices exactly.
import Flatbush from 'flatbush';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { geodesicArea } from '../checks/area';
import { interiorPoint, RingTest, traceRegions } from '../checks/faces';
import { flatRings, geomBBox } from '../checks/land';
import { arrange } from './overlay';
import { isLocked } from './grids';
import { VertexOwners } from '../checks/vertices';
import { mapRings, rings } from './topology';
import { withNeighbourVertices } from './neighbours';
import { assertValid } from './valid';
import type { GridChange, XY } from './types';

export interface RepairOptions {
  /** metres: vertices this close are snapped together */
  snapM: number;
  /** m²: gaps and overlaps up to this size are given to a neighbour */
  maxAreaM2: number;
}

export const DEFAULT_REPAIR: RepairOptions = { snapM: 1, maxAreaM2: 500 };

export interface RepairScope {
  /** the grids the repair may change; absent: every grid */
  codes?: Set<string>;
  /** each community's outline, where it has one */
  regions: Map<string, AreaGeometry>;
}

export interface RepairRow {
  code: string;
  /** vertices snapped; m² of gaps taken; m² of overlaps given up; m² of spill clipped */
  snapped: number;
  gained_m2: number;
  lost_m2: number;
  clipped_m2: number;
}

export interface LeftPiece {
  kind: 'gap' | 'overlap';
  codes: string[];
  area_m2: number;
  at: XY;
}

export interface RepairProposal {
  change: GridChange;
  rows: RepairRow[];
  left: LeftPiece[];
}

const M_PER_DEG = 111_320;

export function repairLand(grids: GridFeature[], scope: RepairScope, o: RepairOptions = DEFAULT_REPAIR): RepairProposal {
  const inScope = (g: GridFeature) => !scope.codes || scope.codes.has(g.properties.code);
  const mayChange = (g: GridFeature) => inScope(g) && !isLocked(g);
  const members = near(withoutOnTop(grids), grids.filter(inScope), scope.regions);
  const rows = new Map<string, RepairRow>();
  const row = (code: string) => rows.get(code) ?? rows.set(code, { code, snapped: 0, gained_m2: 0, lost_m2: 0, clipped_m2: 0 }).get(code)!;
  if (members.length === 0) return { change: { before: [], after: [] }, rows: [], left: [] };
  const regionCodes = [...new Set(members.map((g) => g.properties.community_code))].filter((c) => scope.regions.has(c));
  const regions = regionCodes.map((c) => scope.regions.get(c)!);
  const lat = rings(members[0].geometry)[0][0][1];
  const tol = o.snapM / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));

  // 1. Snap: a vertex no other grid (nor an outline) has, onto the nearest vertex within tol
  // that another grid or an outline has. Vertices already shared stay where they are; of two
  // lone ones, the one of the grid listed later moves.
  const targets: { x: number; y: number; rank: number }[] = [];
  for (const r of regions) for (const ring of rings(r)) for (const p of ring) targets.push({ x: p[0], y: p[1], rank: -1 });
  members.forEach((g, i) => { for (const r of rings(g.geometry)) for (const p of r) targets.push({ x: p[0], y: p[1], rank: mayChange(g) ? i : -1 }); });
  const index = new Flatbush(Math.max(1, targets.length));
  for (const t of targets) index.add(t.x, t.y, t.x, t.y);
  if (targets.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const owners = new VertexOwners([...members.map((g) => g.geometry), ...regions]);
  const snappedGeom = new Map<GridFeature, AreaGeometry>();
  members.forEach((g, i) => {
    if (!mayChange(g) || tol <= 0) return;
    let n = 0;
    const geometry = mapRings(g.geometry, (r) => r.map((p, at) => {
      if (owners.count(p[0], p[1]) > 1) return p;
      let best: { x: number; y: number } | null = null, bestD = tol;
      for (const k of index.search(p[0] - tol, p[1] - tol, p[0] + tol, p[1] + tol)) {
        const t = targets[k];
        if (t.rank === i || (t.x === p[0] && t.y === p[1])) continue;
        // two lone vertices near each other: the later grid's moves onto the earlier's (not both, crosswise)
        if (t.rank > i && owners.count(t.x, t.y) < 2) continue;
        const d = Math.hypot(t.x - p[0], t.y - p[1]);
        if (d < bestD) { bestD = d; best = t; }
      }
      if (!best) return p;
      if (at < r.length - 1) n++; // a ring's closing vertex moves with its first: counted once
      return [best.x, best.y];
    }));
    if (n > 0) { snappedGeom.set(g, geometry); row(g.properties.code).snapped += n; }
  });
  const geomOf = (g: GridFeature) => snappedGeom.get(g) ?? g.geometry;

  // 2. One arrangement of the grids (snapped) and the outlines; each face with what covers it.
  const A = arrange([...members.map(geomOf), ...regions]);
  const R = members.length;
  const F = A.F;
  const nf = F.faces.length;
  const gridsOf = (f: number) => A.cover[f].filter((k) => k < R);
  const regionOf = (f: number) => { const k = A.cover[f].find((x) => x >= R); return k === undefined ? '' : regionCodes[k - R]; };
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  const owned: Set<number>[] = F.faces.map((_, f) => new Set(gridsOf(f)));
  const faceArea = (fs: number[]) => geodesicAreaOf(F, fs);
  const community = (k: number) => members[k].properties.community_code;

  // spill: a grid leaves the faces outside its community's outline
  for (let f = 0; f < nf; f++) {
    for (const k of gridsOf(f)) {
      const c = community(k);
      if (!scope.regions.has(c) || regionOf(f) === c || !mayChange(members[k])) continue;
      owned[f].delete(k);
      row(members[k].properties.code).clipped_m2 += faceArea([f]);
    }
  }

  const left: LeftPiece[] = [];
  const edgeLength = (e: number) => { const u = F.graph.u[e], v = F.graph.v[e], xy = F.graph.xy; return Math.hypot(xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]); };
  /** Pieces: faces joined across edges when they have the same key; each with its border to faces one grid holds alone. */
  const piecesOf = (key: (f: number) => string) => {
    const parent = F.faces.map((_, f) => f);
    const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f])));
    for (let e = 0; e < F.graph.u.length; e++) {
      if (F.dropped[e]) continue;
      const a = faceOf(2 * e), b = faceOf(2 * e + 1);
      if (a >= 0 && b >= 0 && key(a) && key(a) === key(b)) parent[find(a)] = find(b);
    }
    const pieces = new Map<number, { faces: number[]; border: Map<number, number>; open: boolean }>();
    for (let f = 0; f < nf; f++) if (key(f)) { const r = find(f); const p = pieces.get(r) ?? pieces.set(r, { faces: [], border: new Map(), open: false }).get(r)!; p.faces.push(f); }
    for (let e = 0; e < F.graph.u.length; e++) {
      if (F.dropped[e]) continue;
      const a = faceOf(2 * e), b = faceOf(2 * e + 1);
      for (const [inside, other] of [[a, b], [b, a]]) {
        if (inside < 0 || !key(inside)) continue;
        const p = pieces.get(find(inside))!;
        if (other >= 0 && key(other) === key(inside) && find(other) === find(inside)) continue;
        if (other < 0) { p.open = true; continue; }
        if (owned[other].size !== 1) continue;
        const g = owned[other].values().next().value!;
        p.border.set(g, (p.border.get(g) ?? 0) + edgeLength(e));
      }
    }
    return [...pieces.values()];
  };
  const at = (f: number): XY => { const p = A.inside[f] ?? [0, 0]; return [p[0], p[1]]; };
  const longest = (border: Map<number, number>, allowed: (k: number) => boolean) =>
    [...border].filter(([k]) => allowed(k)).sort((p, q) => q[1] - p[1] || p[0] - q[0])[0]?.[0];

  // 3. Overlaps: the piece stays with one covering grid (one that may not change, else the
  // one bordering it longest across the others' edges), the others give it up.
  for (const piece of piecesOf((f) => (owned[f].size > 1 ? [...owned[f]].sort((a, b) => a - b).join(',') : ''))) {
    const covering = [...owned[piece.faces[0]]];
    const area = faceArea(piece.faces);
    // a grid that may not change, spilling here out of its community's outline, has no claim
    const region = regionOf(piece.faces[0]);
    const claims = covering.filter((k) => !scope.regions.has(community(k)) || community(k) === region);
    const fixed = claims.filter((k) => !mayChange(members[k]));
    const winner = fixed.length ? (fixed.length === 1 ? fixed[0] : undefined) : longest(piece.border, (k) => claims.includes(k));
    if (area > o.maxAreaM2 || winner === undefined) {
      left.push({ kind: 'overlap', codes: covering.map((k) => members[k].properties.code).sort(), area_m2: area, at: at(piece.faces[0]) });
      continue;
    }
    for (const k of covering) {
      if (k === winner) continue;
      for (const f of piece.faces) owned[f].delete(k);
      row(members[k].properties.code).lost_m2 += area;
    }
  }

  // 4. Gaps (land in an outline, or enclosed by grids with no outline, that no grid holds): to
  // the grid bordering it longest, of the community whose outline holds it.
  for (const piece of piecesOf((f) => (owned[f].size === 0 ? (regionOf(f) || 'none') : ''))) {
    const c = regionOf(piece.faces[0]);
    const bordering = [...piece.border.keys()];
    if (!c && (piece.open || bordering.some((k) => scope.regions.has(community(k))))) continue; // outside the district's land
    const area = faceArea(piece.faces);
    const winner = longest(piece.border, (k) => mayChange(members[k]) && (!c || community(k) === c));
    if (area > o.maxAreaM2 || winner === undefined) {
      left.push({ kind: 'gap', codes: bordering.map((k) => members[k].properties.code).sort(), area_m2: area, at: at(piece.faces[0]) });
      continue;
    }
    for (const f of piece.faces) owned[f].add(winner);
    row(members[winner].properties.code).gained_m2 += area;
  }

  // 5. The grids whose land or vertices changed, traced from the arrangement.
  const before: GridFeature[] = [];
  const after: GridFeature[] = [];
  const changedLand = new Set<number>();
  for (let f = 0; f < nf; f++) {
    const was = gridsOf(f);
    for (const k of was) if (!owned[f].has(k)) changedLand.add(k);
    for (const k of owned[f]) if (!was.includes(k)) changedLand.add(k);
  }
  members.forEach((g, k) => {
    if (!mayChange(g)) return;
    const landChanged = changedLand.has(k);
    if (!landChanged && !snappedGeom.has(g)) return;
    before.push(g);
    if (!landChanged) { after.push({ ...g, geometry: geomOf(g) }); return; }
    const traced = traceRegions(F, (f) => (owned[f].has(k) ? 0 : -1)).map((t) => t.rings.map((r) => { const out: number[][] = []; for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]); return out; }));
    if (traced.length === 0) return; // nothing left: the grid goes
    after.push({ ...g, geometry: traced.length === 1 ? { type: 'Polygon', coordinates: traced[0] } : { type: 'MultiPolygon', coordinates: traced } });
  });
  const change = assertValid(withNeighbourVertices(grids, { before, after }));
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    change,
    rows: [...rows.values()].filter((r) => r.snapped || r.gained_m2 || r.lost_m2 || r.clipped_m2)
      .map((r) => ({ ...r, gained_m2: round(r.gained_m2), lost_m2: round(r.lost_m2), clipped_m2: round(r.clipped_m2) }))
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
    left: left.sort((a, b) => b.area_m2 - a.area_m2),
  };
}

/** The grids whose box meets the box of those repaired (and their outlines): the neighbourhood. */
function near(all: GridFeature[], repaired: GridFeature[], regions: Map<string, AreaGeometry>): GridFeature[] {
  if (repaired.length === all.length) return all;
  const boxes = [...repaired.map((g) => geomBBox(g.geometry)), ...[...new Set(repaired.map((g) => g.properties.community_code))].flatMap((c) => (regions.has(c) ? [geomBBox(regions.get(c)!)] : []))];
  if (boxes.length === 0) return [];
  const [w, s, e, n] = boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
  return all.filter((g) => { const b = geomBBox(g.geometry); return b[0] <= e && b[2] >= w && b[1] <= n && b[3] >= s; });
}

/** The grids less the dedicated ones laid on top of base grids (meant to overlap them, as the land check tells them apart). */
export function withoutOnTop(grids: GridFeature[]): GridFeature[] {
  const base = grids.filter((g) => g.properties.kind === 'base').map((g) => new RingTest(flatRings(g.geometry)));
  return grids.filter((g) => {
    if (g.properties.kind !== 'dedicated') return true;
    const p = interiorPoint(flatRings(g.geometry));
    return !(p && base.some((t) => t.contains(p[0], p[1])));
  });
}

/** Geodesic area (m²) of a set of faces (their shells less their holes). */
function geodesicAreaOf(F: ReturnType<typeof arrange>['F'], fs: number[]): number {
  let total = 0;
  for (const f of fs) {
    for (const [c, sign] of [[F.faces[f].shell, 1], ...F.faces[f].holes.map((h) => [h, -1])] as [number, number][]) {
      const ring: number[][] = [];
      let h = F.cycleFirst[c];
      const first = h;
      do { const v = (h & 1) === 0 ? F.graph.u[h >> 1] : F.graph.v[h >> 1]; ring.push([F.graph.xy[2 * v], F.graph.xy[2 * v + 1]]); h = F.next[h]; } while (h !== first);
      ring.push(ring[0]);
      total += sign * geodesicArea({ type: 'Polygon', coordinates: [ring] });
    }
  }
  return total;
}
