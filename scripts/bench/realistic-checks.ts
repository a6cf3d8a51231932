// The checks against what a user would pick instead, on the reference city shaped like real
// data (realistic.ts), sizes S, M and L, in ONE interleaved run per size (engine, PostGIS, GEOS,
// engine, PostGIS, GEOS, …) so that the machine's load falls on all three alike:
//  - GridScope's engine in process (new CoverageChecker + report), in a child process per size
//    (realistic-child.ts) so that its peak RSS is that size's alone;
//  - PostGIS, hand-written best plans (best-plans.sql), one core, on plain tables COPY'd from
//    the same files; GRIDSCOPE_BENCH_DB when set, else a throwaway cluster;
//  - GEOS through shapely (geos-peer.py), a Python child per size.
// Each peer's answers (households located, buildings not clean, gaps, overlaps) are printed
// beside the engine's: the same work, not only the same speed. Then the growth S→M→L and the
// incremental re-check after one grid edit on M. BENCH_SIZES=S,M,L picks sizes (default S,M: L reads for ~2 min and holds ~8 GB; its PostGIS tables load in ~30 s).
// Skips with NO_SHARED where ../shared is absent; skips a peer that is not installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startCluster, type Cluster } from '../postgis/cluster';
import { NO_SHARED, realisticDir, type RealisticSize } from './realistic';
import { fmt, median } from './stats';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const load = () => `[load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`;
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : fmt(x));
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A child that answers one JSON line per command (realistic-child.ts, geos-peer.py). */
class LineChild {
  private lines: Interface;
  private queue: string[] = [];
  private waiting: ((l: string | null) => void) | null = null;
  private closed = false;
  private stderr = '';
  constructor(readonly proc: ChildProcess) {
    this.lines = createInterface({ input: proc.stdout! });
    this.lines.on('line', (l) => {
      if (!l.startsWith('{')) return; // anything else a child prints is not an answer
      if (this.waiting) { const w = this.waiting; this.waiting = null; w(l); } else this.queue.push(l);
    });
    this.lines.on('close', () => { this.closed = true; this.waiting?.(null); this.waiting = null; });
    proc.stderr!.on('data', (d) => { this.stderr = (this.stderr + String(d)).slice(-20000); });
  }
  async next(): Promise<Json> {
    const l = this.queue.shift() ?? (this.closed ? null : await new Promise<string | null>((r) => { this.waiting = r; }));
    if (l === null) throw new Error(`child ended: ${this.stderr.trim().split('\n').filter((l) => /Error|error/.test(l)).slice(0, 3).join(' | ') || this.stderr.slice(-500) || 'no message'}`);
    return JSON.parse(l);
  }
  async ask(cmd: string): Promise<Json> { this.proc.stdin!.write(`${cmd}\n`); return this.next(); }
  async quit(): Promise<Json | null> {
    try { return await this.ask('quit'); } catch { return null; } finally { this.proc.stdin!.end(); }
  }
}

/** The Python with shapely: python3 on the PATH, else Debian's (where apt put python3-shapely). */
function findPython(): { exe: string; version: string } | { missing: string } {
  let why = 'python3 not found';
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import shapely, numpy; from shapely import geos; print(shapely.__version__, geos.geos_version_string)'], { encoding: 'utf8' });
    if (r.status === 0) return { exe, version: r.stdout.trim() };
    if (!r.error) why = `${exe} has no shapely (Debian: apt-get install python3-shapely)`;
  }
  return { missing: why };
}

/** The statements of best-plans.sql, by their "-- @name" lines. */
export function bestPlans(): { name: string; sql: string }[] {
  const text = readFileSync(join(HERE, 'best-plans.sql'), 'utf8');
  return text.split(/^-- @/m).slice(1).map((part) => {
    const [name, ...rest] = part.split('\n');
    return { name: name.trim(), sql: rest.filter((l) => !l.startsWith('--')).join('\n').trim().replace(/;$/, '') };
  });
}

/** The GeoJSON's features, one per line as realistic-city.mjs writes them. */
async function* features(file: string): AsyncGenerator<Json> {
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const l = line.trim().replace(/,$/, '');
    if (l.startsWith('{"type":"Feature"')) yield JSON.parse(l);
  }
}

const copyCell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

async function copyLines(db: pg.Client, sql: string, gen: AsyncGenerator<string>) {
  async function* batched() {
    let b = '';
    for await (const l of gen) { b += l; if (b.length > 1 << 20) { yield b; b = ''; } }
    if (b) yield b;
  }
  await pipeline(Readable.from(batched()), db.query(copyFrom(sql)));
}

/** Plain tables of best-plans.sql in schema rc_<size>, from the files; kept while the files are unchanged. */
export async function loadPlain(db: pg.Client, size: RealisticSize, dir: string): Promise<{ ms: number; cached: boolean; n: Json }> {
  const schema = `rc_${size.toLowerCase()}`;
  const key = ['boundary.geojson', 'grids.geojson', 'buildings.geojson', 'households.csv'].map((f) => { const s = statSync(join(dir, f)); return `${f}:${s.size}:${s.mtimeMs}`; }).join(' ');
  const t = performance.now();
  const had = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'loaded'`, [schema]);
  if (had.rowCount && (await db.query(`SELECT key FROM ${schema}.loaded`)).rows[0]?.key === key) {
    const n = (await db.query(`SELECT (SELECT count(*) FROM ${schema}.grids) AS grids, (SELECT count(*) FROM ${schema}.buildings) AS buildings, (SELECT count(*) FROM ${schema}.households) AS households`)).rows[0];
    return { ms: performance.now() - t, cached: true, n };
  }
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`SET search_path = ${schema}, public`);
  await db.query(`CREATE TABLE boundary_raw (g text); CREATE TABLE grids_raw (seq int, code text, g text); CREATE TABLE buildings_raw (seq int, id text, g text)`);
  async function* area(file: string, id: (p: Json, i: number) => string | null) {
    let i = 0;
    for await (const f of features(join(dir, file))) {
      const v = id(f.properties ?? {}, i);
      yield `${v === null ? '' : `${i}\t${copyCell(v)}\t`}${copyCell(JSON.stringify(f.geometry))}\n`;
      i++;
    }
  }
  await copyLines(db, 'COPY boundary_raw (g) FROM STDIN', area('boundary.geojson', () => null));
  // the code as npm run check takes it: the name ("name serves as the code")
  await copyLines(db, 'COPY grids_raw (seq, code, g) FROM STDIN', area('grids.geojson', (p, i) => String(p.name ?? p.code ?? i)));
  await copyLines(db, 'COPY buildings_raw (seq, id, g) FROM STDIN', area('buildings.geojson', (p, i) => String(p.id ?? i)));
  const header = readFileSync(join(dir, 'households.csv'), 'utf8').slice(0, 4096).split('\n')[0].trim().split(',');
  if (!header.includes('lon') || !header.includes('lat')) throw new Error(`${dir}/households.csv: no lon and lat columns (${header.join(', ')})`);
  await db.query(`CREATE TABLE households_raw (${header.map((c) => `"${c.replace(/"/g, '')}" text`).join(', ')})`);
  await pipeline(createReadStream(join(dir, 'households.csv')), db.query(copyFrom('COPY households_raw FROM STDIN WITH (FORMAT csv, HEADER true)')));
  await db.query(`CREATE TABLE boundary AS SELECT ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM boundary_raw`);
  await db.query(`CREATE TABLE grids AS SELECT seq, code, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM grids_raw`);
  await db.query(`CREATE TABLE buildings AS SELECT seq, id, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM buildings_raw`);
  await db.query(`CREATE TABLE households AS SELECT (row_number() OVER ())::int AS seq, ST_SetSRID(ST_MakePoint(lon::float8, lat::float8), 4326) AS geom FROM households_raw WHERE lon <> '' AND lat <> ''`);
  await db.query('DROP TABLE boundary_raw, grids_raw, buildings_raw, households_raw');
  for (const t of ['boundary', 'grids', 'buildings', 'households']) {
    await db.query(`CREATE INDEX ON ${t} USING gist (geom)`);
    await db.query(`ANALYZE ${t}`);
  }
  await db.query('CREATE TABLE loaded (key text)');
  await db.query('INSERT INTO loaded VALUES ($1)', [key]);
  const n = (await db.query(`SELECT (SELECT count(*) FROM grids) AS grids, (SELECT count(*) FROM buildings) AS buildings, (SELECT count(*) FROM households) AS households`)).rows[0];
  return { ms: performance.now() - t, cached: false, n };
}

interface SizeResult {
  size: RealisticSize;
  engine: { total: number; stages: Record<string, number>; maxRss: number; inputRss: number; heap: number };
  postgis: number | null;
  geos: number | null;
  geosRss: number | null;
}

const num = (x: unknown) => Number(x);
const medOf = (runs: Json[], key: string) => median(runs.map((r) => num(r[key])).filter(Number.isFinite));

export async function benchRealisticChecks(runs: number) {
  const sizes = (process.env.BENCH_SIZES ?? 'S,M').split(',').map((s) => s.trim().toUpperCase()).filter((s): s is RealisticSize => s === 'S' || s === 'M' || s === 'L');
  console.log(`checks on the realistic city (../shared/bench/realistic-city.mjs), sizes ${sizes.join(', ')}: engine, PostGIS's best plans and GEOS interleaved ${load()}`);
  if (!realisticDir('S')) { console.log(`  ${NO_SHARED}`); return; }

  // PostGIS: the bench's database, else a throwaway cluster; without PostgreSQL the part goes on without it.
  let cluster: Cluster | null = null;
  let db: pg.Client | null = null;
  try {
    let url = process.env.GRIDSCOPE_BENCH_DB;
    if (!url) { cluster = await startCluster(); url = cluster.url; }
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
    const v = String((await db.query('SELECT postgis_full_version() AS v')).rows[0].v);
    const pgv = String((await db.query('SHOW server_version')).rows[0].server_version);
    console.log(`  PostGIS: ${v.match(/POSTGIS="([^ "]+)/)?.[1] ?? '?'} (GEOS ${v.match(/GEOS="([^ "]+)/)?.[1] ?? '?'}) on PostgreSQL ${pgv}${cluster ? ', a throwaway cluster' : ', GRIDSCOPE_BENCH_DB'}; one core: max_parallel_workers_per_gather = 0, jit off, work_mem 256MB`);
  } catch (e) {
    console.log(`  PostGIS: skipped (${(e as Error).message.split('\n')[0]})`);
    await db?.end().catch(() => {});
    db = null;
    cluster?.stop();
    cluster = null;
  }
  const py = findPython();
  if ('missing' in py) console.log(`  GEOS: skipped (${py.missing})`);
  else console.log(`  GEOS: shapely ${py.version.replace(' ', ', GEOS ')} (${py.exe}); shapely 1.8 has no coverage validation (shapely 2.1 / GEOS 3.12's CoverageValidator): its "validate" is is_valid per grid and building`);
  const plans = bestPlans();
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      const dir = realisticDir(size);
      if (!dir) { console.log(`  ${size}: ${NO_SHARED}`); continue; }
      results.push(await benchSize(size, dir, size === 'L' ? Math.min(runs, 3) : runs, db, 'exe' in py ? py.exe : null, plans));
    }
  } finally {
    await db?.end().catch(() => {});
    cluster?.stop();
  }
  growth(results);
}

async function benchSize(size: RealisticSize, dir: string, runs: number, db: pg.Client | null, python: string | null, plans: { name: string; sql: string }[]): Promise<SizeResult> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  console.log(`realistic ${size}: ${fmt(meta.grids_written)} grids, ${fmt(meta.buildings)} buildings (${fmt(meta.straddling_buildings)} across edges), ${fmt(meta.households)} households; planted ${meta.deleted.length} deleted, ${meta.shrunk.length} shrunk, ${meta.grown.length} grown grids; ${runs} interleaved rounds ${load()}`);

  // The engine's child reads the files (readRealistic); its RSS after that is the input's.
  const engine = new LineChild(spawn(process.execPath, ['--expose-gc', '--max-old-space-size=12288', '--import', 'tsx', join(HERE, 'realistic-child.ts'), size], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  const ready = await engine.next();
  console.log(`  engine's input read (readRealistic, not timed in the checks): ${fmt(ready.read_ms)} ms, ${fmt(ready.rss_input_mb)} MB RSS held ${load()}`);
  let geos: LineChild | null = null;
  if (python) {
    geos = new LineChild(spawn(python, [join(HERE, 'geos-peer.py'), dir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      const g = await geos.next();
      console.log(`  GEOS's input read (json.load + shape(), numpy.loadtxt): grids ${ms(g.read_ms.grids)}, buildings ${ms(g.read_ms.buildings)}, households ${ms(g.read_ms.households)} ms ${load()}`);
    } catch (e) { console.log(`  GEOS: skipped (${(e as Error).message})`); geos = null; }
  }
  if (db) {
    const l = await loadPlain(db, size, dir);
    await db.query(`SET search_path = rc_${size.toLowerCase()}, public`);
    await db.query('SET max_parallel_workers_per_gather = 0');
    await db.query('SET jit = off');
    await db.query(`SET work_mem = '256MB'`);
    console.log(`  PostGIS tables: ${l.cached ? `already loaded from these files (${fmt(l.ms)} ms to check)` : `COPY + GeoJSON → geometry + GiST in ${fmt(l.ms)} ms`}: ${fmt(num(l.n.grids))} grids, ${fmt(num(l.n.buildings))} buildings, ${fmt(num(l.n.households))} households ${load()}`);
  }

  const eRuns: Json[] = [], pRuns: Record<string, number>[] = [], gRuns: Json[] = [];
  let pCounts: Json = {};
  for (let r = 0; r < runs; r++) {
    eRuns.push(await engine.ask('run'));
    if (db) {
      const times: Record<string, number> = {};
      for (const p of plans) {
        const t = performance.now();
        const res = await db.query(p.sql);
        times[p.name] = performance.now() - t;
        pCounts = { ...pCounts, ...res.rows[0] };
      }
      times.sum = Object.values(times).reduce((a, b) => a + b, 0);
      pRuns.push(times);
    }
    if (geos) gRuns.push(await geos.ask('run'));
  }
  const inc = size === 'M' ? (await engine.ask('inc')).inc : null;
  const eEnd = await engine.quit();
  const gEnd = geos ? await geos.quit() : null;

  // The engine.
  const eMs = eRuns.map((r) => r.ms);
  const stageNames = Object.keys(eMs[0]).filter((k) => !['check', 'report', 'total'].includes(k));
  const stages = Object.fromEntries([...stageNames, 'check', 'report', 'total'].map((k) => [k, medOf(eMs, k)]));
  const ec = eRuns[eRuns.length - 1].counts;
  console.log(`  engine in process: median ${ms(stages.total)} ms over ${runs} runs (${eMs.map((x) => ms(x.total)).join(', ')}): ${stageNames.map((k) => `${k} ${ms(stages[k])}`).join(', ')}, report ${ms(stages.report)} ${load()}`);
  const maxRss = num(eEnd?.maxrss_mb), heap = num(eEnd?.peak_heap_mb);
  console.log(`    memory: peak RSS ${fmt(maxRss)} MB (of which the input held ${fmt(ready.rss_input_mb)} MB), peak heap used ${fmt(heap)} MB (sampled after the checker and after the report)`);
  console.log(`    answers: ${fmt(ec.located)} households located (${fmt(ec.double)} in two grids, ${fmt(ec.orphan)} in none), ${fmt(ec.straddling)} buildings across grids, ${fmt(ec.orphanBuildings)} orphan buildings, ${fmt(ec.gaps)} gaps ${fmt(ec.gap_m2, 1)} m², ${fmt(ec.overlaps)} overlaps ${fmt(ec.overlap_m2, 1)} m², ${fmt(ec.slivers)} slivers; ${fmt(ec.findings)} findings in all`);

  // PostGIS's best plans.
  let pSum: number | null = null;
  const pMed: Record<string, number> = {};
  if (pRuns.length) {
    for (const k of Object.keys(pRuns[0])) pMed[k] = median(pRuns.map((t) => t[k]));
    pSum = pMed.sum;
    console.log(`  PostGIS best plans, one core: ${plans.map((p) => `${p.name} ${ms(pMed[p.name])}`).join(', ')} → sum median ${ms(pSum)} ms (${pRuns.map((t) => ms(t.sum)).join(', ')}) ${load()}`);
    console.log(`    answers: ${fmt(num(pCounts.pairs))} (household, grid) pairs (a point on a shared edge or vertex counts in each grid), ${fmt(num(pCounts.straddling))} buildings across grids, ${fmt(num(pCounts.orphan_buildings))} orphan buildings, ${fmt(num(pCounts.gaps))} gaps ${fmt(num(pCounts.gap_m2), 1)} m², ${fmt(num(pCounts.overlaps))} overlapping pairs ${fmt(num(pCounts.overlap_m2), 1)} m²`);
  }

  // GEOS.
  let gTotal: number | null = null;
  const gMed: Record<string, number> = {};
  if (gRuns.length) {
    const gMs = gRuns.map((r) => r.ms);
    for (const k of Object.keys(gMs[0])) gMed[k] = medOf(gMs, k);
    gTotal = gMed.total;
    const gc = gRuns[gRuns.length - 1].counts;
    console.log(`  GEOS (shapely): ${Object.keys(gMed).filter((k) => k !== 'total').map((k) => `${k} ${ms(gMed[k])}`).join(', ')} → total median ${ms(gTotal)} ms (${gMs.map((x) => ms(x.total)).join(', ')}); peak RSS ${fmt(num(gEnd?.maxrss_mb))} MB ${load()}`);
    console.log(`    answers: ${fmt(gc.located)} households located (${fmt(gc.double)} in two grids, ${fmt(gc.orphan)} in none: a point on an edge is in no grid for contains), ${fmt(gc.straddling)} buildings across grids, ${fmt(gc.orphan_buildings)} orphan buildings, ${fmt(gc.gaps)} gaps ${fmt(gc.gap_m2, 1)} m², ${fmt(gc.overlaps)} overlapping pairs ${fmt(gc.overlap_m2, 1)} m²; invalid features ${fmt(gc.invalid_grids + gc.invalid_buildings)}`);
  }

  // Side by side: the same kind of work per row (median ms), then the ratios on the totals.
  const row = (name: string, e: number | undefined, p: number | undefined, g: number | undefined) =>
    `    ${name.padEnd(26)}${ms(e).padStart(9)}${ms(p).padStart(10)}${ms(g).padStart(10)}`;
  const land = (m: Record<string, number>) => (m.gaps === undefined ? undefined : m.gaps + m.overlaps);
  console.log(`  side by side (median ms)       engine   PostGIS      GEOS`);
  console.log(row('validate', stages.validate, undefined, gMed.validate));
  console.log(row('land (gaps + overlaps)', stages.land, land(pMed), land(gMed)));
  console.log(row('buildings (shares)', stages.buildings, pMed.buildings, gRuns.length ? gMed.buildings + gMed.index : undefined));
  console.log(row('households', stages.households, pMed.households, gMed.households));
  console.log(row('report', stages.report, undefined, undefined));
  console.log(row('total', stages.total, pSum ?? undefined, gTotal ?? undefined));
  const vs = (name: string, peer: number | null) => (peer === null ? `${name} not measured` : `${name}/engine ${ratio(peer, stages.total)} (engine/${name} ${ratio(stages.total, peer)})`);
  console.log(`  ratios on the totals: ${vs('PostGIS', pSum)}, ${vs('GEOS', gTotal)}   (target: each peer ≥ 10× the engine) ${load()}`);
  if (gTotal !== null) console.log(`    without validation (PostGIS has none here): GEOS/engine ${ratio(gTotal - gMed.validate, stages.total - stages.validate)}, PostGIS/engine ${pSum === null ? '–' : ratio(pSum, stages.total - stages.validate)}`);

  if (inc) {
    console.log(`  incremental re-check after one grid edit (updateGrid + report) on realistic ${size}: median ${fmt(inc.median, 1)} ms over ${inc.edits} edits${inc.skipped ? ` (${inc.skipped} moves refused as self-crossing, other grids taken)` : ''} (update ${fmt(inc.update, 1)}, report ${fmt(inc.report, 1)}; ${Object.entries(inc.stages as Record<string, number>).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')})   (target ≤ 20 ms) ${load()}`);
  }
  return { size, engine: { total: stages.total, stages, maxRss, inputRss: num(ready.rss_input_mb), heap }, postgis: pSum, geos: gTotal, geosRss: gEnd ? num(gEnd.maxrss_mb) : null };
}

/** S→M→L: how the time and memory grow against the data (M→L is 3.5× the data). */
function growth(results: SizeResult[]) {
  const by = Object.fromEntries(results.map((r) => [r.size, r])) as Partial<Record<RealisticSize, SizeResult>>;
  const pairs: [RealisticSize, RealisticSize][] = [['S', 'M'], ['M', 'L']];
  for (const [a, b] of pairs) {
    const x = by[a], y = by[b];
    if (!x || !y) continue;
    const e = (k: string) => `${k} ${ratio(y.engine.stages[k], x.engine.stages[k])}`;
    console.log(`growth ${a}→${b} (data ${a === 'S' ? '10' : '3.5'}×): engine time ${ratio(y.engine.total, x.engine.total)} (${['validate', 'land', 'buildings', 'households', 'report'].filter((k) => k in y.engine.stages).map(e).join(', ')}), peak RSS ${ratio(y.engine.maxRss, x.engine.maxRss)} (${fmt(x.engine.maxRss)} → ${fmt(y.engine.maxRss)} MB), RSS above the input ${ratio(y.engine.maxRss - y.engine.inputRss, x.engine.maxRss - x.engine.inputRss)}, peak heap ${ratio(y.engine.heap, x.engine.heap)}; PostGIS ${x.postgis && y.postgis ? ratio(y.postgis, x.postgis) : '–'}, GEOS ${x.geos && y.geos ? ratio(y.geos, x.geos) : '–'}${b === 'L' ? '   (target: L ≤ 3.6× M in time and memory)' : ''} ${load()}`);
  }
}
