// A layer as IndexedDB keeps it: coordinates in one Float64Array with ring, part and
// feature offsets, and one array per property. IndexedDB copies typed arrays at memory
// speed, so 200,000 footprints save and reopen without a FlatGeobuf encode or decode
// (which cost seconds at that size); FlatGeobuf stays the format for files.
import type { Feature, Geometry, Position } from 'geojson';

const KINDS = [null, 'Point', 'Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'] as const;
type Kind = Exclude<(typeof KINDS)[number], null>;

export interface GeoColumns {
  count: number;
  /** index into KINDS per feature (0 = no geometry) */
  kinds: Uint8Array;
  /** x, y pairs */
  coords: Float64Array;
  /** end of each ring (or line), in points */
  ringEnds: Uint32Array;
  /** end of each part (a polygon of a MultiPolygon), in rings */
  partEnds: Uint32Array;
  /** end of each feature, in parts */
  featureEnds: Uint32Array;
  /** one column per property key; undefined where a feature lacks the key */
  props: Record<string, unknown[]>;
}

/** A geometry as parts of rings of positions (a Point: one part, one ring, one point). */
function partsOf(g: Geometry | null): Position[][][] {
  if (!g) return [];
  switch (g.type) {
    case 'Point': return [[[g.coordinates]]];
    case 'Polygon': return [g.coordinates];
    case 'MultiPolygon': return g.coordinates;
    case 'LineString': return [[g.coordinates]];
    case 'MultiLineString': return [g.coordinates];
    default: throw new Error(`a ${g.type} cannot be stored (points, lines and polygons can)`);
  }
}

export function toGeoColumns(features: Feature[]): GeoColumns {
  const n = features.length;
  const parts = features.map((f) => partsOf(f.geometry));
  let nParts = 0, nRings = 0, nPoints = 0;
  for (const p of parts) {
    nParts += p.length;
    for (const part of p) { nRings += part.length; for (const ring of part) nPoints += ring.length; }
  }
  const c: GeoColumns = {
    count: n, kinds: new Uint8Array(n), coords: new Float64Array(2 * nPoints), ringEnds: new Uint32Array(nRings),
    partEnds: new Uint32Array(nParts), featureEnds: new Uint32Array(n), props: {},
  };
  let pt = 0, ring = 0, part = 0;
  features.forEach((f, i) => {
    c.kinds[i] = f.geometry ? KINDS.indexOf(f.geometry.type as Kind) : 0;
    for (const p of parts[i]) {
      for (const r of p) {
        for (const xy of r) { c.coords[2 * pt] = xy[0]; c.coords[2 * pt + 1] = xy[1]; pt++; }
        c.ringEnds[ring++] = pt;
      }
      c.partEnds[part++] = ring;
    }
    c.featureEnds[i] = part;
    for (const [k, v] of Object.entries(f.properties ?? {})) (c.props[k] ??= new Array(n))[i] = v;
  });
  return c;
}

export function fromGeoColumns(c: GeoColumns): Feature[] {
  const keys = Object.keys(c.props);
  const out: Feature[] = new Array(c.count);
  let part = 0, ring = 0, pt = 0;
  for (let i = 0; i < c.count; i++) {
    const parts: Position[][][] = [];
    for (; part < c.featureEnds[i]; part++) {
      const rings: Position[][] = [];
      for (; ring < c.partEnds[part]; ring++) {
        const r: Position[] = [];
        for (; pt < c.ringEnds[ring]; pt++) r.push([c.coords[2 * pt], c.coords[2 * pt + 1]]);
        rings.push(r);
      }
      parts.push(rings);
    }
    const properties: Record<string, unknown> = {};
    for (const k of keys) if (c.props[k][i] !== undefined) properties[k] = c.props[k][i];
    out[i] = { type: 'Feature', properties, geometry: geometryOf(KINDS[c.kinds[i]], parts) } as Feature; // a roster row may have none
  }
  return out;
}

function geometryOf(kind: (typeof KINDS)[number], parts: Position[][][]): Geometry | null {
  switch (kind) {
    case null: return null;
    case 'Point': return { type: 'Point', coordinates: parts[0][0][0] };
    case 'Polygon': return { type: 'Polygon', coordinates: parts[0] };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: parts };
    case 'LineString': return { type: 'LineString', coordinates: parts[0][0] };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: parts[0] };
  }
}

/** Columns as JSON (a workspace file): typed arrays as arrays. */
export function geoColumnsToJSON(c: GeoColumns): string {
  // JSON has no "absent" in an array (it writes null): say which entries a feature lacks.
  const absent: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(c.props)) for (let i = 0; i < c.count; i++) if (v[i] === undefined) (absent[k] ??= []).push(i);
  return JSON.stringify({ ...c, absent, kinds: Array.from(c.kinds), coords: Array.from(c.coords), ringEnds: Array.from(c.ringEnds), partEnds: Array.from(c.partEnds), featureEnds: Array.from(c.featureEnds) });
}

/** Columns back from geoColumnsToJSON; throws when they do not add up. */
export function geoColumnsFromJSON(text: string): GeoColumns {
  const o = JSON.parse(text);
  const n = Number(o.count);
  const arr = (k: string) => { if (!Array.isArray(o[k])) throw new Error(`${k} is missing`); return o[k] as number[]; };
  const c: GeoColumns = {
    count: n, kinds: Uint8Array.from(arr('kinds')), coords: Float64Array.from(arr('coords')), ringEnds: Uint32Array.from(arr('ringEnds')),
    partEnds: Uint32Array.from(arr('partEnds')), featureEnds: Uint32Array.from(arr('featureEnds')), props: o.props ?? {},
  };
  for (const [k, at] of Object.entries((o.absent ?? {}) as Record<string, number[]>)) for (const i of at) if (c.props[k]) c.props[k][i] = undefined;
  const last = (a: Uint32Array) => (a.length ? a[a.length - 1] : 0);
  if (c.kinds.length !== n || c.featureEnds.length !== n || last(c.featureEnds) !== c.partEnds.length
    || last(c.partEnds) !== c.ringEnds.length || 2 * last(c.ringEnds) !== c.coords.length
    || Object.values(c.props).some((v) => !Array.isArray(v) || v.length !== n)) throw new Error('the columns do not add up (cut short or damaged)');
  return c;
}
