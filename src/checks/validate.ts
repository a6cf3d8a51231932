// Bad input, named: every feature the engine cannot use is skipped with a reason that names
// it; the rest is checked. Nothing is dropped without a line in the report.
import type { Feature, Geometry, Position } from 'geojson';
import type { AreaGeometry } from '../domain/types';
import type { Skipped } from './report';
import { markRepeats } from './ids';

type Layer = Skipped['layer'];

/** Plausible lon/lat for this product: mainland China and its surroundings. */
const CHINA = { minLon: 70, maxLon: 140, minLat: 15, maxLat: 56 };

/** What is wrong, as a code the UI translates (messages "skip.<code>") and its values. */
export interface Problem {
  code: 'no_geometry' | 'not_polygon' | 'empty_geometry' | 'short_ring' | 'not_number' | 'lat_lon' | 'not_degrees'
    | 'not_closed' | 'self_intersecting' | 'missing_property' | 'duplicate_id' | 'malformed_row';
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
  missing_property: (p) => `missing property "${p.name}"`,
  duplicate_id: (p) => `duplicate ${p.name} "${p.id}" (the first one is kept)`,
  malformed_row: (p) => `line ${p.row} of the table cannot be read cleanly (${p.message})`,
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

/** What is wrong with an area geometry, or null when it is usable. */
export function areaProblem(g: Geometry | null | undefined): Problem | null {
  if (!g) return problem('no_geometry');
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return problem('not_polygon', { type: g.type });
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0 || polys.some((p) => !Array.isArray(p) || p.length === 0)) return problem('empty_geometry');
  for (let q = 0; q < polys.length; q++) {
    const poly = polys[q];
    for (let r = 0; r < poly.length; r++) {
      const ring = poly[r];
      if (ring.length < 4) return problem('short_ring', { points: ring.length });
      const c = coordProblem(ring);
      if (c) return c;
      const a = ring[0];
      const b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) return problem('not_closed', { first: fmt(a), last: fmt(b) });
      const k = selfIntersection(ring);
      if (k) return problem('self_intersecting', { at: fmt(k) });
    }
  }
  return null;
}

/** Coordinates that are not lon/lat degrees in the product's area. */
export function coordProblem(points: Position[]): Problem | null {
  for (let i = 0; i < points.length; i++) {
    const wrong = pointProblem(points[i][0], points[i][1]);
    if (wrong) return wrong;
  }
  return null;
}

const inLon = (v: number) => v >= CHINA.minLon && v <= CHINA.maxLon;
const inLat = (v: number) => v >= CHINA.minLat && v <= CHINA.maxLat;

/** What is wrong with one lon/lat pair, or null. No allocation: runs once per household. */
export function pointProblem(x: number, y: number): Problem | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return problem('not_number', { at: fmt([x, y]) });
  if (!inLon(x) && inLat(x) && inLon(y)) return problem('lat_lon', { at: fmt([x, y]) });
  if (Math.abs(x) > 180 || Math.abs(y) > 90) return problem('not_degrees', { at: fmt([x, y]) });
  return null;
}

const fmt = (p: Position) => `[${p[0]}, ${p[1]}]`;

/** A point where two non-adjacent edges of the ring cross, or null. O(n²): rings are small. */
function selfIntersection(ring: Position[]): Position | null {
  const n = ring.length - 1;
  if (n > 2000) return null; // too long to test pairwise here; clipping will still cope
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // first and last edge share the closing vertex
      const p = crossing(ring[i], ring[i + 1], ring[j], ring[j + 1]);
      if (p) return p;
    }
  }
  return null;
}

function crossing(a: Position, b: Position, c: Position, d: Position): Position | null {
  // Bounding boxes apart: no crossing (the common case, and cheap).
  if (Math.max(a[0], b[0]) < Math.min(c[0], d[0]) || Math.max(c[0], d[0]) < Math.min(a[0], b[0])
    || Math.max(a[1], b[1]) < Math.min(c[1], d[1]) || Math.max(c[1], d[1]) < Math.min(a[1], b[1])) return null;
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  return null;
}

function orient(a: Position, b: Position, c: Position): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/**
 * Keeps the usable area features of a layer: a geometry that works and the id property
 * present (and unique, unless duplicates are a finding of their own, as grid codes are). Returns the kept features and what was skipped, and why.
 */
export { problem };

export function validAreas<F extends Feature<AreaGeometry>>(
  layer: Layer, features: F[], idKey: string, { unique = true } = {},
): { kept: F[]; skipped: Skipped[] } {
  const usable: number[] = [];
  const ids: string[] = [];
  const skipped: Skipped[] = [];
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const id = featureLabel(f, idKey, i);
    const raw = f?.properties?.[idKey];
    const wrong = raw === undefined || raw === null || raw === '' ? problem('missing_property', { name: idKey }) : areaProblem(f.geometry);
    if (wrong) skipped.push(skippedItem(layer, id, wrong));
    else { usable.push(i); ids.push(id); }
  }
  const repeats = unique ? markRepeats(ids) : null;
  const kept: F[] = [];
  usable.forEach((i, k) => {
    if (repeats?.[k]) skipped.push(skippedItem(layer, ids[k], problem('duplicate_id', { name: idKey, id: ids[k] })));
    else kept.push(features[i]);
  });
  return { kept, skipped };
}
