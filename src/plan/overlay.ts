// One arrangement of several areas and cut lines: their edges noded together and the faces
// built by the land check's own noder and face builder (checks/noding, checks/faces), each
// face labelled with the areas that cover it. Pieces traced from one arrangement share their
// vertices exactly, so an edit made this way opens no sliver between the grids it touches.
import type { Position } from 'geojson';
import type { AreaGeometry } from '../domain/types';
import { mergeEdges, nodeSegments } from '../checks/noding';
import { buildFaces, faceRings, interiorPoint, RingTest, traceRegions, type Faces } from '../checks/faces';
import { flatRings } from '../checks/land';

export interface Arrangement {
  F: Faces;
  /** per face: the indices of the areas covering it */
  cover: number[][];
  /** per face: a point inside it (null: no area) */
  inside: ([number, number] | null)[];
  /** per merged edge: whether a cut line lies along it */
  onLine: Uint8Array;
}

export function arrange(areas: AreaGeometry[], lines: Position[][] = []): Arrangement {
  const seg: number[] = [];
  for (const a of areas) for (const r of flatRings(a)) for (let i = 0; i + 3 < r.length; i += 2) seg.push(r[i], r[i + 1], r[i + 2], r[i + 3]);
  const areaSegments = seg.length / 4;
  for (const l of lines) for (let i = 0; i + 1 < l.length; i++) seg.push(l[i][0], l[i][1], l[i + 1][0], l[i + 1][1]);
  const noded = nodeSegments(Float64Array.from(seg));
  const merged = mergeEdges(noded);
  const onLine = new Uint8Array(merged.u.length);
  for (let e = 0; e < merged.u.length; e++) {
    for (let k = merged.start[e]; k < merged.start[e + 1]; k++) if (noded.src[merged.members[k]] >= areaSegments) onLine[e] = 1;
  }
  const F = buildFaces(merged);
  const tests = areas.map((a) => new RingTest(flatRings(a)));
  const inside = F.faces.map((_, f) => interiorPoint(faceRings(F, f)));
  const cover = inside.map((p) => (p ? tests.flatMap((t, i) => (t.contains(p[0], p[1]) ? [i] : [])) : []));
  return { F, cover, inside, onLine };
}

/** The areas made of the faces with each label (≥ 0), one geometry per label. */
export function traceLabels(A: Arrangement, labelOf: (face: number) => number): Map<number, AreaGeometry> {
  const polys = new Map<number, Position[][][]>();
  for (const t of traceRegions(A.F, labelOf)) {
    const list = polys.get(t.label) ?? [];
    list.push(t.rings.map(toRing));
    polys.set(t.label, list);
  }
  const out = new Map<number, AreaGeometry>();
  for (const [label, ps] of polys) out.set(label, ps.length === 1 ? { type: 'Polygon', coordinates: ps[0] } : { type: 'MultiPolygon', coordinates: ps });
  return out;
}

/** Pieces (connected sets of faces with a label) joined across edges that are not on a cut line. */
export function piecesAcrossLines(A: Arrangement, keep: (face: number) => boolean): number[] {
  const { F } = A;
  const parent = F.faces.map((_, f) => f);
  const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f])));
  const faceOf = (h: number) => (F.cycle[h] < 0 ? -1 : F.cycleFace[F.cycle[h]]);
  for (let e = 0; e < F.graph.u.length; e++) {
    if (F.dropped[e] || A.onLine[e]) continue;
    const a = faceOf(2 * e), b = faceOf(2 * e + 1);
    if (a >= 0 && b >= 0 && keep(a) && keep(b)) parent[find(a)] = find(b);
  }
  return F.faces.map((_, f) => (keep(f) ? find(f) : -1));
}

function toRing(r: Float64Array): Position[] {
  const out: Position[] = [];
  for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
  return out;
}
