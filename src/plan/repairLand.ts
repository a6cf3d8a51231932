// Repair of the land findings, in the spirit of PostGIS ST_CoverageClean and mapshaper's
// -clean: vertices closer than a tolerance to another grid's vertex (or edge, or the
// community's outline) snapped onto it; each gap and overlap under a size limit given to the
// neighbouring grid with the longest shared border (larger ones listed for the planner);
// spill clipped to the community's outline. All on one arrangement of the grids and the
// outline, so the repaired grids share their vertices exactly.
import Flatbush from 'flatbush';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { geodesicArea } from '../checks/area';
import { traceRegions } from '../checks/faces';
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

export function repairLand(all: GridFeature[], members: GridFeature[], region: AreaGeometry | null, o: RepairOptions = DEFAULT_REPAIR): RepairProposal {
  const editable = members.filter((g) => !isLocked(g));
  const lat = region ? rings(region)[0][0][1] : rings(members[0].geometry)[0][0][1];
  const tol = o.snapM / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));
  const rows = new Map<string, RepairRow>();
  const row = (code: string) => rows.get(code) ?? rows.set(code, { code, snapped: 0, gained_m2: 0, lost_m2: 0, clipped_m2: 0 }).get(code)!;

  // 1. Snap: a vertex no other grid (nor the outline) has, onto the nearest vertex within tol
  // that another grid or the outline has. Vertices already shared stay where they are.
  const targets: { x: number; y: number; rank: number }[] = [];
  if (region) for (const r of rings(region)) for (const p of r) targets.push({ x: p[0], y: p[1], rank: -1 });
  members.forEach((g, i) => { for (const r of rings(g.geometry)) for (const p of r) targets.push({ x: p[0], y: p[1], rank: isLocked(g) ? -1 : i }); });
  const index = new Flatbush(Math.max(1, targets.length));
  for (const t of targets) index.add(t.x, t.y, t.x, t.y);
  if (targets.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const owners = new VertexOwners([...members.map((g) => g.geometry), ...(region ? [region] : [])]);
  const snappedGeom = new Map<GridFeature, AreaGeometry>();
  members.forEach((g, i) => {
    if (isLocked(g)) return;
    let n = 0;
    const geometry = mapRings(g.geometry, (r) => r.map((p, at) => {
      if (owners.count(p[0], p[1]) > 1) return p;
      let best: { x: number; y: number } | null = null, bestD = tol;
      for (const k of index.search(p[0] - tol, p[1] - tol, p[0] + tol, p[1] + tol)) {
        const t = targets[k];
        if (t.rank === i || (t.x === p[0] && t.y === p[1])) continue;
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

  // 2. One arrangement of the grids (snapped) and the outline; each face with what covers it.
  const areas = [...members.map(geomOf), ...(region ? [region] : [])];
  const A = arrange(areas);
  const R = members.length;
  const F = A.F;
  const inRegion = (f: number) => (region ? A.cover[f].includes(R) : true);
  const gridsOf = (f: number) => A.cover[f].filter((k) => k < R);
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  const owned: Set<number>[] = F.faces.map((_, f) => new Set(inRegion(f) ? gridsOf(f) : []));
  const nf = F.faces.length;
  const faceArea = (fs: number[]) => geodesicAreaOf(F, fs);

  // spill: faces outside the region leave their grids
  for (let f = 0; f < nf; f++) {
    if (inRegion(f) || gridsOf(f).length === 0) continue;
    const a = faceArea([f]);
    for (const k of gridsOf(f)) row(members[k].properties.code).clipped_m2 += a;
  }

  // 3. Pieces of gap (in region, no grid) and overlap (two or more grids), joined across edges.
  const kindOf = (f: number) => (!inRegion(f) ? '' : gridsOf(f).length === 0 ? 'gap' : gridsOf(f).length > 1 ? `overlap:${gridsOf(f).join(',')}` : '');
  const parent = F.faces.map((_, f) => f);
  const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f])));
  for (let e = 0; e < F.graph.u.length; e++) {
    if (F.dropped[e]) continue;
    const a = faceOf(2 * e), b = faceOf(2 * e + 1);
    if (a >= 0 && b >= 0 && kindOf(a) && kindOf(a) === kindOf(b)) parent[find(a)] = find(b);
  }
  const pieces = new Map<number, number[]>();
  for (let f = 0; f < nf; f++) if (kindOf(f)) { const r = find(f); pieces.set(r, [...(pieces.get(r) ?? []), f]); }
  // A gap touching the outside of all grids with no outline is the world, not a gap.
  const left: LeftPiece[] = [];
  const xy = F.graph.xy;
  for (const [root, fs] of pieces) {
    const isGap = kindOf(root) === 'gap';
    const inPiece = new Set(fs);
    // border with each grid: edges of the piece whose other side is held by that grid alone
    const border = new Map<number, number>();
    let open = false;
    for (const f of fs) {
      for (let e = 0; e < F.graph.u.length; e++) {
        if (F.dropped[e]) continue;
        const a = faceOf(2 * e), b = faceOf(2 * e + 1);
        const other = a === f ? b : b === f ? a : -2;
        if (other === -2 || inPiece.has(other)) continue;
        if (other < 0) { open = true; continue; }
        const g = gridsOf(other);
        if (g.length !== 1 || !inRegion(other)) continue;
        const u = F.graph.u[e], v = F.graph.v[e];
        border.set(g[0], (border.get(g[0]) ?? 0) + Math.hypot(xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]));
      }
    }
    if (isGap && open && !region) continue;
    const area = faceArea(fs);
    const covering = isGap ? [] : gridsOf(root);
    // a gap goes to the grid it shares most border with; an overlap stays with the covering
    // grid that borders it across the other grid's edges (the one it was taken from)
    const ranked = [...border].filter(([k]) => !isLocked(members[k]) && (isGap || covering.includes(k))).sort((p, q) => q[1] - p[1] || p[0] - q[0]);
    if (area > o.maxAreaM2 || ranked.length === 0) {
      const p = A.inside[root] ?? [0, 0];
      left.push({ kind: isGap ? 'gap' : 'overlap', codes: (isGap ? [...border.keys()] : covering).map((k) => members[k].properties.code).sort(), area_m2: area, at: [p[0], p[1]] });
      continue;
    }
    const winner = ranked[0][0];
    if (isGap) {
      for (const f of fs) owned[f].add(winner);
      row(members[winner].properties.code).gained_m2 += area;
    } else {
      for (const k of covering) {
        if (k === winner || isLocked(members[k])) continue;
        for (const f of fs) owned[f].delete(k);
        row(members[k].properties.code).lost_m2 += area;
      }
    }
  }

  // 4. The grids whose land or vertices changed, traced from the arrangement.
  const before: GridFeature[] = [];
  const after: GridFeature[] = [];
  editable.forEach((g) => {
    const k = members.indexOf(g);
    const was = F.faces.map((_, f) => gridsOf(f).includes(k));
    const now = F.faces.map((_, f) => owned[f].has(k));
    const landChanged = was.some((w, f) => w !== now[f]);
    if (!landChanged && !snappedGeom.has(g)) return;
    before.push(g);
    if (!landChanged) { after.push({ ...g, geometry: geomOf(g) }); return; }
    const traced = traceRegions(F, (f) => (now[f] ? 0 : -1)).map((t) => t.rings.map((r) => { const out: number[][] = []; for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]); return out; }));
    if (traced.length === 0) return; // nothing left: the grid goes
    after.push({ ...g, geometry: traced.length === 1 ? { type: 'Polygon', coordinates: traced[0] } : { type: 'MultiPolygon', coordinates: traced } });
  });
  const change = assertValid(withNeighbourVertices(all, { before, after }));
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    change,
    rows: [...rows.values()].filter((r) => r.snapped || r.gained_m2 || r.lost_m2 || r.clipped_m2)
      .map((r) => ({ ...r, gained_m2: round(r.gained_m2), lost_m2: round(r.lost_m2), clipped_m2: round(r.clipped_m2) }))
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
    left,
  };
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
