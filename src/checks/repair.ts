// Invalid polygons, found and mended the way PostGIS ST_MakeValid (GEOS MakeValid, "linework")
// does: the rings are noded where they cross or touch, the faces of that linework are built,
// and a face is kept when it lies inside an odd number of a part's rings (so a bow-tie
// becomes its two triangles, a spike or a zero-area ring disappears, a ring that touches
// itself becomes a polygon with a hole); the parts of a MultiPolygon are then joined.
//
// checkArea finds what is wrong (exactly, with the exact orientation tests of the noder):
// rings that cross or touch themselves or each other, spikes (an edge doubling back over
// the one before), rings with no area, holes outside their shell, parts overlapping.
import type { Position } from 'geojson';
import type { AreaGeometry } from '../domain/types';
import { SNAP, mergeEdges, nodeSegments, orient, segmentsMeet } from './noding';
import { buildFaces, faceRings, interiorPoint, RingTest, traceRegions } from './faces';

export type RepairCode = 'self_intersection' | 'self_touching' | 'spike' | 'zero_area_ring' | 'hole_outside' | 'overlapping_parts';

export interface AreaDefect {
  code: RepairCode;
  /** where (lon, lat), when it is a place */
  at: [number, number] | null;
}

interface RingSet {
  /** flat closed rings */
  rings: Float64Array[];
  /** part (polygon of a MultiPolygon) of each ring; ring 0 of a part is its shell */
  part: number[];
  shell: boolean[];
}

function ringSet(g: AreaGeometry): RingSet {
  const out: RingSet = { rings: [], part: [], shell: [] };
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).forEach((poly, p) => {
    poly.forEach((ring, r) => {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach((q, i) => { flat[2 * i] = q[0]; flat[2 * i + 1] = q[1]; });
      out.rings.push(flat);
      out.part.push(p);
      out.shell.push(r === 0);
    });
  });
  return out;
}

function planarArea(r: Float64Array): number {
  let s = 0;
  const x0 = r[0], y0 = r[1];
  for (let i = 0; i + 3 < r.length; i += 2) s += (r[i] - x0) * (r[i + 3] - y0) - (r[i + 2] - x0) * (r[i + 1] - y0);
  return s / 2;
}

/** Segments of every ring (ax, ay, bx, by), repeated points left out, with their ring. */
function segmentsOf(rs: RingSet): { xy: Float64Array; ring: Int32Array } {
  const xy: number[] = [];
  const ring: number[] = [];
  rs.rings.forEach((r, k) => {
    for (let i = 0; i + 3 < r.length; i += 2) {
      if (r[i] === r[i + 2] && r[i + 1] === r[i + 3]) continue;
      xy.push(r[i], r[i + 1], r[i + 2], r[i + 3]);
      ring.push(k);
    }
  });
  return { xy: Float64Array.from(xy), ring: Int32Array.from(ring) };
}

/** What is wrong with the rings of a structurally sound area geometry, or null when it is valid. */
export function checkArea(g: AreaGeometry): AreaDefect | null {
  if (g.type === 'Polygon' && g.coordinates.length === 1 && simpleSmallRing(g.coordinates[0])) return null;
  const rs = ringSet(g);
  const zeroArea = (): AreaDefect | null => {
    for (const r of rs.rings) if (planarArea(r) === 0) return { code: 'zero_area_ring', at: [r[0], r[1]] };
    return null;
  };
  // All on one line: no area at all (before its edges are seen to fold back over each other).
  for (const r of rs.rings) if (collinear(r)) return { code: 'zero_area_ring', at: [r[0], r[1]] };
  const { xy, ring } = segmentsOf(rs);
  const n = ring.length;
  // Consecutive edges of a ring folding back over each other: a spike.
  for (let k = 0; k < n; k++) {
    const next = k + 1 < n && ring[k + 1] === ring[k] ? k + 1 : firstOfRing(ring, k);
    if (foldsBack(xy, k, next)) return { code: 'spike', at: [xy[4 * k + 2], xy[4 * k + 3]] };
  }
  if (rs.rings.length === 1 && n <= 64 && !anyPairMeets(xy, n)) return zeroArea(); // the common case, without an index
  const noded = nodeSegments(xy);
  if (noded.ea.length !== n) {
    // Some edge was cut: where another crosses it or ends on it.
    const cut = firstCut(noded.src, n);
    const k = noded.ea.findIndex((_, i) => noded.src[i] === cut);
    const v = noded.eb[k];
    const at: [number, number] = [noded.xy[2 * v], noded.xy[2 * v + 1]];
    return { code: 'self_intersection', at };
  }
  const merged = mergeEdges(noded);
  if (merged.u.length !== n) return { code: 'spike', at: null };
  // A vertex met by more than two edges of one ring: the ring touches itself.
  const nv = noded.xy.length / 2;
  const seenRing = new Int32Array(nv).fill(-1);
  const count = new Uint8Array(nv);
  for (let k = 0; k < n; k++) {
    for (const v of [noded.ea[k], noded.eb[k]]) {
      if (seenRing[v] !== ring[k]) { seenRing[v] = ring[k]; count[v] = 0; }
      if (++count[v] > 2) return { code: 'self_touching', at: [noded.xy[2 * v], noded.xy[2 * v + 1]] };
    }
  }
  const flat = zeroArea();
  if (flat) return flat;
  // Rings meet at most at single vertices now: holes inside their own shell and no other
  // hole, parts outside each other.
  if (rs.rings.length > 1) {
    const tests = rs.rings.map((r) => new RingTest([r]));
    const mid = (r: Float64Array): [number, number] => [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2];
    for (let a = 0; a < rs.rings.length; a++) {
      const p = mid(rs.rings[a]);
      for (let b = 0; b < rs.rings.length; b++) {
        if (a === b) continue;
        const inside = tests[b].contains(p[0], p[1]);
        const samepart = rs.part[a] === rs.part[b];
        if (samePartShell(rs, a, b) && !inside) return { code: 'hole_outside', at: p };
        if (samepart && !rs.shell[a] && !rs.shell[b] && inside) return { code: 'hole_outside', at: p };
        if (!samepart && rs.shell[a] && rs.shell[b] && inside && !inHoleOf(rs, tests, b, p)) return { code: 'overlapping_parts', at: p };
      }
    }
  }
  return null;
}

/**
 * The common case, decided without allocating (200,000 footprints pass here): a ring of up to
 * 64 vertices with no repeated point, whose edges do not fold back, whose non-neighbouring
 * edges do not meet, and which encloses area. False means "look closer", not "invalid".
 */
function simpleSmallRing(ring: Position[]): boolean {
  const n = ring.length - 1;
  if (n < 3 || n > 64) return false;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i], b = ring[i + 1], c = ring[i + 2 > n ? 1 : i + 2];
    if (a[0] === b[0] && a[1] === b[1]) return false;
    area += a[0] * b[1] - b[0] * a[1];
    // Folding back: c on the line a→b, behind b.
    if (orient(a[0], a[1], b[0], b[1], c[0], c[1]) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0) return false;
  }
  if (area === 0) return false;
  for (let i = 0; i < n; i++) {
    const a = ring[i], b = ring[i + 1];
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const c = ring[j], d = ring[j + 1];
      if (Math.max(a[0], b[0]) + SNAP < Math.min(c[0], d[0]) || Math.max(c[0], d[0]) + SNAP < Math.min(a[0], b[0])
        || Math.max(a[1], b[1]) + SNAP < Math.min(c[1], d[1]) || Math.max(c[1], d[1]) + SNAP < Math.min(a[1], b[1])) continue;
      if (segmentsMeet(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1])) return false;
    }
  }
  return true;
}

function collinear(r: Float64Array): boolean {
  let k = 2;
  while (k < r.length && r[k] === r[0] && r[k + 1] === r[1]) k += 2;
  if (k >= r.length) return true;
  for (let i = k + 2; i < r.length; i += 2) if (orient(r[0], r[1], r[k], r[k + 1], r[i], r[i + 1]) !== 0) return false;
  return true;
}

/** Do two edges of one ring that are not neighbours meet anywhere (a quick pairwise test)? */
function anyPairMeets(xy: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing vertex
      if (segmentsMeet(xy[4 * i], xy[4 * i + 1], xy[4 * i + 2], xy[4 * i + 3], xy[4 * j], xy[4 * j + 1], xy[4 * j + 2], xy[4 * j + 3])) return true;
    }
  }
  return false;
}

function samePartShell(rs: RingSet, hole: number, shell: number): boolean {
  return !rs.shell[hole] && rs.shell[shell] && rs.part[hole] === rs.part[shell];
}

/** Is p in one of the holes of the part whose shell is ring `shell`? */
function inHoleOf(rs: RingSet, tests: RingTest[], shell: number, p: [number, number]): boolean {
  for (let h = 0; h < rs.rings.length; h++) if (samePartShell(rs, h, shell) && tests[h].contains(p[0], p[1])) return true;
  return false;
}

function firstOfRing(ring: Int32Array, k: number): number {
  let j = k;
  while (j > 0 && ring[j - 1] === ring[k]) j--;
  return j;
}

/** Does edge `next` run back along edge k (collinear, pointing backwards)? */
function foldsBack(xy: Float64Array, k: number, next: number): boolean {
  const ax = xy[4 * k], ay = xy[4 * k + 1], bx = xy[4 * k + 2], by = xy[4 * k + 3];
  const cx = xy[4 * next + 2], cy = xy[4 * next + 3];
  if (orient(ax, ay, bx, by, cx, cy) !== 0) return false;
  return (bx - ax) * (cx - bx) + (by - ay) * (cy - by) < 0;
}

function firstCut(src: Int32Array, n: number): number {
  const pieces = new Int32Array(n);
  for (const s of src) pieces[s]++;
  const k = pieces.findIndex((c) => c !== 1);
  return k < 0 ? 0 : k;
}

/**
 * The valid area the rings describe (ST_MakeValid): null when nothing with area is left
 * (a zero-area grid). Holes wind clockwise and shells counter-clockwise in the result.
 */
export function makeValid(g: AreaGeometry): AreaGeometry | null {
  const rs = ringSet(g);
  const { xy } = segmentsOf(rs);
  const F = buildFaces(mergeEdges(nodeSegments(xy)));
  const parts = [...new Set(rs.part)].map((p) => new RingTest(rs.rings.filter((_, k) => rs.part[k] === p)));
  const keep = F.faces.map((_, f) => {
    const p = interiorPoint(faceRings(F, f));
    return p !== null && parts.some((t) => t.contains(p[0], p[1]));
  });
  const polys = traceRegions(F, (f) => (keep[f] ? 0 : -1)).map((t) => t.rings.map(toRing));
  if (polys.length === 0) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function toRing(r: Float64Array): Position[] {
  const out: Position[] = [];
  for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
  return out;
}
