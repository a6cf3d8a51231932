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
  /**
   * one column per property key; undefined where a feature lacks the key. Columns of numbers,
   * strings or booleans are packed (PackedColumn: IndexedDB copies a typed array or one long
   * string at memory speed, a million small values one by one); read them with propColumn.
   */
  props: Record<string, unknown[] | PackedColumn>;
}

/** A property column of one type packed into typed arrays (strings: one text and where each ends). */
export type PackedColumn =
  | { packed: 'number'; values: Float64Array | Int32Array | Int16Array; missing: Uint8Array | null }
  | { packed: 'boolean'; values: Uint8Array; missing: Uint8Array | null }
  | { packed: 'string'; text: string; ends: Uint32Array; missing: Uint8Array | null };

const isPacked = (v: unknown[] | PackedColumn): v is PackedColumn => !Array.isArray(v);

/** A column packed when all its values are of one type (undefined and null apart, kept in `missing`: 1, 2), else as it is. */
export function packColumn(values: unknown[]): unknown[] | PackedColumn {
  const n = values.length;
  let type: 'number' | 'string' | 'boolean' | null = null;
  let missing: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === undefined || v === null) { (missing ??= new Uint8Array(n))[i] = v === undefined ? 1 : 2; continue; }
    const t = typeof v;
    if (t !== 'number' && t !== 'string' && t !== 'boolean') return values;
    if (type === null) type = t;
    else if (type !== t) return values;
  }
  if (type === 'number') {
    // whole numbers in the narrowest array that holds them exactly (units, residents: 2 bytes, not 8)
    let lo = 0, hi = 0, whole = true;
    for (const v of values) {
      if (typeof v !== 'number') continue;
      if (!Number.isInteger(v) || Object.is(v, -0)) { whole = false; break; }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const As = !whole ? Float64Array : lo >= -32768 && hi <= 32767 ? Int16Array : lo >= -(2 ** 31) && hi < 2 ** 31 ? Int32Array : Float64Array;
    const out = new As(n);
    for (let i = 0; i < n; i++) { const v = values[i]; out[i] = typeof v === 'number' ? v : 0; }
    return { packed: 'number', values: out, missing };
  }
  if (type === 'boolean') return { packed: 'boolean', values: Uint8Array.from(values, (v) => (v === true ? 1 : 0)), missing };
  if (type !== 'string') return values; // nothing but undefined and null
  const ends = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) { if (typeof values[i] === 'string') at += (values[i] as string).length; ends[i] = at; }
  return { packed: 'string', text: values.map((v) => (typeof v === 'string' ? v : '')).join(''), ends, missing };
}

/** A property column as plain values (unpacked when packed); undefined when no feature has the key. */
export function propColumn(c: Pick<GeoColumns, 'props'>, key: string): unknown[] | undefined {
  return unpackColumn(c.props[key]);
}

/** A column as plain values, whether packed or not. */
export function unpackColumn(col: unknown[] | PackedColumn | undefined): unknown[] | undefined {
  if (col === undefined || !isPacked(col)) return col;
  const n = col.packed === 'string' ? col.ends.length : col.values.length;
  const out: unknown[] = new Array(n);
  const m = col.missing;
  if (col.packed === 'string') {
    const { text, ends } = col;
    for (let i = 0; i < n; i++) out[i] = text.slice(i === 0 ? 0 : ends[i - 1], ends[i]);
  } else if (col.packed === 'number') for (let i = 0; i < n; i++) out[i] = col.values[i];
  else for (let i = 0; i < n; i++) out[i] = col.values[i] === 1;
  if (m) for (let i = 0; i < n; i++) if (m[i]) out[i] = m[i] === 1 ? undefined : null;
  return out;
}

/** Every property column as plain values. */
export function plainProps(c: Pick<GeoColumns, 'props'>): Record<string, unknown[]> {
  return Object.fromEntries(Object.keys(c.props).map((k) => [k, propColumn(c, k)!]));
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
    for (const [k, v] of Object.entries(f.properties ?? {})) ((c.props[k] ??= new Array(n)) as unknown[])[i] = v;
  });
  for (const k of Object.keys(c.props)) c.props[k] = packColumn(c.props[k] as unknown[]);
  return c;
}

export function fromGeoColumns(c: GeoColumns): Feature[] {
  const props = plainProps(c);
  const keys = Object.keys(props);
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
    for (const k of keys) if (props[k][i] !== undefined) properties[k] = props[k][i];
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
  const props = plainProps(c);
  const absent: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(props)) for (let i = 0; i < c.count; i++) if (v[i] === undefined) (absent[k] ??= []).push(i);
  return JSON.stringify({ ...c, props, absent, kinds: Array.from(c.kinds), coords: Array.from(c.coords), ringEnds: Array.from(c.ringEnds), partEnds: Array.from(c.partEnds), featureEnds: Array.from(c.featureEnds) });
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
  for (const [k, at] of Object.entries((o.absent ?? {}) as Record<string, number[]>)) for (const i of at) if (c.props[k]) (c.props[k] as unknown[])[i] = undefined;
  const last = (a: Uint32Array) => (a.length ? a[a.length - 1] : 0);
  if (c.kinds.length !== n || c.featureEnds.length !== n || last(c.featureEnds) !== c.partEnds.length
    || last(c.partEnds) !== c.ringEnds.length || 2 * last(c.ringEnds) !== c.coords.length
    || Object.values(c.props).some((v) => !Array.isArray(v) || v.length !== n)) throw new Error('the columns do not add up (cut short or damaged)');
  for (const k of Object.keys(c.props)) c.props[k] = packColumn(c.props[k] as unknown[]);
  return c;
}
