// An office on a real server for the reliability tests and the server benchmark: the admin
// made from the command line, the server started, planners added (each scoped to a street)
// and logged in; edits that lie wholly in one planner's street; and the ways to see what the
// server holds (its edit log, its workspace file, the PostGIS grids table).
import { applyChange } from '../../src/plan/grids';
import { readArchive } from '../../src/store/archive';
import { rawLayersOfArchive } from '../../src/workspace/fromWorkspace';
import { usableGrids } from '../../src/checks/engine';
import { replay } from '../../src/plan/history';
import { streetOf } from '../../src/domain/codes';
import type { GridFeature } from '../../src/domain/types';
import type { EditOp, XY } from '../../src/plan/types';
import type { DistrictInfo, EditAck, EditEvent, Refusal, Role } from '../../src/server/api';
import type { Sql } from '../../src/server/store';
import { Client, serveCommand, startServer, type Place, type RunningServer } from './server';

export const ADMIN = { name: 'admin', password: 'admin-password-1' };
export const PASSWORD = 'planner-password-1';

/** A client on another server process (after a restart) with the same session cookie. */
export function reconnect(c: Client, url: string): Client {
  const again = new Client(url);
  again.cookie = c.cookie;
  return again;
}

export interface Office {
  server: RunningServer;
  admin: Client;
  district: DistrictInfo;
}

/** The first admin, a started server (with its demo district, or the one uploaded), logged in as the admin. */
export async function openOffice(place: Place, o: { upload?: Uint8Array; extra?: string[] } = {}): Promise<Office> {
  const made = serveCommand(place, ['--create-admin', ADMIN.name], ADMIN.password);
  if (made.status !== 0) throw new Error(`--create-admin: ${made.out}`);
  const server = await startServer(place, [...(o.upload ? ['--no-demo'] : []), ...(o.extra ?? [])]);
  const admin = new Client(server.url);
  const r = await admin.login(ADMIN.name, ADMIN.password);
  if (r.status !== 200) throw new Error(`admin login: HTTP ${r.status}`);
  let district: DistrictInfo;
  if (o.upload) {
    const up = await admin.json<DistrictInfo>('POST', '/api/districts?name=city.gridscope', o.upload);
    if (up.status !== 201) throw new Error(`upload: HTTP ${up.status} ${JSON.stringify(up.body)}`);
    district = up.body;
  } else {
    const list = await admin.json<DistrictInfo[]>('GET', '/api/districts');
    district = list.body[0];
  }
  return { server, admin, district };
}

/** An account added by the admin and logged in. */
export async function addUser(admin: Client, name: string, role: Role, scope: string[] = []): Promise<Client> {
  const r = await admin.json('POST', '/api/users', { name, password: PASSWORD, role, scope });
  if (r.status !== 201) throw new Error(`add ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  const c = new Client(admin.url);
  const l = await c.login(name, PASSWORD);
  if (l.status !== 200) throw new Error(`login ${name}: HTTP ${l.status}`);
  return c;
}

/** The streets of the district's grids, in code order, with how many grids each has. */
export function streets(grids: GridFeature[]): { code: string; grids: number }[] {
  const n = new Map<string, number>();
  for (const g of grids) n.set(streetOf(g.properties.community_code), (n.get(streetOf(g.properties.community_code)) ?? 0) + 1);
  return [...n].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([code, grids]) => ({ code, grids }));
}

/**
 * Up to `n` vertex moves wholly inside a street: inner corners (held by three or more grids,
 * all of that street) each moved 10 % toward the middle of a grid holding it, no corner twice.
 * `skip` the first ones (so two sets taken from one street differ).
 */
export function streetMoves(grids: GridFeature[], street: string, n: number, skip = 0): Extract<EditOp, { type: 'move_vertex' }>[] {
  return movesWithin(grids, (g) => streetOf(g.properties.community_code) === street, n, skip);
}

/** The same inside any part of the district: the grids `inPart` says are in it. */
export function movesWithin(grids: GridFeature[], inPart: (g: GridFeature) => boolean, n: number, skip = 0, usable: (corner: string) => boolean = () => true): Extract<EditOp, { type: 'move_vertex' }>[] {
  const holders = new Map<string, GridFeature[]>();
  for (const g of grids) {
    if (g.geometry.type !== 'Polygon') continue;
    for (const p of g.geometry.coordinates[0].slice(0, -1)) {
      const k = `${p[0]},${p[1]}`;
      holders.set(k, [...(holders.get(k) ?? []), g]);
    }
  }
  const out: Extract<EditOp, { type: 'move_vertex' }>[] = [];
  let skipped = 0;
  for (const [k, hs] of holders) {
    if (out.length >= n) break;
    if (hs.length < 3 || !usable(k) || !hs.every((g) => inPart(g) && g.properties.kind === 'base')) continue;
    if (skipped++ < skip) continue;
    const [x, y] = k.split(',').map(Number);
    const ring = (hs[0].geometry.coordinates as number[][][])[0].slice(0, -1);
    const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length, cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    out.push({ type: 'move_vertex', from: [x, y] as XY, to: [x + (cx - x) * 0.1, y + (cy - y) * 0.1] as XY });
  }
  return out;
}

export type EditOutcome =
  | { kind: 'ack'; edit: EditEvent; sentAt: number; ackAt: number }
  | { kind: 'refused'; status: number; refusal: Refusal }
  | { kind: 'lost'; error: string };

/** One edit sent: acknowledged (200 with the edit), refused (an HTTP status and its refusal), or lost (no answer: the connection broke). */
export async function sendEdit(c: Client, districtId: string, op: EditOp, base: number): Promise<EditOutcome> {
  const sentAt = performance.now();
  let r: Response;
  let text: string;
  try {
    r = await c.request('POST', `/api/districts/${districtId}/edits`, { op, base });
    text = await r.text();
  } catch (e) {
    return { kind: 'lost', error: e instanceof Error ? `${e.message} ${(e.cause as Error | undefined)?.message ?? ''}` : String(e) };
  }
  const ackAt = performance.now();
  const body = JSON.parse(text) as EditAck | Refusal;
  if (r.status === 200) return { kind: 'ack', edit: (body as EditAck).edit, sentAt, ackAt };
  return { kind: 'refused', status: r.status, refusal: body as Refusal };
}

/** The server's log: GET /edits?after=0. */
export async function serverLog(c: Client, districtId: string): Promise<EditEvent[]> {
  const r = await c.json<EditEvent[]>('GET', `/api/districts/${districtId}/edits?after=0`);
  if (r.status !== 200) throw new Error(`edits: HTTP ${r.status}`);
  return r.body;
}

export async function importedGrids(c: Client, districtId: string): Promise<GridFeature[]> {
  const r = await c.json<GridFeature[]>('GET', `/api/districts/${districtId}/versions/imported`);
  if (r.status !== 200) throw new Error(`versions/imported: HTTP ${r.status}`);
  return r.body;
}

/** The district's workspace file as the server sends it, read as a page would: its grids with its draft replayed, and the draft's edits. */
export async function fileState(c: Client, districtId: string): Promise<{ seq: number; grids: GridFeature[]; edits: EditEvent[]; bytes: number }> {
  const r = await c.request('GET', `/api/districts/${districtId}/file`);
  if (r.status !== 200) throw new Error(`file: HTTP ${r.status}`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  const a = readArchive(bytes, 'district.gridscope');
  const raw = rawLayersOfArchive(a);
  return { seq: Number(r.headers.get('x-gridscope-seq')), grids: replay(usableGrids(raw.grids), { edits: a.edits, done: a.editsDone ?? 0 }), edits: a.edits as EditEvent[], bytes: bytes.length };
}

/** The grids with the log's changes applied one after another. */
export function replayLog(grids: GridFeature[], log: readonly EditEvent[]): GridFeature[] {
  let out = grids;
  for (const e of log) out = applyChange(out, e.change);
  return out;
}

/**
 * How the PostGIS grids table of the district (gs_<id>.grids) differs from `grids`: codes
 * missing or extra, and codes whose geometry is not the same (ST_OrderingEquals, vertex for
 * vertex). Empty when the table holds exactly these grids.
 */
export async function tableDifferences(db: Sql, districtId: string, grids: GridFeature[]): Promise<string[]> {
  const t = `"gs_${districtId}"."grids"`;
  const want = grids.map((g) => ({ code: g.properties.code, geom: JSON.stringify(g.geometry) }));
  const rows = await db.query<{ code: string | null; problem: string }>(
    `WITH want AS (SELECT e->>'code' AS code, ST_SetSRID(ST_GeomFromGeoJSON(e->>'geom'), 4326) AS geom FROM json_array_elements($1::json) e),
          have AS (SELECT code, geom FROM ${t})
     SELECT coalesce(w.code, h.code) AS code,
            CASE WHEN h.code IS NULL THEN 'missing from the table' WHEN w.code IS NULL THEN 'in the table, not in the replay'
                 ELSE 'another shape' END AS problem
     FROM want w FULL JOIN have h ON w.code = h.code
     WHERE h.code IS NULL OR w.code IS NULL OR NOT ST_OrderingEquals(w.geom, h.geom)`,
    [JSON.stringify(want)]);
  const dup = await db.query<{ code: string; n: string }>(`SELECT code, count(*) AS n FROM ${t} GROUP BY code HAVING count(*) > 1`);
  return [...rows.map((r) => `${r.code}: ${r.problem}`), ...dup.map((r) => `${r.code}: ${r.n} rows`)];
}

/** Geometry and code of each grid (what an edit changes), for comparing two lists. */
export const shapes = (grids: GridFeature[]) => grids.map((g) => [g.properties.code, JSON.stringify(g.geometry)]);
