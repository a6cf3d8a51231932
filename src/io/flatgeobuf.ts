// FlatGeobuf in and out (the format data rests in).
import { deserialize, serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { PartError } from './fileError';

export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
): Promise<Feature<G, P>[]> {
  const out: Feature<G, P>[] = [];
  let declared = 0;
  try {
    for await (const f of deserialize(bytes, { headerMetaFn: (h) => { declared = h.featuresCount; } })) out.push(f as unknown as Feature<G, P>);
  } catch (e) {
    throw new PartError('fgb_unreadable', { detail: (e as Error)?.message ?? String(e) });
  }
  // A file cut short reads as fewer features without an error: its header tells.
  if (declared > 0 && out.length !== declared) throw new PartError('fgb_cut_short', { declared, read: out.length });
  return out;
}

export function writeFlatGeobuf(fc: FeatureCollection): Uint8Array {
  return serialize(fc);
}
