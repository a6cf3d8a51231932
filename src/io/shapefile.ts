// Zipped Shapefile in (shpjs), honouring .prj (reprojected to lon/lat by proj4) and .cpg.
// Chinese attribute tables are often GBK with no .cpg at all: when UTF-8 decoding leaves
// replacement characters, the table is read again as GBK, and the note says so.
import getShapefile from 'shpjs';
import proj4 from 'proj4';
import { PartError } from './fileError';
import { safeUnzip } from './zip';
import type { Feature } from 'geojson';

export interface ShapefileLayer {
  name: string;
  features: Feature[];
  /** the text encoding the attributes were read with */
  encoding: string;
  encodingFrom: 'cpg' | 'guess-utf8' | 'guess-gbk';
  /** the .prj text, if any, and whether its coordinates were converted to lon/lat */
  prj: string | null;
  reprojected: boolean;
}

/** cpg contents → a TextDecoder label ('936' and 'CP936' are GBK). */
function encodingOf(cpg: string): string {
  const c = cpg.trim().toLowerCase();
  if (c === '936' || c === 'cp936' || c === 'gb2312' || c === 'gbk' || c === 'ansi 936') return 'gbk';
  if (c === '65001' || c === 'utf8') return 'utf-8';
  return c;
}

export async function readShapefileZip(bytes: Uint8Array): Promise<ShapefileLayer[]> {
  let files: Record<string, Uint8Array>;
  files = safeUnzip(bytes);
  const byLower = new Map(Object.keys(files).filter((k) => !k.includes('__MACOSX')).map((k) => [k.toLowerCase(), k]));
  const text = (k: string) => { const key = byLower.get(k); return key ? new TextDecoder().decode(files[key]) : undefined; };
  const shps = [...byLower.keys()].filter((k) => k.endsWith('.shp'));
  if (shps.length === 0) throw new PartError('zip_no_shp');
  const layers: ShapefileLayer[] = [];
  for (const shpKey of shps) {
    const base = shpKey.slice(0, -4);
    const dbfKey = byLower.get(`${base}.dbf`);
    const cpg = text(`${base}.cpg`);
    const prj = text(`${base}.prj`) ?? null;
    if (prj) {
      try {
        proj4(prj);
      } catch {
        throw new PartError('prj_unreadable', { part: `${base}.prj` });
      }
    }
    const parts = { shp: files[byLower.get(shpKey)!], dbf: dbfKey ? files[dbfKey] : undefined, prj: prj ?? undefined };
    checkLengths(base, parts.shp, parts.dbf);
    const read = async (cpgLabel: string) => {
      try {
        return await getShapefile({ ...parts, cpg: cpgLabel });
      } catch {
        throw new PartError('shp_damaged', { part: `${base}.shp` });
      }
    };
    let encoding = cpg ? encodingOf(cpg) : 'utf-8';
    let fc = await read(encoding);
    let encodingFrom: ShapefileLayer['encodingFrom'] = cpg ? 'cpg' : 'guess-utf8';
    if (!cpg && hasReplacementChars(fc.features)) {
      encoding = 'gbk';
      encodingFrom = 'guess-gbk';
      fc = await read(encoding);
    }
    layers.push({ name: base.split('/').pop()!, features: fc.features, encoding, encodingFrom, prj, reprojected: !!prj && !isGeographic(prj) });
  }
  return layers;
}

/**
 * A .shp states its own length in its header (big-endian 16-bit words at byte 24), and a
 * .dbf its record count (little-endian at byte 4): a cut-short file is refused whole
 * rather than read in part.
 */
function checkLengths(base: string, shp: Uint8Array, dbf: Uint8Array | undefined) {
  if (shp.byteLength < 100) throw new PartError('shp_too_short', { part: `${base}.shp`, bytes: shp.byteLength });
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const stated = view.getInt32(24, false) * 2;
  if (stated !== shp.byteLength) throw new PartError('shp_length', { part: `${base}.shp`, stated, bytes: shp.byteLength });
  if (dbf && dbf.byteLength >= 12) {
    const d = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
    const records = d.getUint32(4, true);
    const headerSize = d.getUint16(8, true);
    const recordSize = d.getUint16(10, true);
    if (headerSize + records * recordSize > dbf.byteLength) throw new PartError('dbf_cut_short', { part: `${base}.dbf`, records });
    // One attribute row per shape: otherwise rows would silently pair with the wrong shapes, or be dropped.
    let shapes = 0;
    for (let at = 100; at + 8 <= shp.byteLength; shapes++) at += 8 + view.getInt32(at + 4, false) * 2;
    if (shapes !== records) throw new PartError('shp_dbf_mismatch', { shp: `${base}.shp`, dbf: `${base}.dbf`, shapes, records });
  }
}

function hasReplacementChars(features: Feature[]): boolean {
  return features.some((f) => Object.values(f.properties ?? {}).some((v) => typeof v === 'string' && v.includes('\ufffd')));
}

/** A .prj of a geographic (lon/lat) CRS: nothing to convert. */
function isGeographic(prj: string): boolean {
  return /^\s*GEOGCS/i.test(prj) || /^\s*GEOGCRS/i.test(prj);
}
