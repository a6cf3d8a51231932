// FlatGeobuf in and out (the format data rests in).
import { deserialize, serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
): Promise<Feature<G, P>[]> {
  const out: Feature<G, P>[] = [];
  for await (const f of deserialize(bytes)) out.push(f as unknown as Feature<G, P>);
  return out;
}

export function writeFlatGeobuf(fc: FeatureCollection): Uint8Array {
  return serialize(fc);
}
