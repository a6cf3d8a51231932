// From draft to published plan on a real server (embedded store and PostgreSQL, over HTTP):
// a planner submits the draft's changes in their scope; a reviewer comments, returns; the
// planner brings it up to date; the reviewer approves and a new published version is made,
// told to listeners at once, never changed after; a stale plan and one with new gaps are held
// back with the reason; roles and authorship are enforced; every step is on record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type Place, type StoreKind, Client } from '../support/server';
import { addUser, fileState, importedGrids, openOffice, sendEdit, streets, streetMoves, type Office } from '../support/office';
import { readArchive } from '../../src/store/archive';
import { rawLayersOfArchive } from '../../src/workspace/fromWorkspace';
import { applyPlan, nextLifecycle, planChanges } from '../../src/server/plans';
import { embeddedStore, postgresStore, type Store } from '../../src/server/store';
import type { GridFeature } from '../../src/domain/types';
import type { EditOp } from '../../src/plan/types';
import type { DraftStore } from '../../src/store/drafts';
import { DistrictSession } from '../../src/workspace/session';
import { CoverageChecker, usableGrids } from '../../src/checks/engine';
import { checkInputOf } from '../../src/workspace/assemble';
import { demoArchive } from '../../src/server/demo';
import type { PlanDetail, PlanInfo, PublishedInfo, Refusal } from '../../src/server/api';
import type { VersionInfo } from '../../src/server/districts';

const sq = (code: string, x: number, name = code): GridFeature => ({
  type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] },
  properties: { code, name, kind: 'base', community_code: code.slice(0, 12), dedicated_type: '', band_min: null, band_max: null },
} as unknown as GridFeature);

describe('a plan’s changes (pure)', () => {
  it('takes the grids changed in the scope, finds renumbering by the same land, applies and dates them', () => {
    const published = [sq('370705001001001', 0), sq('370705001001002', 1), sq('370705002001001', 2)];
    // 001 renumbered to 009 (same land), 002 reshaped, the other street's grid removed (out of scope)
    const reshaped = { ...published[1], geometry: { type: 'Polygon', coordinates: [[[1, 0], [2.5, 0], [2.5, 1], [1, 1], [1, 0]]] } } as GridFeature;
    const draft = [{ ...published[0], properties: { ...published[0].properties, code: '370705001001009' } }, reshaped];
    const p = planChanges(published, draft, ['370705001']);
    expect(p.codes).toEqual(['370705001001001', '370705001001002', '370705001001009']);
    expect(p.renumber).toEqual([['370705001001001', '370705001001009']]);
    expect(planChanges(published, draft, []).codes).toContain('370705002001001');
    const after = applyPlan(published, p);
    expect(after.map((g) => g.properties.code)).toEqual(['370705001001002', '370705001001009', '370705002001001']);
    expect(after[0]).toBe(reshaped);
    const life = nextLifecycle(published.map((g) => ({ code: g.properties.code, name: g.properties.name, start: '2026-01-01', end: null })), published, p, '2027-01-01');
    expect(life.find((l) => l.code === '370705001001001')!.end).toBe('2027-01-01');
    expect(life.find((l) => l.code === '370705001001009')).toMatchObject({ start: '2027-01-01', end: null });
    expect(life.find((l) => l.code === '370705001001002')!.end).toBeNull();
  });
});

/**
 * Vertex moves in a street that make no new gap, one after another: tried on a district session
 * of the demo (the demo has T-junctions, where moving a corner opens the land beside it).
 */
const tried = new Map<string, Promise<EditOp[]>>();
function cleanMoves(street: string, n: number): Promise<EditOp[]> {
  const k = `${street} ${n}`;
  if (!tried.has(k)) tried.set(k, findCleanMoves(street, n));
  return tried.get(k)!;
}

async function findCleanMoves(street: string, n: number): Promise<EditOp[]> {
  const raw = rawLayersOfArchive(readArchive((await demoArchive('data/demo')).bytes, 'demo.gridscope'));
  const drafts = { history: () => { throw new Error('none'); }, record: async (_w: string, _e: unknown, rev: number) => rev + 1, setDone: async () => 0 } as unknown as DraftStore;
  const { session, district } = DistrictSession.open(raw, { workspaceId: 'try', me: 'try', drafts });
  // the session's grids, checked on the side (as the server checks a plan)
  const checker = new CoverageChecker(checkInputOf({ ...raw, grids: usableGrids(raw.grids) }));
  const land = (r: { findings: { kind: string }[] }) => r.findings.filter((f) => f.kind === 'gap' || f.kind === 'overlap').length;
  const had = land(district.report);
  const out: EditOp[] = [];
  for (const m of streetMoves(usableGrids(raw.grids), street, 40)) {
    const a = await session.commit(m, { by: 'try' });
    if (!a.ok) continue;
    const codes = new Set(a.edit.change.before.map((g) => g.properties.code));
    checker.replaceGrids(checker.currentGrids().filter((g) => codes.has(g.properties.code)), a.edit.change.after);
    if (land(checker.report()) <= had) out.push(m);
    else {
      await session.commit({ type: 'undo' }, { by: 'try' });
      checker.replaceGrids(checker.currentGrids().filter((g) => a.edit.change.after.some((x) => x.properties.code === g.properties.code)), a.edit.change.before);
    }
    if (out.length === n) break;
  }
  if (out.length < n) throw new Error(`only ${out.length} clean moves in ${street}`);
  return out;
}

async function viewGrids(c: Client, id: string, view: string): Promise<GridFeature[]> {
  const r = await c.request('GET', `/api/districts/${id}/file?view=${encodeURIComponent(view)}`);
  expect(r.status, view).toBe(200);
  const a = readArchive(new Uint8Array(await r.arrayBuffer()), 'view.gridscope');
  expect(a.edits.length, view).toBe(view === 'draft' ? a.edits.length : 0);
  return rawLayersOfArchive(a).grids;
}

const shapes = (grids: GridFeature[]) => new Map(grids.map((g) => [g.properties.code, JSON.stringify(g.geometry)]));

for (const kind of ['embedded', 'postgresql'] as StoreKind[]) {
  describe(`plans and publication on the ${kind} store`, () => {
    let place: Place, office: Office, id: string;
    let planner: Client, planner2: Client, reviewer: Client, operator: Client;
    let grids: GridFeature[], street: string, street2: string;
    let seq = 0;
    let move1: EditOp, move2: EditOp;
    const events: { name: string; data: string }[] = [];
    let stream: { close(): void } | null = null;

    beforeAll(async () => {
      place = await freshStore(kind);
      office = await openOffice(place);
      id = office.district.id;
      grids = await importedGrids(office.admin, id);
      [street, street2] = streets(grids).filter((s) => s.grids >= 6).map((s) => s.code);
      planner = await addUser(office.admin, 'p1', 'planner', [street]);
      planner2 = await addUser(office.admin, 'p2', 'planner', [street2]);
      reviewer = await addUser(office.admin, 'r1', 'reviewer');
      operator = await addUser(office.admin, 'o1', 'operator');
      const s = operator.events(`/api/districts/${id}/events?only=published,plan`, (name, data) => events.push({ name, data }));
      stream = s;
      await s.opened;
    }, 240_000);
    afterAll(async () => { stream?.close(); await office?.server.stop(); await place?.drop(); });

    const edit = async (c: Client, op: Parameters<typeof sendEdit>[2]) => {
      const r = await sendEdit(c, id, op, seq);
      expect(r.kind, JSON.stringify(r)).toBe('ack');
      seq++;
    };
    const post = <T>(c: Client, path: string, body: unknown = {}) => c.json<T & Refusal>('POST', `/api/districts/${id}${path}`, body);

    it('starts with version 1, the grids as imported; nothing to submit without changes', async () => {
      const v = await operator.json<PublishedInfo[]>('GET', `/api/districts/${id}/published`);
      expect(v.body.map((p) => [p.number, p.plan])).toEqual([[1, null]]);
      expect(v.body[0].lifecycle.length).toBe(grids.length);
      expect(shapes(await viewGrids(operator, id, 'published'))).toEqual(shapes(grids));
      const none = await post(planner, '/plans', { note: '无', effective: '2027-01-01' });
      expect([none.status, none.body.code]).toEqual([422, 'no_changes']);
    });

    it('a planner submits the draft’s changes in their scope; who may not is refused, bad fields named', async () => {
      [move1, move2] = await cleanMoves(street, 2);
      await edit(planner, move1);
      await edit(planner2, (await cleanMoves(street2, 1))[0]);
      for (const c of [reviewer, operator]) expect((await post(c, '/plans', { note: 'x', effective: '2027-01-01' })).status).toBe(403);
      const bad = await post(planner, '/plans', { note: 'x', effective: '2027-02-30' });
      expect([bad.status, bad.body.values.message]).toEqual([400, 'effective: a date YYYY-MM-DD']);
      const r = await post<PlanInfo>(planner, '/plans', { note: '调整第一街道网格', effective: '2027-01-01' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: 1, author: 'p1', status: 'submitted', revision: 1, base: 1, stale: false, scope: [street] });
      expect(r.body.number).toMatch(/^\d{4}-001$/);
      // only the planner's street: the other planner's change is not in it
      expect(r.body.codes.length).toBeGreaterThan(0);
      expect(r.body.codes.every((c) => c.startsWith(street))).toBe(true);
      // the plan's view: the published grids with the plan applied, read-only (no edits)
      const view = shapes(await viewGrids(reviewer, id, 'plan:1'));
      const draft = shapes((await fileState(reviewer, id)).grids);
      for (const c of r.body.codes) expect(view.get(c)).toBe(draft.get(c));
      const changed2 = [...draft.keys()].filter((c) => c.startsWith(street2) && draft.get(c) !== shapes(grids).get(c));
      expect(changed2.length).toBeGreaterThan(0);
      for (const c of changed2) expect(view.get(c)).toBe(shapes(grids).get(c));
      expect((await reviewer.request('GET', `/api/districts/${id}/file?view=plan:99`)).status).toBe(404);
    });

    it('comments pinned on a grid; returned with a reason, not by its author; the author sees both', async () => {
      const p = (await planner.json<PlanDetail>('GET', `/api/districts/${id}/plans/1`)).body;
      const grid = p.codes[0];
      const c = await post(reviewer, '/plans/1/comments', { text: '这里的边界请沿道路走', grid, lonLat: [119.1, 36.7] });
      expect(c.status).toBe(201);
      expect((await post(operator, '/plans/1/comments', { text: 'x' })).status).toBe(403);
      expect((await post(reviewer, '/plans/1/comments', { text: 'x', lonLat: [500, 1] })).status).toBe(400);
      expect((await post(planner, '/plans/1/return', { reason: '自己退回' })).body.code).toBe('forbidden');
      expect((await post(reviewer, '/plans/1/return', { reason: ' ' })).body.code).toBe('reason_required');
      const back = await post<PlanInfo>(reviewer, '/plans/1/return', { reason: '边界需沿道路' });
      expect([back.status, back.body.status, back.body.reason]).toEqual([200, 'returned', '边界需沿道路']);
      expect((await post(reviewer, '/plans/1/approve')).body.code).toBe('plan_closed');
      const seen = (await planner.json<PlanDetail>('GET', `/api/districts/${id}/plans/1`)).body;
      expect(seen.comments.map((x) => [x.by, x.grid, x.lonLat, x.text])).toEqual([['r1', grid, [119.1, 36.7], '这里的边界请沿道路走']]);
      expect(seen.reason).toBe('边界需沿道路');
    });

    it('the planner fixes and resubmits; the other planner’s plan goes in too; approval publishes version 2, told at once', async () => {
      await edit(planner, move2);
      expect((await post(planner2, '/plans/1/resubmit', {})).body.code).toBe('not_author');
      const again = await post<PlanInfo>(planner, '/plans/1/resubmit', {});
      expect([again.status, again.body.status, again.body.revision]).toEqual([200, 'submitted', 2]);
      const other = await post<PlanInfo>(planner2, '/plans', { note: '第二街道', effective: '2027-01-01' });
      expect(other.body).toMatchObject({ id: 2, base: 1 });
      expect((await post(planner, '/plans/1/approve')).status).toBe(403); // a planner does not approve
      const before = events.length;
      const t0 = Date.now();
      const ok = await post<PublishedInfo>(reviewer, '/plans/1/approve');
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ number: 2, plan: 1, approvedBy: 'r1', effective: '2027-01-01', note: '调整第一街道网格' });
      for (let i = 0; i < 250 && !events.slice(before).some((e) => e.name === 'published'); i++) await new Promise((r) => setTimeout(r, 20));
      const told = events.slice(before).find((e) => e.name === 'published');
      expect(told, 'the published event').toBeDefined();
      expect(Date.now() - t0).toBeLessThan(5000);
      expect((JSON.parse(told!.data) as PublishedInfo).number).toBe(2);
      const plan1 = (await reviewer.json<PlanDetail>('GET', `/api/districts/${id}/plans/1`)).body;
      const published = shapes(await viewGrids(operator, id, 'published'));
      const planView = shapes(await viewGrids(operator, id, 'plan:1'));
      expect(published).toEqual(planView);
      expect(shapes(await viewGrids(operator, id, 'published:1'))).toEqual(shapes(grids));
      expect(plan1).toMatchObject({ status: 'approved', published: 2, decidedBy: 'r1' });
      expect((await post(reviewer, '/plans/1/approve')).body.code).toBe('plan_closed');
      // the versions list offers both published versions to compare with
      const vs = (await operator.json<VersionInfo[]>('GET', `/api/districts/${id}/versions`)).body.map((v) => v.id);
      expect(vs).toEqual(expect.arrayContaining(['published:1', 'published:2']));
      const v1 = await operator.json<GridFeature[]>('GET', `/api/districts/${id}/versions/published:1`);
      expect(shapes(v1.body)).toEqual(shapes(grids));
    });

    it('a stale plan cannot be approved until brought up to date', async () => {
      const list = (await reviewer.json<PlanInfo[]>('GET', `/api/districts/${id}/plans`)).body;
      expect(list.find((p) => p.id === 2)!.stale).toBe(true);
      const r = await post(reviewer, '/plans/2/approve');
      expect([r.status, r.body.code, r.body.values]).toEqual([409, 'plan_stale', { base: 1, published: 2 }]);
      const up = await post<PlanInfo>(planner2, '/plans/2/resubmit', {});
      expect(up.body).toMatchObject({ base: 2, stale: false, revision: 2 });
      expect((await post<PublishedInfo>(reviewer, '/plans/2/approve')).body.number).toBe(3);
    });

    it('a plan that makes a gap is held until the reviewer confirms; grids removed get an end date', async () => {
      const victim = grids.find((g) => g.properties.code.startsWith(street) && g.properties.kind === 'base')!;
      await edit(planner, { type: 'delete', code: victim.properties.code });
      const p = await post<PlanInfo>(planner, '/plans', { note: '撤销网格', effective: '2027-03-01' });
      expect(p.status).toBe(201);
      const d = (await reviewer.json<PlanDetail>('GET', `/api/districts/${id}/plans/${p.body.id}`)).body;
      expect(d.findings.newGaps).toBeGreaterThan(0);
      const held = await post(reviewer, `/plans/${p.body.id}/approve`);
      expect([held.status, held.body.code]).toEqual([409, 'plan_findings']);
      expect(held.body.values.gaps).toBe(d.findings.newGaps);
      const ok = await post<PublishedInfo>(reviewer, `/plans/${p.body.id}/approve`, { confirm: true });
      expect(ok.status).toBe(201);
      expect(ok.body.lifecycle.find((l) => l.code === victim.properties.code)).toMatchObject({ end: '2027-03-01' });
      expect(shapes(await viewGrids(operator, id, 'published')).has(victim.properties.code)).toBe(false);
    });

    it('a published version cannot be changed, even in the database; each step is on record with its actor', async () => {
      const where = place.args[1];
      const db: Store = kind === 'embedded' ? await (async () => { await office.server.stop(); return embeddedStore(where); })() : await postgresStore(where);
      try {
        await expect(db.query("UPDATE gs_published SET note = 'x' WHERE district_id = $1", [id])).rejects.toThrow(/never changes/);
        const rows = await db.query<{ user_name: string; action: string; record: string }>("SELECT user_name, action, record FROM gs_audit WHERE district_id = $1 AND action <> 'export' ORDER BY id", [id]);
        const of = (action: string) => rows.filter((r) => r.action === action).map((r) => `${r.user_name} ${r.record}`);
        expect(of('submit')).toEqual(['p1 plan 1', 'p2 plan 2', 'p1 plan 3']);
        expect(of('resubmit')).toEqual(['p1 plan 1', 'p2 plan 2']);
        expect(of('comment')).toEqual(['r1 plan 1']);
        expect(of('return')).toEqual(['r1 plan 1']);
        expect(of('approve')).toEqual(['r1 plan 1', 'r1 plan 2', 'r1 plan 3']);
        expect(of('publish')).toEqual(['r1 published 2', 'r1 published 3', 'r1 published 4']);
        expect(of('edit').length).toBe(seq);
      } finally {
        await db.close();
      }
    }, 120_000);
  });
}
