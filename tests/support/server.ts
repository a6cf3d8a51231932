// A real GridScope server for the tests: `scripts/serve.ts` in its own process (so it can be
// killed), on a free port, on a fresh embedded store in a temporary folder or on a fresh
// database in the PostgreSQL that .ci/run starts (GRIDSCOPE_TEST_DB); and a client that keeps
// its session cookie, as a browser does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startCluster, type Cluster } from '../../scripts/postgis/cluster';
import { embeddedStore, postgresStore, type Store } from '../../src/server/store';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SERVE = join(ROOT, 'scripts', 'serve.ts');

export type StoreKind = 'embedded' | 'postgresql';

export interface Place {
  kind: StoreKind;
  /** the serve arguments naming the store */
  args: string[];
  drop(): Promise<void>;
}

/**
 * A new embedded store with its tables and the demo district (`serve.ts --init`), made once
 * for the code and data it was made by and copied for each test (PGlite's first start and the
 * demo's PostGIS tables take tens of seconds on a loaded machine).
 */
function embeddedTemplate(): string {
  const h = createHash('sha256');
  for (const f of [...readdirSync(join(ROOT, 'src', 'server')).map((n) => join('src', 'server', n)), 'src/store/archive.ts', 'scripts/serve.ts', 'scripts/postgis/schema.ts', 'data/demo/meta.json', 'package-lock.json']) h.update(readFileSync(join(ROOT, f)));
  const template = join(tmpdir(), `gridscope-store-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const made = mkdtempSync(join(tmpdir(), 'gridscope-store-new-'));
  const r = serveCommand({ kind: 'embedded', args: ['--data', join(made, 'data')], drop: async () => {} }, ['--init']);
  if (r.status !== 0) throw new Error(`serve.ts --init failed:\n${r.out}`);
  // (two test files may make it at once: the first rename wins, the other's copy is dropped)
  try { renameSync(join(made, 'data'), template); } catch { /* made by another meanwhile */ }
  rmSync(made, { recursive: true, force: true });
  return template;
}

let cluster: Promise<Cluster> | null = null;
function ownCluster(): Promise<Cluster> {
  cluster ??= startCluster().then((c) => { process.on('exit', () => c.stop()); return c; });
  return cluster;
}

/** A fresh store: an empty data folder, or a new database in the tests' PostgreSQL. */
export async function freshStore(kind: StoreKind): Promise<Place> {
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'gridscope-server-'));
    cpSync(embeddedTemplate(), join(dir, 'data'), { recursive: true });
    return { kind, args: ['--data', join(dir, 'data')], drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  // (.ci/run starts one and names it; else a throwaway cluster for this test file)
  const url = process.env.GRIDSCOPE_TEST_DB ?? (await ownCluster()).url;
  const name = `gs_server_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    kind, args: ['--db', u.toString()],
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** serve.ts run to its end (account commands, backups): its exit code and output. */
export function serveCommand(place: Place, args: string[], password?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SERVE, ...place.args, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...(password ? { GRIDSCOPE_PASSWORD: password } : {}) }, timeout: 180_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM, and waits for the process to end */
  stop(): Promise<void>;
  /** SIGKILL: no chance to finish anything */
  kill(): Promise<void>;
}

export async function startServer(place: Place, extra: string[] = []): Promise<RunningServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVE, ...place.args, '--port', '0', '--no-build', ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ended = new Promise<void>((res) => proc.on('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`the server did not start in 150 s:\n${out}`)), 150_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`the server ended (${code}) before serving:\n${out}`)); });
  });
  return {
    url, proc, output: () => out,
    stop: async () => { if (proc.exitCode === null) proc.kill('SIGTERM'); await ended; },
    kill: async () => { if (proc.exitCode === null) proc.kill('SIGKILL'); await ended; },
  };
}

/** A client of one account: its session cookie kept between requests. */
export class Client {
  cookie = '';
  constructor(readonly url: string, readonly origin = url) {}

  async login(name: string, password: string): Promise<Response> {
    const r = await this.request('POST', '/api/login', { name, password });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return r;
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const isBytes = body instanceof Uint8Array;
    return fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body !== undefined ? { 'content-type': isBytes ? 'application/zip' : 'application/json' } : {}),
        ...(method !== 'GET' ? { origin: this.origin } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isBytes ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const r = await this.request(method, path, body);
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Server-sent events of a path: each event's name and data as it comes. */
  events(path: string, onEvent: (name: string, data: string, id: string) => void): { close(): void; opened: Promise<void> } {
    const ac = new AbortController();
    const opened = (async () => {
      const r = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookie, accept: 'text/event-stream' }, signal: ac.signal });
      if (r.status !== 200) throw new Error(`events: HTTP ${r.status}`);
      const reader = r.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buf += dec.decode(value, { stream: true });
            let k;
            while ((k = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, k);
              buf = buf.slice(k + 2);
              let name = 'message', data = '', id = '';
              for (const line of block.split('\n')) {
                if (line.startsWith('event: ')) name = line.slice(7);
                else if (line.startsWith('data: ')) data += line.slice(6);
                else if (line.startsWith('id: ')) id = line.slice(4);
              }
              if (data) onEvent(name, data, id);
            }
          }
        } catch { /* closed */ }
      })();
    })();
    return { close: () => ac.abort(), opened };
  }
}

/** The place's store opened here, as the server opens it (the embedded one only while its server is stopped: PGlite is not shared). */
export async function openStore(place: Place): Promise<Store> {
  const where = place.args[1];
  return place.kind === 'embedded' ? embeddedStore(where) : postgresStore(where);
}
