// The PostGIS path of the command line (npm run check --engine postgis, npm run load) when the
// database lets it down: a connection killed half-way through a check (pg_terminate_backend
// from a second connection, on a real server), a database without PostGIS, a --db that is not
// a URL, a --schema that is not a name. Each ends in exit 2 and one line that says so — never
// exit 1 (a district's CI reads that as "findings") nor a stack trace. A throwaway cluster is
// started unless GRIDSCOPE_TEST_DB names a server (.ci/run starts one on loopback).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startCluster, type Cluster } from '../../scripts/postgis/cluster';

let cluster: Cluster | null = null;
let admin: pg.Client;
let base: URL;
const tag = `gridscope_cli_${process.pid}`;
const demo = ['--grids', 'data/demo/grids.fgb', '--buildings', 'data/demo/buildings.fgb', '--households', 'data/demo/households.fgb', '--boundaries', 'data/demo/boundaries.fgb'];

const urlOf = (db: string, user?: { name: string; password: string }) => {
  const u = new URL(base.toString());
  u.pathname = `/${db}`;
  if (user) { u.username = user.name; u.password = user.password; }
  return u.toString();
};

const cli = (script: 'check' | 'load', ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { encoding: 'utf8', timeout: 120_000 });

/** One line on stderr, no stack trace, no Node crash banner. */
function oneLine(stderr: string) {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |node:events|Unhandled/);
}

beforeAll(async () => {
  let url = process.env.GRIDSCOPE_TEST_DB;
  if (!url) { cluster = await startCluster(); url = cluster.url; }
  base = new URL(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const db of [`${tag}_demo`, `${tag}_bare`, `${tag}_plain`]) await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`DROP ROLE IF EXISTS ${tag}_user`);
  await admin.query(`CREATE DATABASE ${tag}_demo`);
  await admin.query(`CREATE DATABASE ${tag}_bare`); // no CREATE EXTENSION postgis in it
  // A database of its own for a user who is not a superuser: PostGIS (not a trusted
  // extension) cannot be created there by it — a district's usual database account.
  await admin.query(`CREATE ROLE ${tag}_user LOGIN PASSWORD 'pw'`);
  await admin.query(`CREATE DATABASE ${tag}_plain OWNER ${tag}_user`);
  const load = cli('load', '--db', urlOf(`${tag}_demo`), ...demo);
  expect(load.status, load.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  for (const db of [`${tag}_demo`, `${tag}_bare`, `${tag}_plain`]) await admin?.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin?.query(`DROP ROLE IF EXISTS ${tag}_user`);
  await admin?.end();
  cluster?.stop();
});

describe('the PostGIS path of the command line', () => {
  it('a connection killed in the middle of a check: exit 2, one line saying the connection was lost', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--engine', 'postgis', '--db', urlOf(`${tag}_demo`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // the check's transaction running (it takes seconds on the demo): its backend ended from here
    let killed = 0;
    for (let i = 0; i < 600 && !killed; i++) {
      killed = (await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`, [`${tag}_demo`])).rowCount ?? 0;
      if (!killed) await new Promise((r) => setTimeout(r, 25));
    }
    expect(killed, 'the check was caught running').toBe(1);
    const code = await exited;
    expect(code, stderr).toBe(2);
    oneLine(stderr);
    expect(stderr).toMatch(/^unusable input: --db: the connection to the database was lost during the check \(.+\); nothing was checked/);
  }, 120_000);

  it('a database without PostGIS: check and load say so and how to add it (exit 2)', () => {
    const check = cli('check', '--engine', 'postgis', '--db', urlOf(`${tag}_bare`));
    expect(check.status, check.stderr).toBe(2);
    oneLine(check.stderr);
    expect(check.stderr).toContain(`PostGIS is not installed in database ${tag}_bare`);
    expect(check.stderr).toContain('CREATE EXTENSION postgis');
    // load creates it where it may; a user who may not is told what to ask for
    const user = { name: `${tag}_user`, password: 'pw' };
    const load = cli('load', '--db', urlOf(`${tag}_plain`, user), '--grids', 'data/demo/grids.fgb');
    expect(load.status, load.stderr).toBe(2);
    oneLine(load.stderr);
    expect(load.stderr).toMatch(new RegExp(`PostGIS is not installed in database ${tag}_plain and could not be added \\(permission denied.*\\); the server has it: as a superuser, run CREATE EXTENSION postgis`));
  }, 120_000);

  it('a --db that is not a URL: exit 2 saying what a URL looks like, the value (a password, perhaps) not repeated', () => {
    for (const db of ['host=db.example password=s3cret', 'db.example:5432', 'grids']) {
      for (const r of [cli('check', '--engine', 'postgis', '--db', db), cli('load', '--db', db, '--grids', 'data/demo/grids.fgb')]) {
        expect(r.status, `${db}: ${r.stderr}`).toBe(2);
        oneLine(r.stderr);
        expect(r.stderr).toContain('--db is not a database URL: expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
        expect(r.stderr).not.toContain('s3cret');
      }
    }
  });

  it('a --schema that is not a name: exit 2 naming it, before any file is read or the database reached', () => {
    for (const schema of ['a;drop', 'grids"; DROP TABLE x; --', '1st', 'pg_catalog']) {
      const load = cli('load', '--db', urlOf(`${tag}_demo`), '--schema', schema, '--grids', 'data/demo/grids.fgb');
      expect(load.status, `${schema}: ${load.stderr}`).toBe(2);
      oneLine(load.stderr);
      expect(load.stderr).toContain(`--schema ${JSON.stringify(schema)}: not a schema name`);
      expect(load.stdout).toBe('');
      const check = cli('check', '--engine', 'postgis', '--db', urlOf(`${tag}_demo`), '--schema', schema);
      expect(check.status, check.stderr).toBe(2);
      expect(check.stderr).toContain(`--schema ${JSON.stringify(schema)}: not a schema name`);
    }
  });
});
