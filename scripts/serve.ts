// The office server: `npm run serve` — one process serving the console and its API, on the
// embedded store (PGlite in --data) or the office's PostgreSQL/PostGIS (--db). Also what an
// administrator does with the store while the server is stopped: the first admin, accounts,
// backups of the embedded store (for PostgreSQL: pg_dump).
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { embeddedStore, postgresStore, type Store } from '../src/server/store';
import { migrate } from '../src/server/schema';
import { buildApp } from '../src/server/app';
import { Accounts, userProblem } from '../src/server/auth';
import { Districts } from '../src/server/districts';
import { demoArchive } from '../src/server/demo';
import { ROLES, type Role } from '../src/server/api';

const ROOT = resolve(import.meta.dirname, '..');

const USAGE = `usage: npm run serve -- [--host 127.0.0.1] [--port 8080] [--data ./gridscope-data | --db postgres://USER@HOST/DB]
       npm run serve -- --create-admin NAME            the first administrator (asks for the password)
       npm run serve -- --add-user NAME --role ROLE [--scope CODE,CODE]   roles: ${ROLES.join(', ')}
       npm run serve -- --backup FILE                  the embedded store (--data) into one file
       npm run serve -- --restore FILE                 a backup into a new, empty --data folder
  With no --db the server runs on an embedded PostgreSQL (PGlite, with PostGIS) in --data; with --db on
  the office's PostgreSQL with PostGIS (the same tables; back it up with pg_dump). A store with no district
  gets the demo district. The password comes from the terminal, or GRIDSCOPE_PASSWORD, or a line on stdin.
  --init: make the store's tables (and the demo district, unless --no-demo) and stop
  --no-build: serve dist/ as it is (else the console is built first when dist/ is missing or older than src/)`;

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function buildIfNeeded(dist: string) {
  const index = join(dist, 'index.html');
  const src = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= src) return;
  console.log('gridscope: building the console (vite build)…');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the console did not build');
}

async function password(): Promise<string> {
  if (process.env.GRIDSCOPE_PASSWORD) return process.env.GRIDSCOPE_PASSWORD;
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) { rl.close(); return line; }
    return '';
  }
  const ask = (q: string) => new Promise<string>((res) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(q);
    out._writeToOutput = () => {}; // the password is not echoed
    rl.question('', (a) => { rl.close(); process.stdout.write('\n'); res(a); });
  });
  const a = await ask('password: ');
  const b = await ask('again: ');
  if (a !== b) throw new Error('the two passwords differ');
  return a;
}

/** One process per embedded data folder (PGlite is not shared): a lock file with the pid. */
function lockData(dir: string): () => void {
  const lock = join(dir, '.gridscope.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try { process.kill(pid, 0); alive = pid !== process.pid; } catch { /* gone */ }
    if (alive) throw new Error(`${dir}: a GridScope server (pid ${pid}) is using this data folder; stop it first, or manage accounts in the console`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

async function main(): Promise<number> {
  const { values: a } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8080' },
      data: { type: 'string', default: './gridscope-data' }, db: { type: 'string' },
      'create-admin': { type: 'string' }, 'add-user': { type: 'string' }, role: { type: 'string' }, scope: { type: 'string' },
      backup: { type: 'string' }, restore: { type: 'string' }, 'no-build': { type: 'boolean' }, 'no-demo': { type: 'boolean' },
      dist: { type: 'string' }, init: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (a.help) { console.log(USAGE); return 0; }
  const data = resolve(a.data!);
  if (a.restore) {
    if (a.db) throw new Error('--restore is for the embedded store; restore PostgreSQL with pg_restore');
    if (existsSync(data) && readdirSync(data).length) throw new Error(`${data}: not empty; --restore fills a new folder only (nothing is overwritten)`);
    const blob = new Blob([readFileSync(a.restore)]);
    const s = await embeddedStore(data, blob);
    const n = await s.query<{ n: string }>('SELECT count(*) AS n FROM gs_districts');
    await s.close();
    console.log(`gridscope: restored ${a.restore} into ${data} (${n[0].n} districts)`);
    return 0;
  }
  if (a.db && !/^postgres(ql)?:\/\//.test(a.db)) throw new Error('--db: expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  if (!a.db) mkdirSync(data, { recursive: true });
  const unlock = a.db ? () => {} : lockData(data);
  let store: Store | null = null;
  try {
    store = a.db ? await postgresStore(a.db) : await embeddedStore(data);
    await migrate(store);
    if (a.backup) {
      if (store.kind !== 'embedded') throw new Error('--backup is for the embedded store; back PostgreSQL up with pg_dump');
      const blob = await (store as Awaited<ReturnType<typeof embeddedStore>>).dump();
      writeFileSync(a.backup, new Uint8Array(await blob.arrayBuffer()));
      console.log(`gridscope: ${data} backed up into ${a.backup}`);
      return 0;
    }
    const name = a['create-admin'] ?? a['add-user'];
    if (name !== undefined) {
      const role = (a['create-admin'] !== undefined ? 'admin' : a.role) as Role;
      const user = { name, role, password: await password(), scope: a.scope ? a.scope.split(',').map((s) => s.trim()).filter(Boolean) : [] };
      const problem = userProblem(user);
      if (problem) throw new Error(problem);
      if (!(await new Accounts(store).add(user))) throw new Error(`an account ${name} exists already (nothing changed)`);
      console.log(`gridscope: account ${name} (${role}) added`);
      return 0;
    }
    const districts = new Districts(store);
    if (!a['no-demo'] && (await districts.list()).length === 0) {
      const demo = await demoArchive(join(ROOT, 'data', 'demo'));
      const info = await districts.add(demo.bytes, demo.name, 'gridscope');
      console.log(`gridscope: the demo district added (${info.name}, id ${info.id})`);
    }
    if (a.init) { console.log('gridscope: the store is ready'); return 0; }
    const dist = resolve(a.dist ?? join(ROOT, 'dist'));
    if (!a['no-build']) buildIfNeeded(dist);
    const { app } = await buildApp({ store, dist });
    const address = await app.listen({ host: a.host!, port: Number(a.port) });
    const admins = (await new Accounts(store).list()).filter((u) => u.role === 'admin' && !u.disabled);
    console.log(`gridscope: serving ${address} (store: ${a.db ? 'PostgreSQL' : `embedded, ${data}`})`);
    if (!admins.length) console.log('gridscope: no administrator yet — stop the server and run: npm run serve -- --create-admin NAME');
    const stop = async () => { await app.close(); await store!.close(); unlock(); process.exit(0); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return -1; // keeps running
  } finally {
    if (store && (a.backup || a.init || a['create-admin'] !== undefined || a['add-user'] !== undefined)) { await store.close(); unlock(); }
  }
}

main().then((code) => { if (code >= 0) process.exit(code); }, (e) => { console.error(`gridscope: ${e instanceof Error ? e.message : String(e)}`); process.exit(2); });
