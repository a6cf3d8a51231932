// Bad input, named: every feature the engine cannot use is skipped with a reason that names
// it; the rest is checked. Nothing is dropped without a line in the report.
import type { Feature, Geometry, Position } from 'geojson';
import type { AreaGeometry } from '../domain/types';
import type { Skipped } from './report';
import { markRepeats } from './ids';
import { checkArea, makeValid, type AreaDefect } from './repair';

type Layer = Skipped['layer'];

/**
 * The most vertices one grid, building or boundary may have: the checks are near-linear in
 * vertices (a 1,000,000-vertex grid checks in seconds), but past this a shape is a drawing
 * error or wants simplifying, and it is refused with that said.
 */
export const MAX_VERTICES = 2_000_000;

/** Plausible lon/lat for this product: mainland China and its surroundings. */
const CHINA = { minLon: 70, maxLon: 140, minLat: 15, maxLat: 56 };

/** What is wrong, as a code the UI translates (messages "skip.<code>") and its values. */
export interface Problem {
  code: 'no_geometry' | 'not_polygon' | 'empty_geometry' | 'short_ring' | 'not_number' | 'lat_lon' | 'not_degrees'
    | 'not_closed' | 'self_intersecting' | 'self_touching' | 'spike' | 'zero_area_ring' | 'hole_outside' | 'overlapping_parts'
    | 'no_area' | 'too_many_vertices' | 'missing_property' | 'duplicate_id' | 'malformed_row' | 'unclosed_quote' | 'too_deep'
    | 'degenerate_part';
  params: Record<string, string | number>;
}

const EN: Record<Problem['code'], (p: Record<string, string | number>) => string> = {
  no_geometry: () => 'no geometry',
  not_polygon: (p) => `geometry is a ${p.type}, not a polygon`,
  empty_geometry: () => 'empty geometry',
  short_ring: (p) => `ring with ${p.points} points (a ring needs at least 4)`,
  not_number: (p) => `coordinate is not a number (${p.at})`,
  lat_lon: (p) => `coordinates ${p.at} look like [lat, lon]; expected [lon, lat]`,
  not_degrees: (p) => `coordinates ${p.at} are not degrees (projected metres given as lon/lat?)`,
  not_closed: (p) => `ring not closed (first point ${p.first}, last ${p.last})`,
  self_intersecting: (p) => `self-intersecting ring (edges cross near ${p.at})`,
  self_touching: (p) => `ring touches itself at ${p.at}`,
  spike: (p) => `spike: an edge doubles back over the one before${p.at ? ` at ${p.at}` : ''}`,
  zero_area_ring: (p) => `ring with no area (near ${p.at})`,
  hole_outside: (p) => `hole not inside its outer ring, or inside another hole (near ${p.at})`,
  overlapping_parts: (p) => `parts of the multipolygon overlap (near ${p.at})`,
  too_many_vertices: (p) => `${p.n} vertices: more than the ${p.max} one shape may have (simplify it first)`,
  no_area: () => 'no area left once its rings are made valid (a zero-area or collapsed polygon)',
  missing_property: (p) => `missing property "${p.name}"`,
  duplicate_id: (p) => `duplicate ${p.name} "${p.id}" (the first one is kept)`,
  unclosed_quote: (p) => `a quote opened on line ${p.from} is never closed: lines ${p.from}–${p.to} run together and cannot be read`,
  malformed_row: (p) => `line ${p.row} of the table cannot be read cleanly (${p.message})`,
  too_deep: (p) => `property "${p.name}" nests more than ${p.max} levels deep (not an attribute: the feature is set aside)`,
  degenerate_part: (p) => `${p.dropped} collapsed part${p.dropped === 1 ? '' : 's'} or ring${p.dropped === 1 ? '' : 's'} (empty, a repeated point, or fewer than 3 distinct points) dropped, ${p.parts} part${p.parts === 1 ? '' : 's'} kept and checked`,
};

/** The problem in plain English (the CLI, the report's "reason"). */
export function describe(p: Problem): string {
  return EN[p.code](p.params);
}

export function skippedItem(layer: Layer, id: string, p: Problem): Skipped {
  return { layer, id, code: p.code, params: p.params, reason: describe(p) };
}

const problem = (code: Problem['code'], params: Problem['params'] = {}): Problem => ({ code, params });

export function featureLabel(f: Feature | undefined, idKey: string, position: number): string {
  const v = f?.properties?.[idKey];
  return v !== undefined && v !== null && v !== '' ? String(v) : `#${position + 1}`;
}

/**
 * What is wrong with an area geometry's structure (type, ring sizes, numbers, closure), or
 * null when it can be read as rings of lon/lat points. Topology is checkArea's part.
 */
export function structureProblem(g: Geometry | null | undefined): Problem | null {
  if (!g) return problem('no_geometry');
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return problem('not_polygon', { type: g.type });
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0 || polys.some((p) => !Array.isArray(p) || p.length === 0)) return problem('empty_geometry');
  let vertices = 0;
  for (const poly of polys) for (const ring of poly) vertices += Array.isArray(ring) ? ring.length : 0;
  if (vertices > MAX_VERTICES) return problem('too_many_vertices', { n: vertices, max: MAX_VERTICES });
  for (let q = 0; q < polys.length; q++) {
    const poly = polys[q];
    for (let r = 0; r < poly.length; r++) {
      const ring = poly[r];
      if (!Array.isArray(ring) || ring.length < 4) return problem('short_ring', { points: Array.isArray(ring) ? ring.length : 0 });
      const c = coordProblem(ring);
      if (c) return c;
      const a = ring[0];
      const b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) return problem('not_closed', { first: fmt(a), last: fmt(b) });
    }
  }
  return null;
}

/** What is wrong with an area geometry, structure or topology; null when it is a valid polygon. */
export function areaProblem(g: Geometry | null | undefined): Problem | null {
  const wrong = structureProblem(g);
  if (wrong) return wrong;
  const defect = checkArea(g as AreaGeometry);
  return defect ? defectProblem(defect) : null;
}

function defectProblem(d: AreaDefect): Problem {
  const at = d.at ? fmt(d.at) : '';
  return problem(d.code === 'self_intersection' ? 'self_intersecting' : d.code, { at });
}

/** Coordinates that are not lon/lat degrees in the product's area. */
export function coordProblem(points: Position[]): Problem | null {
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!Array.isArray(p)) return problem('not_number', { at: String(p) });
    const wrong = pointProblem(p[0], p[1]);
    if (wrong) return wrong;
  }
  return null;
}

const inLon = (v: number) => v >= CHINA.minLon && v <= CHINA.maxLon;
const inLat = (v: number) => v >= CHINA.minLat && v <= CHINA.maxLat;
/** Whether a lon/lat lies in China's box (a notice for the rest, never a reason to refuse it). */
export const inChina = (x: number, y: number) => inLon(x) && inLat(y);

/** What is wrong with one lon/lat pair, or null. No allocation: runs once per household. */
export function pointProblem(x: number, y: number): Problem | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return problem('not_number', { at: fmt([x, y]) });
  if (!inLon(x) && inLat(x) && inLon(y)) return problem('lat_lon', { at: fmt([x, y]) });
  if (Math.abs(x) > 180 || Math.abs(y) > 90) return problem('not_degrees', { at: fmt([x, y]) });
  return null;
}

const fmt = (p: Position) => `[${p[0]}, ${p[1]}]`;

export { problem };

/**
 * Keeps the usable area features of a layer: a readable geometry and the id property present
 * (and unique, unless duplicates are a finding of their own, as grid codes are). A polygon
 * whose rings cross or touch themselves is made valid (ST_MakeValid) and kept; the repair is
 * listed with what was wrong. Returns the kept features, what was skipped and what repaired.
 */
export function validAreas<F extends Feature<AreaGeometry>>(
  layer: Layer, features: F[], idKey: string, { unique = true, refused = new Map<number, Problem>() } = {},
): { kept: F[]; skipped: Skipped[]; repaired: Skipped[] } {
  const usable: F[] = [];
  const ids: string[] = [];
  const skipped: Skipped[] = [];
  const repaired: Skipped[] = [];
  for (let i = 0; i < features.length; i++) {
    let f = features[i];
    const id = featureLabel(f, idKey, i);
    const raw = f?.properties?.[idKey];
    const noId = raw === undefined || raw === null || raw === '';
    // refused: what reading already found wrong with the feature at this position
    const early = refused.get(i);
    // A collapsed part beside good ones is dropped (and said so), not the whole feature with it.
    const trimmed = early || noId ? null : withoutCollapsedParts(f.geometry);
    if (trimmed) {
      const what = problem('degenerate_part', { dropped: trimmed.dropped, parts: partsOf(trimmed.geometry) });
      repaired.push(skippedItem(layer, id, what));
      f = { ...f, geometry: trimmed.geometry };
    }
    const wrong = early ?? (noId ? problem('missing_property', { name: idKey }) : structureProblem(f.geometry));
    if (wrong) { skipped.push(skippedItem(layer, id, wrong)); continue; }
    const defect = checkArea(f.geometry);
    if (!defect) { usable.push(f); ids.push(id); continue; }
    const fixed = makeValid(f.geometry);
    const what = defectProblem(defect);
    if (!fixed) { skipped.push(skippedItem(layer, id, problem('no_area'))); continue; }
    const parts = partsOf(fixed);
    repaired.push({ ...skippedItem(layer, id, what), params: { ...what.params, parts }, reason: `${describe(what)}: made valid (ST_MakeValid), ${parts} part${parts === 1 ? '' : 's'}` });
    usable.push({ ...f, geometry: fixed });
    ids.push(id);
  }
  const repeats = unique ? markRepeats(ids) : null;
  const kept: F[] = [];
  const keptIds = new Set<string>();
  usable.forEach((f, k) => {
    if (repeats?.[k]) skipped.push(skippedItem(layer, ids[k], problem('duplicate_id', { name: idKey, id: ids[k] })));
    else { kept.push(f); keptIds.add(ids[k]); }
  });
  return { kept, skipped, repaired: repaired.filter((r) => keptIds.has(r.id)) };
}

const partsOf = (g: AreaGeometry) => (g.type === 'MultiPolygon' ? g.coordinates.length : 1);

/**
 * Does a ring have no shape: not a list, or fewer than 3 distinct points once repeated points in
 * a row (and the closing point) are left out? A ring whose points are not coordinates is not
 * collapsed: the structure check names what is wrong with it.
 */
function collapsedRing(ring: unknown): boolean {
  if (!Array.isArray(ring)) return true;
  let n = 0;
  let first: Position | null = null, prev: Position | null = null;
  for (const p of ring as unknown[]) {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return false;
    if (prev && p[0] === prev[0] && p[1] === prev[1]) continue;
    first ??= p;
    prev = p;
    n++;
  }
  if (n > 1 && first && prev && first[0] === prev[0] && first[1] === prev[1]) n--;
  return n < 3;
}

/**
 * The geometry without its collapsed parts (an empty part, a shell that is one repeated point
 * or fewer than 3 distinct points) and collapsed holes, when something with a shape is left;
 * null when nothing is collapsed or nothing else is left (then the feature is skipped, named).
 */
export function withoutCollapsedParts(g: Geometry | null | undefined): { geometry: AreaGeometry; dropped: number } | null {
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) return null;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  let dropped = 0;
  const kept: Position[][][] = [];
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0 || collapsedRing(poly[0])) { dropped++; continue; }
    const rings = (poly as Position[][]).filter((ring, r) => r === 0 || !collapsedRing(ring));
    dropped += poly.length - rings.length;
    kept.push(rings);
  }
  if (dropped === 0 || kept.length === 0) return null;
  return { geometry: kept.length === 1 ? { type: 'Polygon', coordinates: kept[0] } : { type: 'MultiPolygon', coordinates: kept }, dropped };
}
