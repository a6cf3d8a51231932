// A throwaway PostgreSQL cluster on loopback for the tests (and .ci/run): initdb into a
// temporary folder, started on a free port, PostGIS created in its database, stopped and
// removed after. Uses Debian's packages (postgresql, postgresql-*-postgis-3); as root the
// server runs as the `postgres` user, since PostgreSQL refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  url: string;
  stop(): void;
}

/** The folder of PostgreSQL's programs (the newest version installed), or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => resolve(typeof a === 'object' && a ? a.port : 0)); });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql postgresql-15-postgis-3)');
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (asRoot) { chmodSync(dir, 0o755); chownSync(dir, uid('postgres'), gid('postgres')); }
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'gridscope', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`, 'start']);
  const url = `postgres://gridscope@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop() {
      try { run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

function uid(name: string): number { return Number(execFileSync('id', ['-u', name]).toString().trim()); }
function gid(name: string): number { return Number(execFileSync('id', ['-g', name]).toString().trim()); }

// `tsx scripts/postgis/cluster.ts` starts one and prints its URL (for a try by hand); Ctrl-C stops it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const c = await startCluster();
  console.log(c.url);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { c.stop(); process.exit(0); });
  setInterval(() => {}, 1 << 30);
}
