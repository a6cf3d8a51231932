// A layer as IndexedDB keeps it: coordinates in one Float64Array with ring, part and
// feature offsets, and one array per property. IndexedDB copies typed arrays at memory
// speed, so 200,000 footprints save and reopen without a FlatGeobuf encode or decode
// (which cost seconds at that size); FlatGeobuf stays the format for files.
import type { Feature, Geometry, Position } from 'geojson';
import { PartError } from '../io/fileError';

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

/**
 * Columns back from geoColumnsToJSON; throws a PartError naming the column and what is wrong
 * when a value is not of the type the format says or the columns do not add up (checked
 * before anything is made of them: ends that go backwards or past the points would make a
 * reader walk billions of points).
 */
export function geoColumnsFromJSON(text: string, part = 'columns'): GeoColumns {
  let o: Record<string, unknown>;
  try { o = JSON.parse(text); } catch { throw new PartError('ws_part_json', { part }); }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new PartError('ws_part_json', { part });
  const n = o.count;
  if (!isWhole(n)) throw new PartError('ws_col_value', { part, column: 'count', at: 0 });
  const arr = (k: string, ok: (v: unknown) => boolean) => {
    const a = o[k];
    if (!Array.isArray(a)) throw new PartError('ws_col_missing', { part, column: k });
    for (let i = 0; i < a.length; i++) if (!ok(a[i])) throw new PartError('ws_col_value', { part, column: k, at: i });
    return a as number[];
  };
  const isEnd = (v: unknown) => isWhole(v) && (v as number) < 2 ** 32;
  const props = o.props ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) throw new PartError('ws_col_value', { part, column: 'props', at: 0 });
  const c: GeoColumns = {
    count: n as number, kinds: Uint8Array.from(arr('kinds', (v) => isWhole(v) && (v as number) < KINDS.length)),
    coords: Float64Array.from(arr('coords', (v) => typeof v === 'number' && Number.isFinite(v))),
    ringEnds: Uint32Array.from(arr('ringEnds', isEnd)), partEnds: Uint32Array.from(arr('partEnds', isEnd)), featureEnds: Uint32Array.from(arr('featureEnds', isEnd)),
    props: {},
  };
  // own keys only, into a fresh object (a property named __proto__ stays data)
  for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length !== n) throw new PartError('ws_col_length', { part, column: `props.${k}`, n: Array.isArray(v) ? v.length : 0, expected: n as number });
    Object.defineProperty(c.props, k, { value: v.slice(), enumerable: true, writable: true, configurable: true });
  }
  const absent = o.absent ?? {};
  if (typeof absent !== 'object' || Array.isArray(absent)) throw new PartError('ws_col_value', { part, column: 'absent', at: 0 });
  for (const [k, at] of Object.entries(absent as Record<string, unknown>)) {
    const col = Object.hasOwn(c.props, k) ? (c.props[k] as unknown[]) : null;
    if (!col || !Array.isArray(at)) throw new PartError('ws_col_value', { part, column: `absent.${k}`, at: 0 });
    at.forEach((i, j) => { if (!isWhole(i) || (i as number) >= (n as number)) throw new PartError('ws_col_value', { part, column: `absent.${k}`, at: j }); col[i as number] = undefined; });
  }
  checkGeoColumns(c, part);
  for (const k of Object.keys(c.props)) c.props[k] = packColumn(c.props[k] as unknown[]);
  return c;
}

const isWhole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Throws a PartError unless the columns add up: each end array never goes backwards and ends
 * exactly at the length of what it indexes, each feature's parts, rings and points make its
 * geometry type (a Point: one of each), the points finite, and every property column (packed
 * or not) holds one value per feature. One pass over each array: a city's layer in milliseconds.
 */
export function checkGeoColumns(c: GeoColumns, part: string): void {
  const n = c.count;
  if (!isWhole(n)) throw new PartError('ws_col_value', { part, column: 'count', at: 0 });
  const typed: [keyof GeoColumns, new (...a: never[]) => ArrayLike<number>][] = [['kinds', Uint8Array], ['coords', Float64Array], ['ringEnds', Uint32Array], ['partEnds', Uint32Array], ['featureEnds', Uint32Array]];
  for (const [k, T] of typed) if (!(c[k] instanceof T)) throw new PartError('ws_col_missing', { part, column: k });
  for (const k of ['kinds', 'featureEnds'] as const) if (c[k].length !== n) throw new PartError('ws_col_length', { part, column: k, n: c[k].length, expected: n });
  if (c.coords.length % 2) throw new PartError('ws_col_length', { part, column: 'coords', n: c.coords.length, expected: c.coords.length + 1 });
  for (let i = 0; i < c.coords.length; i++) if (!Number.isFinite(c.coords[i])) throw new PartError('ws_col_value', { part, column: 'coords', at: i });
  ends(c.ringEnds, c.coords.length / 2, 'ringEnds', part);
  ends(c.partEnds, c.ringEnds.length, 'partEnds', part);
  ends(c.featureEnds, c.partEnds.length, 'featureEnds', part);
  const { kinds, featureEnds, partEnds, ringEnds } = c;
  let p0 = 0;
  for (let i = 0; i < n; i++) {
    const k = kinds[i], p1 = featureEnds[i];
    if (k >= KINDS.length) throw new PartError('ws_col_value', { part, column: 'kinds', at: i });
    // parts of the feature, rings of its first part, points of its first ring (no allocation: a city's layer is millions)
    const nParts = p1 - p0;
    const firstRing = p0 === 0 ? 0 : partEnds[p0 - 1];
    const nRings = nParts > 0 ? partEnds[p0] - firstRing : 0;
    const nPoints = nRings > 0 ? ringEnds[firstRing] - (firstRing === 0 ? 0 : ringEnds[firstRing - 1]) : 0;
    const ok = k === 0 ? nParts === 0 // (a feature with no geometry has no parts)
      : k === 3 ? true // MultiPolygon
        : nParts !== 1 ? false
          : k === 2 || k === 5 ? true // Polygon, MultiLineString
            : nRings === 1 && (k === 4 || nPoints === 1); // LineString; Point
    if (!ok) throw new PartError('ws_kind_shape', { part, at: i + 1, kind: KINDS[k] ?? 'null' });
    p0 = p1;
  }
  for (const [k, col] of Object.entries(c.props)) checkPropColumn(col, n, part, `props.${k}`);
}

/** Ends into an array of `limit` items: never backwards, never past it, the last exactly at it. */
function ends(a: Uint32Array, limit: number, column: string, part: string) {
  let prev = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < prev) throw new PartError('ws_ends_backwards', { part, column, at: i, end: a[i], prev });
    if (a[i] > limit) throw new PartError('ws_ends_past', { part, column, at: i, end: a[i], limit });
    prev = a[i];
  }
  if (prev !== limit) throw new PartError('ws_ends_short', { part, column, end: prev, limit });
}

/** A property column as stored: plain values, or packed the way packColumn packs them, `n` of them. */
export function checkPropColumn(col: unknown, n: number, part: string, column: string): void {
  const length = (len: number) => { if (len !== n) throw new PartError('ws_col_length', { part, column, n: len, expected: n }); };
  if (Array.isArray(col)) return length(col.length);
  const p = col as PackedColumn | null;
  const bad = () => new PartError('ws_col_value', { part, column, at: 0 });
  if (!p || typeof p !== 'object') throw bad();
  if (p.missing !== null && !(p.missing instanceof Uint8Array && p.missing.length === n)) throw bad();
  if (p.packed === 'number' && (p.values instanceof Float64Array || p.values instanceof Int32Array || p.values instanceof Int16Array)) return length(p.values.length);
  if (p.packed === 'boolean' && p.values instanceof Uint8Array) return length(p.values.length);
  if (p.packed === 'string' && typeof p.text === 'string' && p.ends instanceof Uint32Array) {
    length(p.ends.length);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      if (p.ends[i] < prev) throw new PartError('ws_ends_backwards', { part, column, at: i, end: p.ends[i], prev });
      if (p.ends[i] > p.text.length) throw new PartError('ws_ends_past', { part, column, at: i, end: p.ends[i], limit: p.text.length });
      prev = p.ends[i];
    }
    return;
  }
  throw bad();
}

/** The geometry type of each kind index, for messages and role checks. */
export const KIND_NAMES = KINDS;
