// Zipped Shapefile out: per layer a .shp, .shx, .dbf, .prj (WGS84, our data is lon/lat) and
// a .cpg saying UTF-8. Written here rather than with @mapbox/shp-write: its DBF writer puts
// strings byte-per-charCodeAt (Chinese comes out mangled) and pads every text field to 254
// bytes, and its polygon writer copies the coordinate list once per feature (1.8 s for the
// demo's 7.6k buildings, quadratic beyond). The formats are small: ESRI Shapefile Technical
// Description (1998) and dBase III.
import { strToU8, zipSync } from 'fflate';
import type { Feature, Geometry, Position } from 'geojson';

export type ShapeKind = 'point' | 'polygon';

export interface ShapefileLayerOut {
  /** file name without extension */
  name: string;
  features: Feature<Geometry | null>[];
  /** the layer's shape type; guessed from the geometries when left out (point when there are none) */
  shape?: ShapeKind;
}

/** ESRI's WKT for WGS84 (EPSG:4326), as ArcGIS and GDAL write it. */
export const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * Canonical field → DBF field name: DBF names hold 10 bytes. Fixed so that a re-import maps
 * them back (src/io/fieldGuess.ts knows these names); other long names are cut.
 */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  community_code: 'comm_code',
  dedicated_type: 'ded_type',
  parent_code: 'parent',
  residential: 'resident',
  building_id: 'bldg_id',
};

/** One zip holding every layer (names must differ). */
export function writeShapefileZip(layers: ShapefileLayerOut[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const l of layers) {
    const f = shapefileFiles(l);
    for (const [ext, bytes] of Object.entries(f)) files[`${l.name}.${ext}`] = bytes;
  }
  return zipSync(files, { level: 1 }); // level 6 takes 2.5× as long for 1.5 % less on the demo
}

/** The files of one layer, by extension. Null geometries are written as null shapes (type 0), so no row is lost. */
export function shapefileFiles(layer: ShapefileLayerOut): Record<'shp' | 'shx' | 'dbf' | 'prj' | 'cpg', Uint8Array> {
  const { shp, shx } = writeShp(layer);
  return { shp, shx, dbf: writeDbf(layer.features), prj: strToU8(WGS84_PRJ), cpg: strToU8('UTF-8') };
}

// ---- .shp / .shx ----

type Shape = null | { point: Position } | { rings: Position[][] };

const NULL_SHAPE = 0, POINT = 1, POLYGON = 5;

function shapeOf(f: Feature<Geometry | null>, kind: ShapeKind, layer: string, i: number): Shape {
  const g = f.geometry;
  if (!g) return null;
  if (kind === 'point' && g.type === 'Point') return g.coordinates.length >= 2 ? { point: g.coordinates } : null;
  const polygons = kind === 'polygon' && g.type === 'Polygon' ? [g.coordinates] : kind === 'polygon' && g.type === 'MultiPolygon' ? g.coordinates : null;
  if (polygons) {
    const rings = polygons.flatMap((p) => orient(p.filter((r) => r.length > 0)));
    return rings.length > 0 ? { rings } : null; // an empty polygon has nothing to draw: a null shape
  }
  throw new Error(`${layer}: feature #${i + 1} is a ${g.type}, the layer holds ${kind}s`);
}

/** Shapefile rings: exterior clockwise, holes counter-clockwise, closed; x/y only. */
function orient(polygon: Position[][]): Position[][] {
  return polygon.map((ring, k) => {
    const r = ring.length > 0 && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]) ? [...ring, ring[0]] : ring;
    const clockwise = signedArea(r) < 0;
    return clockwise === (k === 0) ? r : [...r].reverse();
  });
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

function writeShp(layer: ShapefileLayerOut): { shp: Uint8Array; shx: Uint8Array } {
  const kind = layer.shape ?? (layer.features.some((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') ? 'polygon' : 'point');
  const shapes = layer.features.map((f, i) => shapeOf(f, kind, layer.name, i));
  const contentBytes = (s: Shape) => (!s ? 4 : 'point' in s ? 20 : 44 + 4 * s.rings.length + 16 * s.rings.reduce((n, r) => n + r.length, 0));
  const shpLength = shapes.reduce((n, s) => n + 8 + contentBytes(s), 100);
  const shp = new DataView(new ArrayBuffer(shpLength));
  const shx = new DataView(new ArrayBuffer(100 + 8 * shapes.length));

  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const grow = (b: number[], p: Position) => {
    if (p[0] < b[0]) b[0] = p[0];
    if (p[1] < b[1]) b[1] = p[1];
    if (p[0] > b[2]) b[2] = p[0];
    if (p[1] > b[3]) b[3] = p[1];
  };
  let at = 100;
  shapes.forEach((s, i) => {
    const len = contentBytes(s);
    shx.setInt32(100 + 8 * i, at / 2); // offsets and lengths in 16-bit words, big-endian
    shx.setInt32(104 + 8 * i, len / 2);
    shp.setInt32(at, i + 1);
    shp.setInt32(at + 4, len / 2);
    const c = at + 8;
    if (!s) shp.setInt32(c, NULL_SHAPE, true);
    else if ('point' in s) {
      shp.setInt32(c, POINT, true);
      shp.setFloat64(c + 4, s.point[0], true);
      shp.setFloat64(c + 12, s.point[1], true);
      grow(box, s.point);
    } else {
      const own = [Infinity, Infinity, -Infinity, -Infinity];
      shp.setInt32(c, POLYGON, true);
      shp.setInt32(c + 36, s.rings.length, true);
      shp.setInt32(c + 40, s.rings.reduce((n, r) => n + r.length, 0), true);
      let p = c + 44 + 4 * s.rings.length;
      let first = 0;
      s.rings.forEach((ring, k) => {
        shp.setInt32(c + 44 + 4 * k, first, true);
        first += ring.length;
        for (const pt of ring) {
          shp.setFloat64(p, pt[0], true);
          shp.setFloat64(p + 8, pt[1], true);
          p += 16;
          grow(own, pt);
        }
      });
      own.forEach((v, k) => shp.setFloat64(c + 4 + 8 * k, v, true));
      grow(box, [own[0], own[1]]);
      grow(box, [own[2], own[3]]);
    }
    at += 8 + len;
  });

  const type = kind === 'point' ? POINT : POLYGON;
  const bbox = Number.isFinite(box[0]) ? box : [0, 0, 0, 0];
  for (const [view, bytes] of [[shp, shpLength], [shx, shx.byteLength]] as const) {
    view.setInt32(0, 9994);
    view.setInt32(24, bytes / 2);
    view.setInt32(28, 1000, true);
    view.setInt32(32, type, true);
    bbox.forEach((v, k) => view.setFloat64(36 + 8 * k, v, true));
  }
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

// ---- .dbf (dBase III, text as UTF-8 with widths in bytes) ----

interface Field { key: string; name: Uint8Array; type: 'C' | 'N' | 'L'; width: number; decimals: number; cells: (Uint8Array | null)[] }

const MAX_TEXT = 254;
const encoder = new TextEncoder();

/** UTF-8 bytes; ids and numbers are ASCII, copied directly (5× faster than TextEncoder on 60k short strings). */
function utf8(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(s);
    b[i] = c;
  }
  return b;
}

/** Cut UTF-8 bytes to at most n without splitting a character. */
function cut(bytes: Uint8Array, n: number): Uint8Array {
  if (bytes.length <= n) return bytes;
  let end = n;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // a continuation byte: back to the character's start
  return bytes.subarray(0, end);
}

/** Shortest text that reads back as the same double, in at most 20 characters. */
function numberText(v: number): string {
  const s = String(v);
  return s.length <= 20 ? s : v.toExponential(12);
}

/** Unique DBF names (compared ignoring case, as readers do): the short-name table, else cut, then _1, _2 … */
function fieldNames(keys: string[]): Uint8Array[] {
  const taken = new Set<string>();
  return keys.map((key) => {
    const base = cut(encoder.encode(SHORT_NAMES[key] ?? key), 10);
    let name = base;
    for (let k = 1; taken.has(new TextDecoder().decode(name).toLowerCase()); k++) {
      const suffix = encoder.encode(`_${k}`);
      name = new Uint8Array([...cut(base, 10 - suffix.length), ...suffix]);
    }
    taken.add(new TextDecoder().decode(name).toLowerCase());
    return name;
  });
}

function fieldsOf(features: Feature<Geometry | null>[]): Field[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) if (!seen.has(k)) { seen.add(k); keys.push(k); }
  const names = fieldNames(keys);
  return keys.map((key, j) => {
    const values = features.map((f) => f.properties?.[key]);
    const present = values.filter((v) => v !== null && v !== undefined);
    const type = present.length > 0 && present.every((v) => typeof v === 'number') ? 'N'
      : present.length > 0 && present.every((v) => typeof v === 'boolean') ? 'L' : 'C';
    if (type === 'L') return { key, name: names[j], type, width: 1, decimals: 0, cells: values.map((v) => (v === true ? strToU8('T') : v === false ? strToU8('F') : null)) };
    if (type === 'N') {
      const texts = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? numberText(v) : null));
      const fraction = texts.some((t) => t?.includes('e')) ? 1 : 0;
      const decimals = texts.reduce((d, t) => (t && t.includes('.') && !t.includes('e') ? Math.max(d, t.length - t.indexOf('.') - 1) : d), fraction);
      const width = texts.reduce((w, t) => Math.max(w, t?.length ?? 1), decimals + 2);
      return { key, name: names[j], type, width, decimals, cells: texts.map((t) => (t === null ? null : utf8(t))) };
    }
    const cells = values.map((v) => (v === null || v === undefined ? null
      : cut(utf8(typeof v === 'object' ? JSON.stringify(v) : String(v)), MAX_TEXT)));
    return { key, name: names[j], type, width: cells.reduce((w, c) => Math.max(w, c?.length ?? 0), 1), decimals: 0, cells };
  });
}

function writeDbf(features: Feature<Geometry | null>[]): Uint8Array {
  let fields = fieldsOf(features);
  // A table needs a column: GDAL adds FID for the same reason.
  if (fields.length === 0) fields = [{ key: 'FID', name: strToU8('FID'), type: 'N', width: 10, decimals: 0, cells: features.map((_, i) => strToU8(String(i))) }];
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = fields.reduce((n, f) => n + f.width, 1);
  if (recordLength > 0xffff) throw new Error(`too many or too wide columns for a DBF record (${recordLength} bytes, at most 65535)`);
  const out = new Uint8Array(headerLength + recordLength * features.length + 1);
  const view = new DataView(out.buffer);
  out.set([0x03, 95, 7, 26]); // dBase III; a fixed date (GDAL's default) keeps the bytes reproducible
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((f, j) => {
    const d = 32 + 32 * j;
    out.set(f.name, d);
    out[d + 11] = f.type.charCodeAt(0);
    out[d + 16] = f.width;
    out[d + 17] = f.decimals;
  });
  out[headerLength - 1] = 0x0d;
  out.fill(0x20, headerLength, out.length - 1); // blanks: not deleted, empty cells
  let at = headerLength;
  for (let i = 0; i < features.length; i++) {
    let p = at + 1;
    for (const f of fields) {
      const c = f.cells[i];
      if (c) out.set(c, f.type === 'N' ? p + f.width - c.length : p); // numbers right-aligned
      else if (f.type === 'L') out[p] = 0x3f; // '?': unknown
      p += f.width;
    }
    at += recordLength;
  }
  out[out.length - 1] = 0x1a;
  return out;
}
