// The office server's database: the office's PostgreSQL with PostGIS (--db postgres://…), or
// PostgreSQL embedded in the process (PGlite, in WebAssembly, with PostGIS) in a data folder.
// Both are spoken to through one small interface with the same SQL; every value is a parameter.
import pg from 'pg';
import { mkdirSync } from 'node:fs';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Store extends Sql {
  kind: 'embedded' | 'postgresql';
  /** `body` in one transaction: all of it lands, or none */
  tx<T>(body: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The embedded store in `dir` (made if missing; PGlite's first start there takes a few seconds). */
export async function embeddedStore(dir: string, loadDataDir?: Blob): Promise<Store & { dump(): Promise<Blob> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { postgis }, ...(loadDataDir ? { loadDataDir } : {}) });
  const q = (t: { query: typeof db.query }): Sql['query'] => async (text, params) => (await t.query(text, params ?? [])).rows as never;
  return {
    kind: 'embedded',
    query: q(db),
    tx: (body) => db.transaction((t) => body({ query: q(t) })),
    close: () => db.close(),
    dump: async () => (await db.dumpDataDir('gzip')) as Blob,
  };
}

/** The office's PostgreSQL (PostGIS must be installable there: CREATE EXTENSION postgis). */
export async function postgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', (e) => console.error(`gridscope: database connection lost (${e.message})`));
  await pool.query('SELECT 1');
  return {
    kind: 'postgresql',
    query: async (text, params) => (await pool.query(text, params ?? [])).rows,
    async tx(body) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await body({ query: async (text, params) => (await c.query(text, params ?? [])).rows });
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
