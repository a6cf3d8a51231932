// The tables the PostGIS engine reads: one per layer, canonical columns (DESIGN's field
// names), geometry in EPSG:4326, GiST indexes. `npm run load` fills them; tables of one's own
// with these columns can be named instead (--table grids=schema.table).
import type { Client } from 'pg';

export const LAYERS = ['boundaries', 'grids', 'buildings', 'households'] as const;
export type PgLayer = (typeof LAYERS)[number];

/** The columns of each layer, in COPY order (seq: the feature's place in its file; geom last). */
export const COLUMNS: Record<PgLayer, [string, string][]> = {
  boundaries: [['seq', 'integer'], ['code', 'text'], ['name', 'text'], ['level', 'text'], ['parent_code', 'text'], ['band_min', 'double precision'], ['band_max', 'double precision'], ['geom', 'geometry(Geometry, 4326)']],
  grids: [['seq', 'integer'], ['code', 'text'], ['name', 'text'], ['kind', 'text'], ['community_code', 'text'], ['dedicated_type', 'text'], ['band_min', 'double precision'], ['band_max', 'double precision'], ['geom', 'geometry(Geometry, 4326)']],
  buildings: [['seq', 'integer'], ['id', 'text'], ['address', 'text'], ['levels', 'double precision'], ['residential', 'boolean'], ['geom', 'geometry(Geometry, 4326)']],
  households: [['seq', 'integer'], ['id', 'text'], ['building_id', 'text'], ['residents', 'double precision'], ['geom', 'geometry(Point, 4326)']],
};

/** A schema or table name as SQL: plain identifiers only (letters, digits, _), optionally schema-qualified. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) throw new Error(`${name}: not a table name (letters, digits and _ only, optionally schema.table)`);
  return name.split('.').map((p) => `"${p}"`).join('.');
}

export async function createTables(db: Client, schema: string, layers: readonly PgLayer[] = LAYERS) {
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  for (const layer of layers) {
    const t = ident(`${schema}.${layer}`);
    await db.query(`DROP TABLE IF EXISTS ${t}`);
    await db.query(`CREATE TABLE ${t} (${COLUMNS[layer].map(([c, type]) => `${c} ${type}`).join(', ')})`);
  }
}

export async function indexTables(db: Client, schema: string, layers: readonly PgLayer[] = LAYERS) {
  for (const layer of layers) {
    const t = ident(`${schema}.${layer}`);
    await db.query(`CREATE INDEX ON ${t} USING gist (geom)`);
    await db.query(`CREATE INDEX ON ${t} (${layer === 'buildings' || layer === 'households' ? 'id' : 'code'})`);
    if (layer === 'households') await db.query(`CREATE INDEX ON ${t} (building_id)`);
    await db.query(`ANALYZE ${t}`);
  }
}
