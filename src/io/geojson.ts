// GeoJSON in: a FeatureCollection, a single Feature, or a bare geometry.
import type { Feature } from 'geojson';

export function parseGeoJSON(text: string, source: string): Feature[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const d = data as { type?: string; features?: unknown };
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) return d.features as Feature[];
  if (d?.type === 'Feature') return [d as unknown as Feature];
  if (typeof d?.type === 'string' && 'coordinates' in (d as object)) return [{ type: 'Feature', properties: {}, geometry: d as never }];
  throw new Error(`${source}: not GeoJSON (expected a FeatureCollection, a Feature or a geometry)`);
}
