// The database as the command line meets it (npm run check --engine postgis, npm run load):
// the --db URL and --schema checked before anything is read, PostGIS looked for, and a
// connection lost half-way said as such — each an InputError (exit 2), never a crash.
import pg from 'pg';
import { InputError } from '../cliError';

const URL_FORM = 'postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE';

/** The --db value, if it is a PostgreSQL URL (its text is not repeated: it may hold a password). */
export function dbUrl(value: string | undefined): string {
  if (!value) throw new InputError(`--db is required: ${URL_FORM}`);
  let u: URL | null = null;
  try { u = new URL(value); } catch { /* said below */ }
  if (!u || (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') || !u.hostname) {
    throw new InputError(`--db is not a database URL: expected ${URL_FORM} (key=value connection strings are not read)`);
  }
  return value;
}

/** A schema name as the tables' SQL takes it (schema.ts ident): checked before any file is read. */
export function schemaName(value: string | undefined): string {
  const s = value ?? 'gridscope';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(s) || /^pg_/i.test(s)) {
    throw new InputError(`--schema ${JSON.stringify(s)}: not a schema name (letters, digits and _, up to 63, not starting with a digit or pg_)`);
  }
  return s;
}

export interface Connection {
  db: pg.Client;
  /** The error that ended the connection, when the server or the network dropped it. */
  lost(): Error | null;
}

/** Connected, with the connection's end listened for (unheard, pg's 'error' event kills the process). */
export async function connect(url: string): Promise<Connection> {
  const db = new pg.Client({ connectionString: url });
  let lost: Error | null = null;
  db.on('error', (e) => { lost ??= e; });
  try { await db.connect(); } catch (e) { throw new InputError(`--db: cannot connect (${(e as Error).message})`); }
  return { db, lost: () => lost };
}

/** The error a query failed with, as the user should read it: a lost connection named as one. */
export function dbFailure(c: Connection, e: unknown, doing: string, then: string): Error {
  if (e instanceof InputError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const lost = c.lost();
  // class 08: connection exception; 57: operator intervention (pg_terminate_backend, a shutdown)
  if (lost || code.startsWith('08') || code.startsWith('57')) {
    return new InputError(`--db: the connection to the database was lost during ${doing} (${(lost ?? (e as Error)).message}); ${then}`);
  }
  return e as Error;
}

/** PostGIS in the database: there already, or created when `create` (npm run load) and allowed. */
export async function requirePostgis(db: pg.Client, create: boolean) {
  const has = async () => (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'postgis'`)).rowCount! > 0;
  if (await has()) return;
  const { name, available } = (await db.query(`SELECT current_database() AS name,
    EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available`)).rows[0] as { name: string; available: boolean };
  const fix = available
    ? `the server has it: as a superuser, run CREATE EXTENSION postgis; in database ${name}`
    : `the server does not have it: install PostGIS there (Debian: apt-get install postgresql-15-postgis-3), then, as a superuser, run CREATE EXTENSION postgis; in database ${name}`;
  if (!create) throw new InputError(`--db: PostGIS is not installed in database ${name}; ${fix} (npm run load does it when it may)`);
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (e) {
    throw new InputError(`--db: PostGIS is not installed in database ${name} and could not be added (${(e as Error).message}); ${fix}`);
  }
}
