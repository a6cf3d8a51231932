// The office server over real HTTP, on the embedded store and on PostgreSQL: each role × route
// allowed or refused as specified, sessions and their cookie, login limits, no cross-origin
// changes, size limits; planners' scopes (also by crafted requests), conflicts naming who
// changed which grid, one's own undo, every client told of an edit within a second; personal
// data masked for those who may not see it, revealed to an auditor with a logged reason; and
// everything still there after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Position } from 'geojson';
import { Client, freshStore, serveCommand, startServer, type Place, type RunningServer, type StoreKind } from '../support/server';
import { rosterDistrict } from '../support/roster';
import { readArchive } from '../../src/store/archive';
import { streetOf } from '../../src/domain/codes';
import type { GridFeature } from '../../src/domain/types';
import type { DistrictInfo, EditEvent, Role } from '../../src/server/api';

const PASSWORD = 'correct-horse-9';
const ROLES: Role[] = ['admin', 'planner', 'reviewer', 'operator', 'auditor'];

/** Each vertex of the grids (rounded key) → the grids holding it. */
function vertexGrids(grids: GridFeature[]) {
  const at = new Map<string, { p: Position; grids: Set<GridFeature> }>();
  for (const g of grids) {
    const polys = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    for (const poly of polys) for (const ring of poly) for (const p of ring) {
      const k = `${p[0]},${p[1]}`;
      if (!at.has(k)) at.set(k, { p, grids: new Set() });
      at.get(k)!.grids.add(g);
    }
  }
  return [...at.values()];
}

describe.each<StoreKind>(['embedded', 'postgresql'])('the office server on the %s store', (kind) => {
  let place: Place;
  let server: RunningServer;
  let demo: DistrictInfo;
  let grids: GridFeature[];
  const as: Partial<Record<Role | 'planner2' | 'anon', Client>> = {};
  let street1 = '';

  beforeAll(async () => {
    place = await freshStore(kind);
    const made = serveCommand(place, ['--create-admin', 'admin'], PASSWORD);
    expect(made.status, made.out).toBe(0);
    server = await startServer(place);
    as.admin = new Client(server.url);
    expect((await as.admin.login('admin', PASSWORD)).status).toBe(200);
    [demo] = (await as.admin.json<DistrictInfo[]>('GET', '/api/districts')).body;
    grids = (await as.admin.json<GridFeature[]>('GET', `/api/districts/${demo.id}/versions/imported`)).body;
    street1 = streetOf(grids[0].properties.community_code);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const r = await as.admin.json('POST', '/api/users', { name: `u-${role}`, password: PASSWORD, role, scope: role === 'planner' ? [street1] : [] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      as[role] = new Client(server.url);
      expect((await as[role]!.login(`u-${role}`, PASSWORD)).status).toBe(200);
    }
    expect((await as.admin.json('POST', '/api/users', { name: 'planner2', password: PASSWORD, role: 'planner' })).status).toBe(201);
    as.planner2 = new Client(server.url);
    await as.planner2.login('planner2', PASSWORD);
    as.anon = new Client(server.url);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await place?.drop();
  }, 60_000);

  it('answers each role on each route as specified, and 401 without a session', async () => {
    const d = `/api/districts/${demo.id}`;
    // [method, path, body, roles allowed]
    const routes: [string, string, unknown, Role[]][] = [
      ['GET', '/api/me', undefined, ROLES],
      ['GET', '/api/users', undefined, ['admin']],
      ['POST', '/api/users', { name: 'x', password: 'short', role: 'planner' }, ['admin']], // allowed: refused for the password (400)
      ['PATCH', '/api/users/nobody', { role: 'planner' }, ['admin']],
      ['GET', '/api/districts', undefined, ROLES],
      ['POST', '/api/districts', new Uint8Array([1, 2, 3]), ['admin']],
      ['GET', `${d}/file`, undefined, ROLES],
      ['GET', `${d}/edits?after=0`, undefined, ROLES],
      ['GET', `${d}/versions`, undefined, ROLES],
      ['GET', `${d}/versions/imported`, undefined, ROLES],
      ['POST', `${d}/edits`, { base: 0, op: { type: 'delete', code: 'no-such-grid' } }, ['admin', 'planner']],
      ['POST', `${d}/versions`, { name: '' }, ['admin', 'planner']],
      ['POST', `${d}/reveal`, { reason: '', records: ['x'] }, ['admin', 'auditor']],
      ['POST', `${d}/exported`, { kind: 'grids_csv' }, ROLES],
      ['GET', '/api/audit', undefined, ['admin', 'auditor']],
    ];
    const wrong: string[] = [];
    for (const [method, path, body, allowed] of routes) {
      const anon = await as.anon!.request(method, path, body);
      await anon.arrayBuffer();
      if (anon.status !== 401) wrong.push(`anonymous ${method} ${path}: ${anon.status}`);
      for (const role of ROLES) {
        const r = await as[role]!.request(method, path, body);
        await r.arrayBuffer();
        const ok = r.status !== 401 && r.status !== 403;
        if (ok !== allowed.includes(role)) wrong.push(`${role} ${method} ${path}: ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
    // the one administrator cannot lock the office out
    expect((await as.admin!.json('PATCH', '/api/users/admin', { disabled: true })).body).toMatchObject({ code: 'last_admin' });
    expect((await as.admin!.json('PATCH', '/api/users/admin', { role: 'planner' })).status).toBe(409);
    const health = await as.anon!.json<{ ok: boolean; store: string }>('GET', '/api/health');
    expect(health.body).toMatchObject({ ok: true, store: kind });
  }, 120_000);

  it('keeps sessions in HttpOnly, SameSite=Strict cookies, ends them at logout, and limits failed logins', async () => {
    const c = new Client(server.url);
    const r = await c.login('u-reviewer', PASSWORD);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; Secure over https
    expect(cookie).not.toContain(PASSWORD);
    expect((await c.json<{ name: string; role: string }>('GET', '/api/me')).body).toMatchObject({ name: 'u-reviewer', role: 'reviewer' });
    expect((await c.request('POST', '/api/logout')).status).toBe(204);
    expect((await c.request('GET', '/api/me')).status).toBe(401);
    // the old token, replayed, is no session either
    const replay = new Client(server.url);
    replay.cookie = cookie.split(';')[0];
    expect((await replay.request('GET', '/api/me')).status).toBe(401);

    const guess = new Client(server.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await guess.login('u-auditor', `wrong-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect((await guess.login('u-auditor', PASSWORD)).status).toBe(429); // even the right password, for a while
    expect((await new Client(server.url).login('nobody', PASSWORD)).status).toBe(401);
  }, 60_000);

  it('refuses changes from another origin and bodies over the limit', async () => {
    const evil = new Client(server.url, 'http://evil.example');
    evil.cookie = as.admin!.cookie;
    const r = await evil.json('POST', '/api/users', { name: 'intruder', password: PASSWORD, role: 'admin' });
    expect(r.status).toBe(403);
    const site = await as.admin!.request('POST', '/api/users', { name: 'intruder', password: PASSWORD, role: 'admin' }, { 'sec-fetch-site': 'cross-site' });
    expect(site.status).toBe(403);
    expect((await as.admin!.json<{ name: string }[]>('GET', '/api/users')).body.map((u) => u.name)).not.toContain('intruder');
    const big = await as.admin!.request('POST', '/api/users', { name: 'big', password: 'x'.repeat(2 << 20), role: 'planner' });
    expect(big.status).toBe(413);
    const crafted = await as.planner2!.json<{ code: string }>('POST', `/api/districts/${demo.id}/edits`, { base: 0, op: { type: 'move_vertex', from: ['a', 1], to: [0, 0] } });
    expect(crafted).toMatchObject({ status: 400, body: { code: 'bad_request' } });
  });

  it('lets a planner edit only their street: a vertex shared across its edge stays, a crafted request is refused', async () => {
    const planner = as.planner!;
    const vertices = vertexGrids(grids);
    const inside = vertices.find((v) => v.grids.size >= 2 && [...v.grids].every((g) => streetOf(g.properties.community_code) === street1))!;
    const edge = vertices.find((v) => v.grids.size >= 2 && [...v.grids].some((g) => streetOf(g.properties.community_code) === street1) && [...v.grids].some((g) => streetOf(g.properties.community_code) !== street1))!;
    const other = grids.find((g) => streetOf(g.properties.community_code) !== street1 && g.properties.kind === 'base')!;
    const post = (body: unknown) => planner.json<{ code?: string; values?: Record<string, string>; edit?: EditEvent }>('POST', `/api/districts/${demo.id}/edits`, body);
    const nudge = (p: Position): Position => [p[0] + 2e-6, p[1] + 1e-6];

    const shared = await post({ base: 0, op: { type: 'move_vertex', from: edge.p, to: nudge(edge.p) } });
    expect(shared.status).toBe(403);
    expect(shared.body.code).toBe('out_of_scope');
    for (const op of [
      { type: 'delete', code: other.properties.code },
      { type: 'lock', codes: [other.properties.code], locked: true },
      { type: 'proposal', kind: 'repair', before: [other.properties.code], after: [] },
    ]) {
      const r = await post({ base: 0, op });
      expect([r.status, r.body.code], JSON.stringify(op)).toEqual([403, 'out_of_scope']);
    }
    const ok = await post({ base: 0, op: { type: 'move_vertex', from: inside.p, to: nudge(inside.p) } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.edit!.by).toBe('u-planner');
    const log = (await planner.json<EditEvent[]>('GET', `/api/districts/${demo.id}/edits?after=0`)).body;
    expect(log.map((e) => [e.seq, e.by, e.op.type])).toEqual([[ok.body.edit!.seq, 'u-planner', 'move_vertex']]);
  });

  it('refuses an edit made on a stale view of a grid someone else changed, naming them; others go through; every client sees each edit within a second', async () => {
    const d = `/api/districts/${demo.id}`;
    const log = (await as.admin!.json<EditEvent[]>('GET', `${d}/edits?after=0`)).body;
    const seen: { at: number; e: EditEvent }[] = [];
    const stream = as.operator!.events(`${d}/events?after=${log.length}`, (name, data) => { if (name === 'edit') seen.push({ at: Date.now(), e: JSON.parse(data) }); });
    await stream.opened;
    // planner2 (whole district) edits a grid the first planner changed, on the view from before that change
    const changed = log[log.length - 1].change.after[0];
    const sent = Date.now();
    const stale = await as.planner2!.json<{ code: string; values: Record<string, string> }>('POST', `${d}/edits`, { base: 0, op: { type: 'lock', codes: [changed.properties.code], locked: true } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'edit_conflict', values: { user: 'u-planner', grid: changed.properties.code } });
    const far = grids.find((g) => streetOf(g.properties.community_code) !== street1)!;
    const fine = await as.planner2!.json<{ edit: EditEvent }>('POST', `${d}/edits`, { base: 0, op: { type: 'lock', codes: [far.properties.code], locked: true } });
    expect(fine.status).toBe(200);
    for (let i = 0; i < 50 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
    stream.close();
    expect(seen.map((s) => [s.e.seq, s.e.by])).toEqual([[fine.body.edit.seq, 'planner2']]);
    expect(seen[0].at - sent).toBeLessThan(1000);
  });

  it("undoes one's own last edit only while nobody changed its grids since", async () => {
    const d = `/api/districts/${demo.id}`;
    const post = (c: Client, body: unknown) => c.json<{ code?: string; values?: Record<string, string>; edit?: EditEvent }>('POST', `${d}/edits`, body);
    const seq = async () => (await as.admin!.json<EditEvent[]>('GET', `${d}/edits?after=0`)).body.length;
    const g = grids.find((x) => streetOf(x.properties.community_code) === street1 && x.properties.kind === 'base' && x.properties.code !== grids[0].properties.code)!;
    const mine = await post(as.planner!, { base: await seq(), op: { type: 'lock', codes: [g.properties.code], locked: true } });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const theirs = await post(as.planner2!, { base: await seq(), op: { type: 'lock', codes: [g.properties.code], locked: false } });
    expect(theirs.status).toBe(200);
    const blocked = await post(as.planner!, { base: await seq(), op: { type: 'undo' } });
    expect(blocked.status).toBe(422);
    expect(blocked.body).toMatchObject({ code: 'undo_blocked', values: { user: 'planner2', grid: g.properties.code } });
    const undone = await post(as.planner2!, { base: await seq(), op: { type: 'undo' } });
    expect(undone.status).toBe(200);
    expect(undone.body.edit!.op).toEqual({ type: 'undo', of: theirs.body.edit!.seq });
    const now = await post(as.planner!, { base: await seq(), op: { type: 'undo' } });
    expect(now.status, JSON.stringify(now.body)).toBe(200);
    expect(now.body.edit!.op).toEqual({ type: 'undo', of: mine.body.edit!.seq });
    expect((now.body.edit!.change.after[0].properties as { locked?: boolean }).locked ?? false).toBe(false);
  });

  it('masks personal data on the server for every role, and reveals it to an auditor who gives a reason, logged', async () => {
    const up = await as.admin!.json<DistrictInfo>('POST', '/api/districts?name=roster.gridscope', rosterDistrict());
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    for (const role of ['operator', 'planner', 'auditor', 'admin'] as const) {
      const r = await as[role]!.request('GET', `/api/districts/${up.body.id}/file`);
      const bytes = new Uint8Array(await r.arrayBuffer());
      const text = Object.values(unzipSync(bytes)).map((b) => strFromU8(b)).join('\n');
      expect(text, role).not.toContain('欧阳娜娜');
      expect(text, role).not.toContain('13812341000');
      const h = readArchive(bytes, 'x').layers.find((l) => l.role === 'households')!;
      expect(JSON.stringify(h.geo!.props.head_name)).toContain('欧**娜');
      expect(JSON.stringify(h.geo!.props.phone)).toContain('138****1000');
    }
    expect((await as.auditor!.json('POST', `/api/districts/${up.body.id}/reveal`, { reason: '', records: ['H0'] })).status).toBe(400);
    expect((await as.auditor!.json('POST', `/api/districts/${up.body.id}/reveal`, { reason: '核查 3 号网格信访件' })).status).toBe(400); // which records
    const shown = await as.auditor!.json<{ ids: string[]; columns: Record<string, string[]>; unknown: string[] }>('POST', `/api/districts/${up.body.id}/reveal`, { reason: '核查 3 号网格信访件', records: ['H1', 'H0', 'H99'] });
    expect(shown.status).toBe(200);
    // only the records asked for, in that order; an id the district lacks is said
    expect(shown.body.ids).toEqual(['H1', 'H0']);
    expect(shown.body.columns.head_name).toEqual(['欧阳娜丰', '欧阳娜娜']);
    expect(shown.body.columns.phone).toEqual(['13812341001', '13812341000']);
    expect(shown.body.unknown).toEqual(['H99']);
    const audit = (await as.auditor!.json<{ user: string; action: string; detail: string; record: string }[]>('GET', '/api/audit?kind=reveal')).body;
    expect(audit.map((a) => [a.user, a.record, a.detail]).sort()).toEqual([['u-auditor', 'H0', '核查 3 号网格信访件'], ['u-auditor', 'H1', '核查 3 号网格信访件']]);
    const bad = await as.admin!.json<{ code: string; values: Record<string, string> }>('POST', '/api/districts?name=broken.gridscope', new Uint8Array([80, 75, 3, 4, 0]));
    expect(bad.status).toBe(400);
    expect(bad.body.values.message).toContain('broken.gridscope');
  }, 120_000);

  it('holds every edit and account after a restart', async () => {
    const d = `/api/districts/${demo.id}`;
    const before = (await as.admin!.json<EditEvent[]>('GET', `${d}/edits?after=0`)).body;
    const file = await (await as.admin!.request('GET', `${d}/file`)).arrayBuffer();
    await server.stop();
    server = await startServer(place);
    const c = new Client(server.url);
    expect((await c.login('u-planner', PASSWORD)).status).toBe(200);
    const after = (await c.json<EditEvent[]>('GET', `${d}/edits?after=0`)).body;
    expect(after).toEqual(before);
    const again = readArchive(new Uint8Array(await (await c.request('GET', `${d}/file`)).arrayBuffer()), 'x');
    expect(again.edits).toEqual(readArchive(new Uint8Array(file), 'x').edits);
    expect((await c.json<DistrictInfo[]>('GET', '/api/districts')).body.filter((x) => x.name === demo.name).length).toBe(1); // the demo was not added twice
    if (kind !== 'embedded') return; // (PostgreSQL is backed up with pg_dump)

    // The embedded store's backup, restored into a new folder, holds the same; an existing folder is never overwritten.
    await server.stop();
    const dir = mkdtempSync(join(tmpdir(), 'gridscope-backup-'));
    try {
      const backup = serveCommand(place, ['--backup', join(dir, 'office.backup')]);
      expect(backup.status, backup.out).toBe(0);
      const over = serveCommand(place, ['--restore', join(dir, 'office.backup')]);
      expect(over.status).toBe(2);
      expect(over.out).toContain('not empty');
      const restoredPlace: Place = { kind, args: ['--data', join(dir, 'restored')], drop: async () => {} };
      const restored = serveCommand(restoredPlace, ['--restore', join(dir, 'office.backup')]);
      expect(restored.status, restored.out).toBe(0);
      const other = await startServer(restoredPlace);
      try {
        const r = new Client(other.url);
        expect((await r.login('u-planner', PASSWORD)).status).toBe(200);
        expect((await r.json<EditEvent[]>('GET', `${d}/edits?after=0`)).body).toEqual(before);
      } finally {
        await other.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      server = await startServer(place);
    }
  }, 300_000);
});
