// The .gridscope file carries the whole workspace: its layers, the remembered mappings, and
// the draft — every edit, how many are applied (the rest undone), the saved versions. Restored
// (in another browser, or in the same one beside the workspace it came from) it is exactly what
// was exported, and undo and redo go on from where the planner left off.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces } from '../../src/store/workspaces';
import { Drafts } from '../../src/store/drafts';
import { DistrictSession } from '../../src/workspace/session';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';
import { caseColumns } from '../../src/workspace/caseTable';
import type { RawLayers } from '../../src/workspace/assemble';
import type { EditOp } from '../../src/plan/types';

const street = JSON.parse(readFileSync('tests/fixtures/plan/street.geojson', 'utf8')).features as any[];
const of = (role: string) => street.filter((f) => f.properties.role === role).map((f) => { const { role: _, ...properties } = f.properties; return { ...f, properties }; });
const raw: RawLayers = {
  meta: { district_code: '310101', district_name: '示例区', as_of: '2026-11-30T00:00:00Z', seed: 0, counts: {} },
  boundaries: of('region'), grids: of('grid'), roads: [], water: [], buildings: of('building'), households: of('household'), cases: caseColumns([]),
};
const split: EditOp = { type: 'split', code: '310101001001003', line: [[121.472, 31.2296], [121.472, 31.2348]] };

async function open(db: GridScopeDB, id: string) {
  const store = new Workspaces(db);
  const { workspace, layers, cases } = await store.load(id);
  const drafts = new Drafts(db);
  return DistrictSession.open(rawLayersOf(workspace, layers, cases), { workspaceId: id, history: await store.history(id, drafts), drafts }).session;
}

const codes = (s: DistrictSession) => s.grids().map((g) => g.properties.code);
const ok = async (a: Promise<{ ok: boolean; code?: string }>) => { const r = await a; if (!r.ok) throw new Error(r.code); };

/** An edited workspace: 4 edits (split, delete, restore of a saved version, delete), the last undone; two versions; a mapping. */
async function edited() {
  const db = new GridScopeDB(`wsfile-${Math.random()}`);
  const store = new Workspaces(db);
  const row = await store.createFromDistrict('示例区 草稿', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings }, raw.cases);
  await store.saveLayer(row.id, 'households', raw.households, { file: '住户.xlsx', notes: [{ key: 'import.encoding.cpg' }] }, { id: '户号', building_id: '楼栋' });
  const drafts = new Drafts(db);
  let session = await open(db, row.id);
  await ok(session.applyEdit(split));
  const v1 = await drafts.saveVersion(row.id, '拆分后', session.grids().slice());
  await ok(session.applyEdit({ type: 'delete', code: '310101001001001' }));
  await drafts.saveVersion(row.id, '删除后', session.grids().slice());
  session.rememberVersion(v1.id, v1.grids);
  await ok(session.applyEdit({ type: 'restore', version: v1.id }));
  await ok(session.applyEdit({ type: 'delete', code: '310101001001002' }));
  await ok(session.undo());
  session = await open(db, row.id); // as the planner left it
  return { db, store, row, session };
}

/** What a workspace is, as stored: its row, layers, edit rows and versions (ids and times of saving apart). */
async function stored(db: GridScopeDB, id: string) {
  const ws = await db.workspaces.get(id);
  const layers = await db.layers.where('workspaceId').equals(id).toArray();
  const edits = await db.edits.where('workspaceId').equals(id).sortBy('seq');
  const versions = (await db.versions.where('workspaceId').equals(id).toArray()).sort((a, b) => a.createdAt - b.createdAt);
  return {
    mappings: ws!.mappings, editsDone: ws!.editsDone, meta: ws!.meta,
    layers: layers.map(({ role, geo, cases, count, source }) => ({ role, geo, cases, count, source })).sort((a, b) => (a.role < b.role ? -1 : 1)),
    edits: edits.map((r) => ({ seq: r.seq, edit: r.edit })),
    versions: versions.map(({ id: vid, name, createdAt, grids }) => ({ id: vid, name, createdAt, grids })),
  };
}

describe('the workspace file', () => {
  it('restores an edited workspace exactly: history, edits applied, versions, mappings; undo and redo go on', async () => {
    const { db, row, session, store } = await edited();
    expect(session.draft()).toMatchObject({ done: 3, total: 4, canUndo: true, canRedo: true, undoType: 'restore', redoType: 'delete' });
    const file = await store.exportArchive(row.id, { includePersonal: true });

    for (const into of ['another browser', 'the same browser'] as const) {
      const db2 = into === 'the same browser' ? db : new GridScopeDB(`wsfile-${Math.random()}`);
      const back = await new Workspaces(db2).importArchive(file, '示例区.gridscope');
      const a = await stored(db, row.id), b = await stored(db2, back.id);
      // the versions get ids of their own (the original may be beside them), and the restore that names one follows it
      expect(b.versions.map((v) => v.id)).not.toEqual(a.versions.map((v) => v.id));
      const newId = new Map(a.versions.map((v, k) => [v.id, b.versions[k].id]));
      const restoreOp = b.edits[2].edit.op as { type: 'restore'; version: string };
      expect(restoreOp.version, into).toBe(newId.get((a.edits[2].edit.op as { version: string }).version));
      const sameIds = { ...b, versions: b.versions.map((v, k) => ({ ...v, id: a.versions[k].id })), edits: b.edits.map((e, k) => (k === 2 ? a.edits[2] : e)) };
      expect(sameIds, into).toEqual(a);
      expect(b.editsDone).toBe(3);
      expect(b.mappings).toEqual({ households: { id: '户号', building_id: '楼栋' } });

      // Opened, it is the draft as it was left; undo, redo and a new edit go on from there.
      const again = await open(db2, back.id);
      expect(again.draft(), into).toEqual({ ...session.draft(), workspaceId: back.id });
      expect(codes(again)).toEqual(codes(session));
      await ok(again.undo()); // the restore taken back: the grids as after the delete
      expect(codes(again)).toEqual(['310101001001002', '310101001001003', '310101001001004', '310101001001005']);
      await ok(again.redo());
      await ok(again.redo()); // the undone delete made again
      expect(codes(again)).not.toContain('310101001001002');
      expect(codes(again)).toContain('310101001001001');
      const reopened = await open(db2, back.id); // and saved as it goes
      expect(reopened.draft()).toMatchObject({ done: 4, total: 4 });
    }
  });

  it('reads a version 1 file (layers only) as before', async () => {
    const { row, store } = await edited();
    const parts = unzipSync(await store.exportArchive(row.id));
    const head = JSON.parse(strFromU8(parts['workspace.json']));
    const { 'draft.json': _, ...v1 } = parts;
    const { editsDone: __, ...head1 } = head;
    const back = await store.importArchive(zipSync({ ...v1, 'workspace.json': strToU8(JSON.stringify({ ...head1, version: 1 })) }), 'old.gridscope');
    const s = await open(store['db'] as GridScopeDB, back.id);
    expect(s.draft()).toMatchObject({ done: 0, total: 0 });
    expect(codes(s)).toEqual(raw.grids.map((g) => g.properties.code).sort());
  });
});
