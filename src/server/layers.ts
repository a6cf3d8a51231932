// A district's layers in the PostGIS tables the PostGIS engine and `npm run load` read
// (scripts/postgis/schema.ts: one schema per district, gs_<id>), kept as the server holds them:
// filled when a district is added, its grids rewritten in the transaction of each edit. So
// `npm run check -- --engine postgis --db … --schema gs_<id>` audits what the office holds.
import type { Feature } from 'geojson';
import { COLUMNS, ident, LAYERS, type PgLayer } from '../../scripts/postgis/schema';
import type { GridFeature } from '../domain/types';
import type { Sql } from './store';

export const layerSchema = (districtId: string) => `gs_${districtId}`;

/** A feature as the row its table holds (as `npm run load` writes it: numbers, booleans, text). */
function row(layer: PgLayer, f: Feature, seq: number): Record<string, unknown> {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { seq, geom: f.geometry ? JSON.stringify(f.geometry) : null };
  for (const [c] of COLUMNS[layer]) {
    if (c === 'seq' || c === 'geom') continue;
    const v = p[c];
    if (c === 'residential') out[c] = v === true || v === 'true' || v === 1 || v === '1';
    else if (c === 'band_min' || c === 'band_max' || c === 'levels' || c === 'residents') out[c] = v === '' || v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);
    else out[c] = v === undefined || v === null ? null : String(v);
  }
  return out;
}

/** Rows inserted from one json parameter (PGlite has no COPY from a stream; this works on both). */
async function insert(db: Sql, schema: string, layer: PgLayer, features: Feature[], first = 0) {
  const cols = COLUMNS[layer];
  const select = cols.map(([c, type]) => (c === 'geom' ? "ST_SetSRID(ST_GeomFromGeoJSON(e->>'geom'), 4326)" : `(e->>'${c}')::${type}`)).join(', ');
  for (let i = 0; i < features.length; i += 5000) {
    const rows = features.slice(i, i + 5000).map((f, k) => row(layer, f, first + i + k));
    await db.query(`INSERT INTO ${ident(`${schema}.${layer}`)} (${cols.map(([c]) => c).join(', ')}) SELECT ${select} FROM json_array_elements($1::json) e`, [JSON.stringify(rows)]);
  }
}

/** The district's tables made anew with its layers (in the caller's transaction). */
export async function writeLayers(db: Sql, districtId: string, layers: Record<PgLayer, Feature[]>) {
  const schema = layerSchema(districtId);
  await db.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  await db.query(`CREATE SCHEMA ${ident(schema)}`);
  for (const layer of LAYERS) {
    const t = ident(`${schema}.${layer}`);
    await db.query(`CREATE TABLE ${t} (${COLUMNS[layer].map(([c, type]) => `${c} ${type}`).join(', ')})`);
    await insert(db, schema, layer, layers[layer]);
    await db.query(`CREATE INDEX ON ${t} USING gist (geom)`);
    await db.query(`CREATE INDEX ON ${t} (${layer === 'buildings' || layer === 'households' ? 'id' : 'code'})`);
  }
}

/** After an edit: the rows of the codes it touched replaced by the grids now holding those codes. */
export async function rewriteGrids(db: Sql, districtId: string, codes: string[], grids: GridFeature[], firstSeq: number) {
  const t = ident(`${layerSchema(districtId)}.grids`);
  await db.query(`DELETE FROM ${t} WHERE code = ANY($1::text[])`, [codes]);
  const want = new Set(codes);
  await insert(db, layerSchema(districtId), 'grids', grids.filter((g) => want.has(g.properties.code)), firstSeq);
}

export async function dropLayers(db: Sql, districtId: string) {
  await db.query(`DROP SCHEMA IF EXISTS ${ident(layerSchema(districtId))} CASCADE`);
}
