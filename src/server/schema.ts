// The server's own tables (accounts, sessions, districts, the edit log, versions, the audit
// log), made if missing at each start. Edits and grids are kept as json (their text exactly as
// written: a reload compares like with like), the district's layers as the workspace file it
// was uploaded as. The PostGIS layer tables the engine reads are in src/server/layers.ts.
import type { Sql } from './store';

export const SCHEMA_SQL = [
  'CREATE EXTENSION IF NOT EXISTS postgis',
  `CREATE TABLE IF NOT EXISTS gs_users (
    name text PRIMARY KEY, role text NOT NULL, scope json NOT NULL, password text NOT NULL,
    created_at bigint NOT NULL, disabled boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE IF NOT EXISTS gs_sessions (
    token_hash text PRIMARY KEY, user_name text NOT NULL REFERENCES gs_users(name) ON DELETE CASCADE,
    expires_at bigint NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS gs_districts (
    id text PRIMARY KEY, name text NOT NULL, base bytea NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS gs_edits (
    district_id text NOT NULL REFERENCES gs_districts(id) ON DELETE CASCADE, seq integer NOT NULL,
    by_user text NOT NULL, at bigint NOT NULL, op json NOT NULL, change json NOT NULL, PRIMARY KEY (district_id, seq))`,
  `CREATE TABLE IF NOT EXISTS gs_versions (
    id text PRIMARY KEY, district_id text NOT NULL REFERENCES gs_districts(id) ON DELETE CASCADE,
    name text NOT NULL, by_user text NOT NULL, created_at bigint NOT NULL, grids json NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS gs_audit (
    id bigserial PRIMARY KEY, at bigint NOT NULL, user_name text NOT NULL, action text NOT NULL, detail text NOT NULL)`,
];

export async function migrate(db: Sql) {
  for (const s of SCHEMA_SQL) await db.query(s);
}
