// Loading layers into PostGIS: each file read as the console's import reads it, then COPY'd
// (GeoJSON text into a staging table, turned into geometry in the database), GiST indexes
// built after the load. The tables are those of schema.ts.
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Feature } from 'geojson';
import type { HouseholdColumns } from '../../src/checks/engine';
import { COLUMNS, createTables, ident, indexTables, LAYERS, type PgLayer } from './schema';

/** COPY's text format: tabs, newlines and backslashes escaped, \N for null. */
function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function* rows(layer: PgLayer, features: Feature[]): Generator<string> {
  const cols = COLUMNS[layer].map(([c]) => c).filter((c) => c !== 'seq' && c !== 'geom');
  let batch = '';
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const values = cols.map((c) => {
      const v = p[c];
      if (c === 'residential') return cell(v === true || v === 'true' || v === 1 || v === '1');
      if (c === 'band_min' || c === 'band_max' || c === 'levels' || c === 'residents') return cell(v === '' || v === null || v === undefined ? null : Number(v));
      return cell(v === undefined || v === null ? null : String(v));
    });
    batch += `${i}\t${values.join('\t')}\t${f.geometry ? cell(JSON.stringify(f.geometry)) : '\\N'}\n`;
    if (batch.length > 1 << 20) { yield batch; batch = ''; }
  }
  if (batch) yield batch;
}

/** Households as the engine's columns (a million rosters rows without an object each). */
function* householdRows(h: HouseholdColumns): Generator<string> {
  let batch = '';
  const { ids, buildingIds, residents, positions } = h;
  for (let i = 0; i < ids.length; i++) {
    const x = positions[2 * i], y = positions[2 * i + 1];
    const r = +residents[i];
    const geom = Number.isFinite(x) && Number.isFinite(y) ? `{"type":"Point","coordinates":[${x},${y}]}` : '\\N';
    batch += `${i}\t${cell(ids[i])}\t${cell(buildingIds[i] || null)}\t${cell(r >= 0 ? r : null)}\t${geom}\n`;
    if (batch.length > 1 << 20) { yield batch; batch = ''; }
  }
  if (batch) yield batch;
}

export type LoadLayers = Partial<Record<Exclude<PgLayer, 'households'>, Feature[]>> & { households?: Feature[] | HouseholdColumns };

/** Replaces the layers' tables in `schema` with the features given (layers not given: empty tables). */
export async function loadLayers(db: Client, schema: string, layers: LoadLayers): Promise<Record<PgLayer, number>> {
  await createTables(db, schema);
  const counts = {} as Record<PgLayer, number>;
  for (const layer of LAYERS) {
    const given = layers[layer] ?? [];
    const columns = !Array.isArray(given) ? given : null;
    const features = Array.isArray(given) ? given : [];
    counts[layer] = columns ? columns.ids.length : features.length;
    const cols = COLUMNS[layer].map(([c]) => c);
    const stage = `_gridscope_load_${layer}`;
    await db.query(`CREATE TEMP TABLE ${stage} (${COLUMNS[layer].map(([c, t]) => `${c} ${c === 'geom' ? 'text' : t}`).join(', ')})`);
    await pipeline(Readable.from(columns ? householdRows(columns) : rows(layer, features)), db.query(copyFrom(`COPY ${stage} (${cols.join(', ')}) FROM STDIN`)));
    await db.query(`INSERT INTO ${ident(`${schema}.${layer}`)} SELECT ${cols.map((c) => (c === 'geom' ? 'ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)' : c)).join(', ')} FROM ${stage}`);
    await db.query(`DROP TABLE ${stage}`);
  }
  await indexTables(db, schema);
  return counts;
}
