// A bounded load on one running server: readers that open the district as a page does (its
// workspace file, its edits, an event stream each) while planners edit, each in their own
// community. Everything each request answered and every event each listener saw is kept, so a
// test can say nothing failed and nothing was lost, and the benchmark can print the timings.
import { communityOf } from '../../src/domain/codes';
import type { EditEvent, Role } from '../../src/server/api';
import type { GridFeature } from '../../src/domain/types';
import type { EditOp } from '../../src/plan/types';
import { addUser, importedGrids, movesWithin, replayLog, sendEdit, serverLog, type Office } from './office';
import { Client } from './server';

export interface LoadOptions {
  readers: number;
  planners: number;
  /** edits each planner sends, one after another */
  editsEach: number;
  /** times each reader fetches the file and the edits */
  readRounds: number;
  /** reader accounts the readers share (logins are limited per address: 20 a minute) */
  readerAccounts?: number;
  /** whether readers fetch the workspace file (else the edits alone: to see what the file costs) */
  fileReads?: boolean;
}

export interface LoadResult {
  /** answers that were neither 200 nor an honest refusal: what, status, body */
  errors: string[];
  /** honest refusals (422: a move the geometry refuses) */
  refusals: string[];
  acked: { edit: EditEvent; sentAt: number; ackAt: number }[];
  /** per listener (readers then planners): seq → when it arrived */
  seen: Map<number, number>[];
  /** per listener: the events in the order they came */
  events: EditEvent[][];
  fileMs: number[];
  editsMs: number[];
  fileBytes: number;
  wallMs: number;
  accounts: LoadAccounts;
}

const ROLES: Role[] = ['reviewer', 'operator', 'auditor', 'reviewer', 'operator'];

/** The communities with the most inner corners wholly their own, `n` of them, with their moves. */
export function communityMoves(grids: GridFeature[], n: number, each: number, usable: (corner: string) => boolean = () => true): { community: string; ops: Extract<EditOp, { type: 'move_vertex' }>[] }[] {
  const communities = [...new Set(grids.map((g) => communityOf(g.properties.community_code)))].sort();
  return communities
    .map((c) => ({ community: c, ops: movesWithin(grids, (g) => g.properties.community_code === c, each, 0, usable) }))
    .filter((x) => x.ops.length >= each)
    .slice(0, n);
}

/** The accounts of a load (logged in): a second load on the same server takes them again (logins are limited per address). */
export interface LoadAccounts {
  planners: { community: string; client: Client }[];
  readers: Client[];
}

export async function runLoad(office: Office, o: LoadOptions, again?: LoadAccounts): Promise<LoadResult> {
  const id = office.district.id;
  // Corners no edit has moved yet: the district session cannot move a vertex an earlier edit of
  // the session moved (no_vertex: its vertex index is stale — see the report of issue 22's
  // reliability part), so a second load on one server takes fresh corners.
  const log = await serverLog(office.admin, id);
  const moved = new Set(log.flatMap((e) => (e.op.type === 'move_vertex' ? [`${e.op.from[0]},${e.op.from[1]}`, `${e.op.to[0]},${e.op.to[1]}`] : [])));
  const grids = replayLog(await importedGrids(office.admin, id), log);
  const unmoved = (k: string) => !moved.has(k);
  const inCommunity = (c: string) => (g: GridFeature) => g.properties.community_code === c;
  const parts = again
    ? again.planners.map((p) => ({ community: p.community, ops: movesWithin(grids, inCommunity(p.community), o.editsEach, 0, unmoved) }))
    : communityMoves(grids, o.planners, o.editsEach, unmoved);
  // (a second load takes what corners are left: at least one a planner)
  if (parts.length < o.planners || parts.some((p) => p.ops.length < (again ? 1 : o.editsEach))) throw new Error(`fewer than ${o.planners} communities have ${o.editsEach} inner corners of their own`);
  const accounts: LoadAccounts = again ?? { planners: [], readers: [] };
  if (!again) {
    for (const [k, p] of parts.entries()) accounts.planners.push({ community: p.community, client: await addUser(office.admin, `planner${k + 1}`, 'planner', [p.community]) });
    for (let k = 0; k < (o.readerAccounts ?? 4); k++) accounts.readers.push(await addUser(office.admin, `reader${k + 1}`, ROLES[k % ROLES.length]));
  }
  const planners = parts.map((p, k) => ({ client: accounts.planners[k].client, ops: p.ops }));
  const readers = Array.from({ length: o.readers }, (_, k) => {
    const c = new Client(office.server.url);
    c.cookie = accounts.readers[k % accounts.readers.length].cookie;
    return c;
  });

  const r: LoadResult = { errors: [], refusals: [], acked: [], seen: [], events: [], fileMs: [], editsMs: [], fileBytes: 0, wallMs: 0, accounts };
  // Every reader and every planner listens from the start.
  const listeners = [...readers, ...planners.map((p) => p.client)];
  const latest: number[] = listeners.map(() => 0);
  const streams = listeners.map((c, k) => {
    const seen = new Map<number, number>();
    const events: EditEvent[] = [];
    r.seen.push(seen);
    r.events.push(events);
    return c.events(`/api/districts/${id}/events?after=0`, (name, data) => {
      if (name !== 'edit') return;
      const e = JSON.parse(data) as EditEvent;
      seen.set(e.seq, performance.now());
      events.push(e);
      latest[k] = Math.max(latest[k], e.seq);
    });
  });
  await Promise.all(streams.map((s) => s.opened));

  const t0 = performance.now();
  const read = async (c: Client) => {
    for (let round = 0; round < o.readRounds; round++) {
      let t = performance.now();
      try {
        if (o.fileReads !== false) {
          const f = await c.request('GET', `/api/districts/${id}/file`);
          const bytes = (await f.arrayBuffer()).byteLength;
          if (f.status !== 200 || !bytes || !f.headers.get('x-gridscope-seq')) r.errors.push(`GET file: HTTP ${f.status}, ${bytes} bytes`);
          else r.fileMs.push(performance.now() - t);
          r.fileBytes = bytes;
          t = performance.now();
        }
        const e = await c.request('GET', `/api/districts/${id}/edits?after=0`);
        const list = (await e.json()) as EditEvent[];
        if (e.status !== 200 || !Array.isArray(list) || list.some((x, i) => x.seq !== i + 1)) r.errors.push(`GET edits: HTTP ${e.status}`);
        else r.editsMs.push(performance.now() - t);
      } catch (err) {
        r.errors.push(`read: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  const edit = async (p: (typeof planners)[number], k: number) => {
    for (const op of p.ops) {
      // based on the latest edit this planner has seen, as the page sends it
      const out = await sendEdit(p.client, id, op, latest[o.readers + k]);
      if (out.kind === 'ack') r.acked.push(out);
      else if (out.kind === 'refused' && out.status === 422 && out.refusal.code !== 'edit_conflict' && out.refusal.code !== 'out_of_scope') r.refusals.push(out.refusal.code);
      else r.errors.push(`POST edit: ${JSON.stringify(out)}`);
    }
  };
  await Promise.all([...readers.map(read), ...planners.map(edit)]);
  // every listener gets every edit (within 30 s of the last answer)
  const end = Date.now() + 30_000;
  while (r.seen.some((s) => r.acked.some((a) => !s.has(a.edit.seq))) && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  r.wallMs = performance.now() - t0;
  streams.forEach((s) => s.close());
  return r;
}

/** The k-th percentile (0–100) of the values, nearest rank. */
export function percentile(xs: number[], k: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((k / 100) * s.length) - 1))];
}
