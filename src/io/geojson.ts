// GeoJSON in: a FeatureCollection, a single Feature, or a bare geometry.
import type { Feature } from 'geojson';
import { FileError, jsonErrorByte } from './fileError';

export function parseGeoJSON(text: string, source: string): Feature[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new FileError(source, 'not_json', { byte: jsonErrorByte(text, e), size: new TextEncoder().encode(text).length });
  }
  return geoJSONFeatures(data, source);
}

/** The features of GeoJSON already parsed (a file's text is parsed once: see readAnyFile). */
export function geoJSONFeatures(data: unknown, source: string): Feature[] {
  const d = data as { type?: string; features?: unknown };
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) return d.features as Feature[];
  if (d?.type === 'Feature') return [d as unknown as Feature];
  if (typeof d?.type === 'string' && 'coordinates' in (d as object)) return [{ type: 'Feature', properties: {}, geometry: d as never }];
  throw new FileError(source, 'not_geojson');
}
