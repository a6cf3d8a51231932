// The page's mirror of a shared district's log (src/workers/serverDrafts.ts) against a real
// HTTP server started here (node:http on loopback, answering as the API contract says, its
// edits made by a district session of its own as the office server's are): an edit sent is
// committed and put in the mirror at the number the server gave it; edits others made before
// it are fetched to fill the gap; a refusal comes back with its code and what it names; a
// server out of reach is 'server_unreachable' and nothing changes.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DistrictSession } from '../../src/workspace/session';
import { caseColumns } from '../../src/workspace/caseTable';
import type { RawLayers } from '../../src/workspace/assemble';
import type { Edit, EditOp } from '../../src/plan/types';
import type { DraftStore } from '../../src/store/drafts';
import { conflictOf, EditRefused } from '../../src/plan/shared';
import { ServerDrafts } from '../../src/workers/serverDrafts';
import type { EditEvent, EditRequest } from '../../src/server/api';

const street = JSON.parse(readFileSync('tests/fixtures/plan/street.geojson', 'utf8')).features as any[];
const of = (role: string) => street.filter((f) => f.properties.role === role).map((f) => { const { role: _, ...properties } = f.properties; return { ...f, properties }; });
const raw = (): RawLayers => ({
  meta: { district_code: '310101', district_name: '示例区', as_of: '2026-11-30T00:00:00Z', seed: 0, counts: {} },
  boundaries: of('region'), grids: of('grid'), roads: [], water: [], buildings: of('building'), households: of('household'), cases: caseColumns([]),
});

/** The server's own log, in memory. */
class Log implements DraftStore {
  edits: Edit[] = [];
  async history() { return { edits: this.edits.slice(), done: this.edits.length, rev: this.edits.length }; }
  async record(_: string, e: Edit) { this.edits.push(e); return this.edits.length; }
  setDone(): Promise<number> { throw new Error('no'); }
}

interface TestServer { base: string; server: Server; log: Log; authority: DistrictSession; requests: string[]; fail: number | null }

/** A tiny office server: POST and GET /api/districts/d1/edits, its edits made by a district session as the real one's are. */
async function start(): Promise<TestServer> {
  const log = new Log();
  const { session: authority } = DistrictSession.open(raw(), { workspaceId: 'd1', drafts: log });
  const t: TestServer = { base: '', server: null!, log, authority, requests: [], fail: null };
  const json = (res: ServerResponse, status: number, body: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  t.server = createServer(async (req: IncomingMessage, res) => {
    t.requests.push(`${req.method} ${req.url}`);
    let text = '';
    for await (const c of req) text += c;
    if (t.fail) { json(res, t.fail, { code: 'internal', values: {} }); return; }
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'GET' && url.pathname === '/api/districts/d1/edits') {
      const after = Number(url.searchParams.get('after') ?? 0);
      json(res, 200, log.edits.filter((e) => e.seq > after));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/districts/d1/edits') {
      const { op, base } = JSON.parse(text) as EditRequest;
      const by = String(req.headers['x-user'] ?? 'planner-a');
      const made = await commit(t, op, base, by);
      if (!made.ok) json(res, made.code === 'edit_conflict' ? 409 : 422, { code: made.code, values: made.values });
      else json(res, 200, { edit: made.edit as EditEvent });
      return;
    }
    json(res, 404, { code: 'not_found', values: {} });
  });
  await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r));
  t.base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  return t;
}

/** An edit as the server commits it: refused when made on a view someone else has changed since. */
function commit(t: TestServer, op: EditOp, base: number, by: string) {
  return t.authority.commit(op, {
    by,
    guard: (change, edits) => {
      const c = conflictOf(edits, base, by, change);
      if (c) throw new EditRefused('edit_conflict', { user: c.edit.by ?? '', grid: c.grid });
    },
  });
}

/** A planner's page on district d1 as the file left it (no edits yet). */
function page(t: TestServer, me = 'planner-a') {
  const drafts = new ServerDrafts({ district: 'd1', edits: [], base: t.base });
  const opened = DistrictSession.open(raw(), { me, workspaceId: 'd1', history: { edits: [], done: 0, rev: 0 }, drafts });
  drafts.start(opened.session.grids());
  return { session: opened.session, drafts, codes: () => opened.session.grids().map((g) => g.properties.code) };
}

let running: TestServer | null = null;
afterEach(async () => { await new Promise((r) => running?.server.close(r) ?? r(null)); running = null; });

describe('ServerDrafts: the page\'s mirror of the server\'s log', () => {
  it('puts the edit the server committed in the mirror at its number, with the page\'s own grid objects', async () => {
    const t = running = await start();
    const p = page(t);
    const code = p.codes()[0];
    const a = await p.session.applyEdit({ type: 'lock', codes: [code], locked: true });
    expect(a.ok).toBe(true);
    expect(t.log.edits.map((e) => [e.seq, e.by, e.op.type])).toEqual([[1, 'planner-a', 'lock']]);
    const h = await p.drafts.history('d1');
    expect(h.rev).toBe(1);
    expect(h.edits.map((e) => [e.seq, e.by])).toEqual([[1, 'planner-a']]);
    expect((h.grids.find((g) => g.properties.code === code)?.properties as { locked?: boolean }).locked).toBe(true);
    // The same grid objects the session holds (nothing for it to compare), and the server's grids.
    const held = new Set(p.session.grids());
    expect(h.grids.every((g) => held.has(g))).toBe(true);
    expect(h.grids.map((g) => g.properties.code)).toEqual(t.authority.grids().map((g) => g.properties.code));
    expect(p.session.draft()).toMatchObject({ done: 1, total: 1, canUndo: true, undoType: 'lock' });
    expect(t.requests).toEqual(['POST /api/districts/d1/edits']);
  });

  it('fills a gap: an edit numbered past the next one fetches the edits before it (edits?after=)', async () => {
    const t = running = await start();
    const p = page(t);
    const [x, y] = [p.codes()[0], p.codes()[2]];
    // Another planner's edit, not heard of on this page (its live event never came).
    expect((await commit(t, { type: 'delete', code: y }, 0, 'planner-b')).ok).toBe(true);
    const a = await p.session.applyEdit({ type: 'delete', code: x });
    expect(a.ok).toBe(true);
    expect(t.requests).toEqual(['POST /api/districts/d1/edits', 'GET /api/districts/d1/edits?after=0']);
    const h = await p.drafts.history('d1');
    expect(h.edits.map((e) => [e.seq, e.by])).toEqual([[1, 'planner-b'], [2, 'planner-a']]);
    expect(h.rev).toBe(2);
    // The page's grids are the server's: both grids gone, and the view said so.
    expect(p.codes()).not.toContain(x);
    expect(p.codes()).not.toContain(y);
    expect(p.codes()).toEqual(t.authority.grids().map((g) => g.properties.code));
    if (a.ok) expect(a.view.changed).toEqual(expect.arrayContaining([x, y]));
    // Own undo only: planner-b's edit is not one of ours.
    expect(p.session.draft()).toMatchObject({ done: 2, canUndo: true });
  });

  it('hands a refusal back with its code and what it names; the mirror keeps what it had', async () => {
    const t = running = await start();
    const p = page(t);
    const x = p.codes()[0];
    // planner-b changed grid x (locked it and unlocked it again); this page's view (edit 0) is out of date.
    expect((await commit(t, { type: 'lock', codes: [x], locked: true }, 0, 'planner-b')).ok).toBe(true);
    expect((await commit(t, { type: 'lock', codes: [x], locked: false }, 1, 'planner-b')).ok).toBe(true);
    const a = await p.session.applyEdit({ type: 'delete', code: x });
    expect(a).toEqual({ ok: false, code: 'edit_conflict', values: { user: 'planner-b', grid: x } });
    await expect(p.drafts.record('d1', { seq: 1, op: { type: 'delete', code: x }, change: { before: [], after: [] }, at: 0 }, 0))
      .rejects.toMatchObject({ name: 'EditRefused', code: 'edit_conflict', values: { user: 'planner-b', grid: x } });
    expect(p.drafts.seq).toBe(0);
    expect(p.codes()).toContain(x); // not made here either
    // Brought up to date, it follows the other planner's edit.
    expect((await p.drafts.catchUp()).map((e) => [e.seq, e.by])).toEqual([[1, 'planner-b'], [2, 'planner-b']]);
    expect(await p.session.follow()).not.toBeNull();
    expect(p.session.draft()).toMatchObject({ done: 2, canUndo: false });
    expect(p.session.grids().map((g) => JSON.stringify(g.properties))).toEqual(t.authority.grids().map((g) => JSON.stringify(g.properties)));
  });

  it('says server_unreachable when the server answers 5xx or not at all, and changes nothing', async () => {
    const t = running = await start();
    const p = page(t);
    const x = p.codes()[0];
    t.fail = 503;
    expect(await p.session.applyEdit({ type: 'delete', code: x })).toEqual({ ok: false, code: 'server_unreachable', values: {} });
    t.fail = null;
    await new Promise((r) => t.server.close(r));
    running = null;
    const e = await p.drafts.record('d1', { seq: 1, op: { type: 'delete', code: x }, change: { before: [], after: [] }, at: 0 }, 0).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(EditRefused);
    expect(e).toMatchObject({ code: 'server_unreachable' });
    expect(await p.session.applyEdit({ type: 'delete', code: x })).toEqual({ ok: false, code: 'server_unreachable', values: {} });
    expect(p.codes()).toContain(x);
    expect(p.drafts.seq).toBe(0);
    expect(t.log.edits).toEqual([]);
  });

  it('takes live edits in order: one past a gap waits until the gap is filled', async () => {
    const t = running = await start();
    const p = page(t);
    const [x, y] = [p.codes()[0], p.codes()[1]];
    await commit(t, { type: 'delete', code: x }, 0, 'planner-b');
    await commit(t, { type: 'delete', code: y }, 1, 'planner-b');
    expect(p.drafts.receive([t.log.edits[1]])).toEqual([]);
    expect(p.drafts.gap).toBe(true);
    expect(p.drafts.receive([t.log.edits[0], t.log.edits[1]]).map((e) => e.seq)).toEqual([1, 2]);
    expect(p.drafts.gap).toBe(false);
    expect(p.drafts.receive([t.log.edits[0]])).toEqual([]); // heard twice: once in
    const v = await p.session.follow();
    expect(v?.changed.sort()).toEqual([x, y].sort());
    expect(p.codes()).toEqual(t.authority.grids().map((g) => g.properties.code));
  });
});
