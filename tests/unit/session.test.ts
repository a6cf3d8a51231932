// The district session (one owner of the district being edited) with its draft in
// IndexedDB (fake-indexeddb here; the browser tests use the real one): edits update the
// totals and the report at once, are saved as they are made, and a reopen finds the draft
// as it was left, undos included.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GridScopeDB } from '../../src/store/db';
import { StorageFullError, Workspaces } from '../../src/store/workspaces';
import { Drafts } from '../../src/store/drafts';
import { DistrictSession } from '../../src/workspace/session';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';
import { caseColumns, casesAt } from '../../src/workspace/caseTable';
import type { RawLayers } from '../../src/workspace/assemble';
import type { EditOp } from '../../src/plan/types';

const street = JSON.parse(readFileSync('tests/fixtures/plan/street.geojson', 'utf8')).features as any[];
const of = (role: string) => street.filter((f) => f.properties.role === role).map((f) => { const { role: _, ...properties } = f.properties; return { ...f, properties }; });
// Cases scattered over the block (some outside it), open and closed.
const cases = Array.from({ length: 300 }, (_, i) => {
  const x = 121.4695 + ((i * 7919) % 1000) / 1000 * 0.0085, y = 31.2295 + ((i * 104729) % 1000) / 1000 * 0.0085;
  return {
    type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] },
    properties: { service_request_id: `C${i}`, status: i % 3 ? 'closed' : 'open', service_name: '环境卫生', service_code: 'env', description: '', address: '', requested_datetime: '2026-11-01T00:00:00Z', updated_datetime: '2026-11-01T00:00:00Z', expected_datetime: i % 2 ? '2026-11-10T00:00:00Z' : '2026-12-30T00:00:00Z', closed_datetime: i % 3 ? '2026-11-02T00:00:00Z' : '', lat: y, long: x },
  };
});
const raw: RawLayers = {
  meta: { district_code: '310101', district_name: '示例区', as_of: '2026-11-30T00:00:00Z', seed: 0, counts: {} },
  boundaries: of('region'), grids: of('grid'), roads: [], water: [], buildings: of('building'), households: of('household'), cases: caseColumns(cases as any),
};
const split: EditOp = { type: 'split', code: '310101001001003', line: [[121.472, 31.2296], [121.472, 31.2348]] };

async function reopen(dbName: string, id: string) {
  const db = new GridScopeDB(dbName); // as after a reload
  const { workspace, layers, cases } = await new Workspaces(db).load(id);
  const drafts = new Drafts(db);
  return DistrictSession.open(rawLayersOf(workspace, layers, cases), { workspaceId: id, history: await drafts.history(id), drafts });
}

describe('district session', () => {
  it('says a full storage in the reader\'s language, and the edit is not made', async () => {
    const db = new GridScopeDB(`session-${Math.random()}`);
    const row = await new Workspaces(db).createFromDistrict('满', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households }, raw.cases);
    // The browser's own quota error, as Drafts turns it into one when IndexedDB refuses the write.
    class FullDrafts extends Drafts { override record(): Promise<number> { return Promise.reject(new StorageFullError('saving the draft', new DOMException('full', 'QuotaExceededError'))); } }
    const { session, district } = DistrictSession.open(raw, { workspaceId: row.id, drafts: new FullDrafts(db) });
    expect(await session.applyEdit(split)).toEqual({ ok: false, code: 'storage_full', values: {} });
    const again = await session.applyEdit({ type: 'delete', code: district.grids[0].properties.code } as EditOp);
    expect(again.ok).toBe(false); // still nothing saved, nothing changed
  });

  it('does not edit a district that is not a workspace', async () => {
    const { session } = DistrictSession.open(raw, {});
    expect(await session.applyEdit(split)).toEqual({ ok: false, code: 'not_editable', values: {} });
  });

  it('edits, saves each edit at once, and reopens the draft as left', async () => {
    const dbName = `session-${Math.random()}`;
    const db = new GridScopeDB(dbName);
    const row = await new Workspaces(db).createFromDistrict('示例区 草稿', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households }, raw.cases);
    const { session, district } = DistrictSession.open(raw, { workspaceId: row.id, drafts: new Drafts(db) });
    expect(district.grids.map((g) => g.properties.code)).toHaveLength(4);

    const a = await session.applyEdit(split);
    if (!a.ok) throw new Error(a.code);
    expect(a.view.grids.map((g) => g.properties.code)).toEqual(['310101001001001', '310101001001002', '310101001001003', '310101001001004', '310101001001005']);
    const households = Object.fromEntries(a.view.report.grids.map((g) => [g.code, g.households]));
    expect(households['310101001001003'] + households['310101001001005']).toBe(18);
    expect(Array.from(a.view.gridStats.households)).toEqual(a.view.report.grids.map((g) => g.households));
    expect(a.view.changed).toContain('310101001001005');
    expect(a.view.draft).toMatchObject({ done: 1, total: 1, canUndo: true, canRedo: false, undoType: 'split' });
    // The cases carried over to the grids as they are now equal a fresh location of every case.
    const fresh = casesAt(raw.cases, a.view.grids, Date.parse(raw.meta.as_of));
    expect(Array.from(a.view.caseGrid)).toEqual(Array.from(fresh.cases.grid));
    expect(Array.from(a.view.gridStats.openCases)).toEqual(Array.from(fresh.openCases));
    expect(Array.from(a.view.gridStats.overdueCases)).toEqual(Array.from(fresh.overdueCases));
    expect(fresh.openCases.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);

    // Compared with the grids as imported: 003 reshaped, 005 added (the line meets 001's edge
    // at a corner it already has, so 001 is unchanged); the western building's 4 households
    // moved from 003 to 005.
    const c = session.compareWith(session.importedGrids());
    expect(Object.fromEntries(c.grids.map((g) => [g.code, g.change]))).toEqual({ '310101001001003': 'reshaped', '310101001001005': 'added' });
    expect(c.moves).toEqual([{ from: '310101001001003', to: '310101001001005', households: 4, buildings: 1 }]);
    expect([c.scores.before.grids, c.scores.after.grids]).toEqual([4, 5]);
    expect(c.scores.after.movedHouseholds).toBe(4);
    expect(c.features.map((f) => `${f.properties!.code} ${f.properties!.version}`)).toEqual(['310101001001003 before', '310101001001003 after', '310101001001005 after']);

    // A line meeting the edge between 004 and its neighbours away from their corners: 004 is
    // split and the neighbour on that edge gets the crossing point, its land unchanged.
    const cut = await session.applyEdit({ type: 'split', code: '310101001001004', line: [[121.4775, 31.2296], [121.4775, 31.2345]] });
    if (!cut.ok) throw new Error(cut.code);
    const c2 = session.compareWith(session.importedGrids());
    expect(c2.grids.find((g) => g.code === '310101001001002')?.change).toBe('vertices');
    await session.undo();

    const refused = await session.applyEdit({ type: 'merge', codes: ['310101001001001', '310101001001004'] });
    expect(refused).toMatchObject({ ok: false, code: 'merge_not_touching' });

    const merged = await session.applyEdit({ type: 'merge', codes: ['310101001001001', '310101001001002'] });
    if (!merged.ok) throw new Error(merged.code);
    // positions shift (002 is gone): the cases follow their grids
    expect(Array.from(merged.view.caseGrid)).toEqual(Array.from(casesAt(raw.cases, merged.view.grids, Date.parse(raw.meta.as_of)).cases.grid));
    const undone = await session.undo();
    if (!undone.ok) throw new Error(undone.code);
    expect(Array.from(undone.view.caseGrid)).toEqual(Array.from(casesAt(raw.cases, undone.view.grids, Date.parse(raw.meta.as_of)).cases.grid));
    expect(undone.view.draft).toMatchObject({ done: 1, total: 2, canRedo: true, redoType: 'merge' });

    // A reload: the split is there, the merge undone (and still to redo).
    const again = await reopen(dbName, row.id);
    expect(again.district.grids.map((g) => g.properties.code)).toEqual(a.view.grids.map((g) => g.properties.code));
    expect(again.district.report.grids).toEqual(undone.view.report.grids);
    expect(again.session.draft()).toMatchObject({ done: 1, total: 2, canRedo: true });
    const redone = await again.session.redo();
    expect(redone.ok && redone.view.grids).toHaveLength(4);

    // Edits asked for at once are made one after the other, none lost.
    const burst = await Promise.all([
      again.session.applyEdit({ type: 'lock', codes: ['310101001001001'], locked: true }),
      again.session.undo(),
      again.session.redo(),
    ]);
    expect(burst.map((a) => a.ok)).toEqual([true, true, true]);
    expect(again.session.draft()).toMatchObject({ done: 3, total: 3, undoType: 'lock' });
    await again.session.undo(); // the lock back: split and merge as before

    // A new edit after an undo drops the undone one, in storage too.
    await again.session.undo();
    await again.session.applyEdit({ type: 'delete', code: '310101001001002' });
    const third = await reopen(dbName, row.id);
    expect(third.session.draft()).toMatchObject({ done: 2, total: 2, undoType: 'delete' });
    expect(third.district.report.findings.some((f) => f.kind === 'gap')).toBe(true);
  });

  it('two sessions on one workspace (two tabs): a stale one is refused, follows the other, and no saved edit is lost', async () => {
    const dbName = `session-tabs-${Math.random()}`;
    const db = new GridScopeDB(dbName);
    const row = await new Workspaces(db).createFromDistrict('示例区 草稿', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households }, raw.cases);
    const a = await reopen(dbName, row.id);
    const b = await reopen(dbName, row.id);
    const codes = (s: DistrictSession) => s.grids().map((g) => g.properties.code);

    const first = await a.session.applyEdit({ type: 'delete', code: '310101001001001' });
    expect(first.ok).toBe(true);
    // B has not heard of it: its edit (numbered 1 too) is refused, its grids as they were.
    const stale = await b.session.applyEdit({ type: 'delete', code: '310101001001002' });
    expect(stale).toEqual({ ok: false, code: 'draft_conflict', values: {} });
    expect(codes(b.session)).toContain('310101001001002');
    expect(await b.session.undo()).toMatchObject({ ok: false }); // nothing of its own to undo, and stale
    // B follows: A's draft, grids, report and counts.
    const followed = await b.session.follow();
    if (!followed) throw new Error('nothing followed');
    expect(followed.grids.map((g) => g.properties.code)).toEqual(codes(a.session));
    expect(followed.report.grids).toEqual(first.ok && first.view.report.grids);
    expect(Array.from(followed.gridStats.households)).toEqual(first.ok && Array.from(first.view.gridStats.households));
    expect(followed.draft).toMatchObject({ done: 1, total: 1 });
    expect(await b.session.follow()).toBeNull(); // nothing new
    // Now B's edit goes after A's; A, stale in turn, cannot undo it away.
    expect((await b.session.applyEdit({ type: 'delete', code: '310101001001002' })).ok).toBe(true);
    expect(await a.session.undo()).toEqual({ ok: false, code: 'draft_conflict', values: {} });
    expect(codes(a.session)).not.toContain('310101001001001');
    const back = await a.session.follow();
    expect(back?.grids.map((g) => g.properties.code)).toEqual(codes(b.session));

    // A session told another tab holds the draft edits nothing (and says why).
    b.session.setReadOnly(true);
    expect(await b.session.applyEdit({ type: 'delete', code: '310101001001003' })).toEqual({ ok: false, code: 'other_tab', values: {} });
    expect(await b.session.undo()).toEqual({ ok: false, code: 'other_tab', values: {} });
    expect(b.session.draft()).toMatchObject({ readOnly: true, done: 2 });

    const after = await reopen(dbName, row.id);
    expect(after.session.draft()).toMatchObject({ done: 2, total: 2 });
    expect(codes(after.session)).not.toContain('310101001001001');
    expect(codes(after.session)).not.toContain('310101001001002');
    expect(codes(after.session)).toEqual(codes(a.session));
  });
});

describe('a vertex moved again', () => {
  it('moves back after another edit, and is not found where it no longer is (the vertex owners follow each edit)', async () => {
    const db = new GridScopeDB(`session-${Math.random()}`);
    const row = await new Workspaces(db).createFromDistrict('来回', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households }, raw.cases);
    const { session } = DistrictSession.open(raw, { workspaceId: row.id, drafts: new Drafts(db) });
    // a corner two grids share
    const count = new Map<string, { p: number[]; n: number }>();
    for (const g of session.grids()) for (const p of (g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0]).slice(1)) {
      const k = String(p); count.set(k, { p, n: (count.get(k)?.n ?? 0) + 1 });
    }
    const corner = [...count.values()].find((c) => c.n === 2)!.p as [number, number];
    const to: [number, number] = [corner[0] + 2e-6, corner[1] + 1e-6];
    expect((await session.applyEdit({ type: 'move_vertex', from: corner, to })).ok).toBe(true);
    const other = session.grids().find((g) => !JSON.stringify(g.geometry).includes(String(to[0])))!;
    expect((await session.applyEdit({ type: 'lock', codes: [other.properties.code], locked: true })).ok).toBe(true);
    expect(await session.applyEdit({ type: 'move_vertex', from: corner, to })).toMatchObject({ ok: false, code: 'no_vertex' });
    const back = await session.applyEdit({ type: 'move_vertex', from: to, to: corner });
    expect(back.ok, JSON.stringify(back)).toBe(true);
  });
});
