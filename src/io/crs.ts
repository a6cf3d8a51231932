// Coordinates in, WGS84 / CGCS2000 lon/lat out. Chinese data arrives as GCJ-02 or BD-09
// (the offsets of Chinese web maps: gcoord converts them), or projected in a CGCS2000
// Gauss–Krüger zone (proj4). Nothing is converted silently: every conversion returns a
// note saying what was done.
import gcoord from 'gcoord';
import proj4 from 'proj4';
import type { Feature, Geometry, Position } from 'geojson';

/** Where coordinates come from. WGS84 and CGCS2000 lon/lat agree to centimetres: no change. */
export type SourceCrs =
  | { kind: 'wgs84' }
  | { kind: 'cgcs2000' }
  | { kind: 'gcj02' }
  | { kind: 'bd09' }
  | { kind: 'epsg'; code: number }
  | { kind: 'wkt'; wkt: string };

export type CrsGuess =
  | { kind: 'lonlat' }
  | { kind: 'latlon' }
  | { kind: 'gauss-kruger'; epsg: number; zone: number; zoneWidth: 3 | 6 }
  | { kind: 'projected-unknown' }
  | { kind: 'unknown' };

/**
 * proj4 definition of a CGCS2000 Gauss–Krüger CRS by EPSG code: 4491–4501 6° zones 13–23
 * (zone number in the false easting), 4502–4512 the same without, 4513–4533 3° zones
 * 25–45 (with), 4534–4554 the same without. null for other codes.
 */
export function gaussKrugerDef(code: number): string | null {
  const def = (lon0: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  if (code >= 4491 && code <= 4501) { const zone = code - 4491 + 13; return def(zone * 6 - 3, zone * 1e6 + 500000); }
  if (code >= 4502 && code <= 4512) return def((code - 4502 + 13) * 6 - 3, 500000);
  if (code >= 4513 && code <= 4533) { const zone = code - 4513 + 25; return def(zone * 3, zone * 1e6 + 500000); }
  if (code >= 4534 && code <= 4554) return def((code - 4534 + 25) * 3, 500000);
  return null;
}

/** Looks at sample coordinates and says what they probably are (China-centred plausibility). */
export function guessCrs(points: Position[]): CrsGuess {
  const pts = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length === 0) return { kind: 'unknown' };
  const all = (f: (x: number, y: number) => boolean) => pts.every((p) => f(p[0], p[1]));
  const lon = (v: number) => v >= 70 && v <= 140;
  const lat = (v: number) => v >= 15 && v <= 56;
  if (all((x, y) => lon(x) && lat(y))) return { kind: 'lonlat' };
  if (all((x, y) => lat(x) && lon(y))) return { kind: 'latlon' };
  // Gauss–Krüger with the zone number in front of the easting: 39 500 000 m is zone 39.
  const zones = new Set(pts.map((p) => Math.floor(p[0] / 1e6)));
  const northing = all((_, y) => y > 1e6 && y < 6.5e6);
  if (zones.size === 1 && northing) {
    const zone = [...zones][0];
    if (zone >= 25 && zone <= 45) return { kind: 'gauss-kruger', epsg: 4513 + zone - 25, zone, zoneWidth: 3 };
    if (zone >= 13 && zone <= 23) return { kind: 'gauss-kruger', epsg: 4491 + zone - 13, zone, zoneWidth: 6 };
  }
  if (all((x, y) => Math.abs(x) > 180 || Math.abs(y) > 90)) return { kind: 'projected-unknown' };
  return { kind: 'unknown' };
}

/** The coordinate system to assume for a file before the user says otherwise: what the guess suggests. */
export function defaultCrs(g: CrsGuess): SourceCrs {
  return g.kind === 'gauss-kruger' ? { kind: 'epsg', code: g.epsg } : { kind: 'wgs84' };
}

/** A function taking source x, y to WGS84 lon, lat. */
export function toLonLat(source: SourceCrs): (x: number, y: number) => [number, number] {
  switch (source.kind) {
    case 'wgs84':
    case 'cgcs2000':
      return (x, y) => [x, y];
    case 'gcj02':
      return (x, y) => gcoord.transform([x, y], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    case 'bd09':
      return (x, y) => gcoord.transform([x, y], gcoord.BD09, gcoord.WGS84) as [number, number];
    case 'epsg': {
      const def = gaussKrugerDef(source.code);
      if (!def) throw new Error(`EPSG:${source.code} is not a CGCS2000 Gauss–Krüger CRS this console knows (4491–4554)`);
      const p = proj4(def, 'WGS84');
      return (x, y) => p.forward([x, y]) as [number, number];
    }
    case 'wkt': {
      const p = proj4(source.wkt, 'WGS84');
      return (x, y) => p.forward([x, y]) as [number, number];
    }
  }
}

export interface ConversionNote {
  /** i18n key (messages "crs.<kind>") */
  kind: 'none' | 'gcj02' | 'bd09' | 'epsg' | 'wkt' | 'swapped';
  /** features converted */
  features: number;
  epsg?: number;
}

/** Converts every coordinate of the features (new objects; the input is left as it was). */
export function convertFeatures<F extends Feature>(features: F[], source: SourceCrs): { features: F[]; note: ConversionNote } {
  if (source.kind === 'wgs84' || source.kind === 'cgcs2000') return { features, note: { kind: 'none', features: 0 } };
  const f = toLonLat(source);
  const out = features.map((feat) => ({ ...feat, geometry: mapGeometry(feat.geometry, (p) => f(p[0], p[1])) }));
  return {
    features: out,
    note: { kind: source.kind, features: out.length, epsg: source.kind === 'epsg' ? source.code : undefined },
  };
}

/** Swaps [lat, lon] to [lon, lat] (a common export mistake), saying so. */
export function swapLatLon<F extends Feature>(features: F[]): { features: F[]; note: ConversionNote } {
  const out = features.map((feat) => ({ ...feat, geometry: mapGeometry(feat.geometry, (p) => [p[1], p[0]]) }));
  return { features: out, note: { kind: 'swapped', features: out.length } };
}

function mapGeometry<G extends Geometry | null>(g: G, f: (p: Position) => Position): G {
  if (!g) return g;
  const ring = (r: Position[]) => r.map(f);
  switch (g.type) {
    case 'Point': return { ...g, coordinates: f(g.coordinates) };
    case 'MultiPoint':
    case 'LineString': return { ...g, coordinates: ring(g.coordinates) };
    case 'MultiLineString':
    case 'Polygon': return { ...g, coordinates: g.coordinates.map(ring) };
    case 'MultiPolygon': return { ...g, coordinates: g.coordinates.map((p) => p.map(ring)) };
    case 'GeometryCollection': return { ...g, geometries: g.geometries.map((x) => mapGeometry(x, f)) };
  }
  return g;
}
