// FlatGeobuf in and out (the format data rests in).
import { deserialize, serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { PartError } from './fileError';

export async function readFlatGeobuf<G extends Geometry = Geometry, P = Record<string, unknown>>(
  bytes: Uint8Array,
): Promise<Feature<G, P>[]> {
  checkHeader(bytes);
  const out: Feature<G, P>[] = [];
  let declared = 0;
  let nodeSize = 0;
  try {
    for await (const f of deserialize(bytes, { headerMetaFn: (h) => { declared = h.featuresCount; nodeSize = h.indexNodeSize; } })) out.push(f as unknown as Feature<G, P>);
  } catch (e) {
    throw new PartError('fgb_unreadable', { detail: (e as Error)?.message ?? String(e) });
  }
  checkLength(bytes, declared > 0 && nodeSize > 0 ? calcTreeSize(declared, nodeSize) : 0);
  // A file cut short reads as fewer features without an error: its header tells.
  if (declared > 0 && out.length !== declared) throw new PartError('fgb_cut_short', { declared, read: out.length });
  return out;
}

/**
 * The parts of a FlatGeobuf the reader trusts without looking, checked first: the magic
 * bytes and a header that is really there. (The library spins forever on an empty or
 * cut header: a file of 0–16 bytes hung the CLI and the import worker.)
 */
function checkHeader(bytes: Uint8Array) {
  const magic = [0x66, 0x67, 0x62, -1, 0x66, 0x67, 0x62, -1];
  if (bytes.length < 12 || magic.some((b, i) => b >= 0 && bytes[i] !== b)) throw new PartError('fgb_unreadable', { detail: bytes.length < 12 ? `only ${bytes.length} bytes` : 'no FlatGeobuf magic bytes' });
  const headerSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (headerSize < 4 || 12 + headerSize > bytes.length) throw new PartError('fgb_cut_short_header', { size: headerSize, bytes: bytes.length });
}

/**
 * Every feature is a size and that many bytes, end to end after the header and the index:
 * walked to the end, they must meet it exactly. (A file one byte short otherwise reads as
 * complete, its last feature quietly mangled.)
 */
function checkLength(bytes: Uint8Array, indexSize: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12 + view.getUint32(8, true) + indexSize;
  while (at + 4 <= bytes.length) at += 4 + view.getUint32(at, true);
  if (at !== bytes.length) throw new PartError('fgb_cut_short_bytes', { bytes: bytes.length, expected: at });
}

export function writeFlatGeobuf(fc: FeatureCollection): Uint8Array {
  return serialize(fc);
}
