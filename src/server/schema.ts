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
  // Issue 23: the audit trail's columns (src/server/audit.ts); plans, their comments, and the published versions.
  'ALTER TABLE gs_audit ADD COLUMN IF NOT EXISTS district_id text',
  'ALTER TABLE gs_audit ADD COLUMN IF NOT EXISTS grids text',
  'ALTER TABLE gs_audit ADD COLUMN IF NOT EXISTS record text',
  `CREATE TABLE IF NOT EXISTS gs_published (
    district_id text NOT NULL REFERENCES gs_districts(id) ON DELETE CASCADE, number integer NOT NULL,
    plan_id integer, approved_by text NOT NULL, approved_at bigint NOT NULL, effective text NOT NULL, note text NOT NULL,
    grids json NOT NULL, lifecycle json NOT NULL, renumber json NOT NULL, PRIMARY KEY (district_id, number))`,
  // A published version never changes (it goes only with its district).
  `CREATE OR REPLACE FUNCTION gs_published_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'a published version never changes (district %, number %)', OLD.district_id, OLD.number; END $$`,
  'DROP TRIGGER IF EXISTS gs_published_unchanged ON gs_published',
  'CREATE TRIGGER gs_published_unchanged BEFORE UPDATE ON gs_published FOR EACH ROW EXECUTE FUNCTION gs_published_unchanged()',
  `CREATE TABLE IF NOT EXISTS gs_plans (
    district_id text NOT NULL REFERENCES gs_districts(id) ON DELETE CASCADE, id integer NOT NULL,
    author text NOT NULL, note text NOT NULL, scope json NOT NULL, status text NOT NULL, revision integer NOT NULL,
    base integer NOT NULL, effective text NOT NULL, submitted_at bigint NOT NULL, codes json NOT NULL, after json NOT NULL,
    renumber json NOT NULL, findings json NOT NULL, decided_by text, decided_at bigint, reason text, published integer, PRIMARY KEY (district_id, id))`,
  `CREATE TABLE IF NOT EXISTS gs_comments (
    id bigserial PRIMARY KEY, district_id text NOT NULL, plan_id integer NOT NULL, revision integer NOT NULL,
    by_user text NOT NULL, at bigint NOT NULL, text text NOT NULL, grid text, lon double precision, lat double precision,
    FOREIGN KEY (district_id, plan_id) REFERENCES gs_plans(district_id, id) ON DELETE CASCADE)`,
  // The audit trail is append-only: the database itself refuses to change, delete or empty it (one
  // statement-level trigger, so a DELETE or UPDATE matching no row is refused too), whatever asks.
  `CREATE OR REPLACE FUNCTION gs_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'gs_audit is append-only: % refused', TG_OP; END $$`,
  'DROP TRIGGER IF EXISTS gs_audit_append_only ON gs_audit',
  'CREATE TRIGGER gs_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON gs_audit FOR EACH STATEMENT EXECUTE FUNCTION gs_audit_append_only()',
];

export async function migrate(db: Sql) {
  for (const s of SCHEMA_SQL) await db.query(s);
}
