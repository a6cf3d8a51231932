// Editing (issue 12): from a vertex drag's end to updated counts and findings, and undo of one
// edit, on the demo and on the benchmark city with 400,000 cases — the worker's part
// (plan the edit, update the checks, save it to IndexedDB, the report and cases after it);
// and reopening a workspace whose draft holds 1,000 edits. The page's own part (React, the
// map's layers) is printed by the browser test (tests/browser/edit.test.ts).
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import type { Feature } from 'geojson';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { caseColumns } from '../../src/workspace/caseTable';
import { DistrictSession } from '../../src/workspace/session';
import type { RawLayers } from '../../src/workspace/assemble';
import { GridScopeDB } from '../../src/store/db';
import { Drafts } from '../../src/store/drafts';
import { Workspaces } from '../../src/store/workspaces';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';
import type { GridFeature } from '../../src/domain/types';
import type { EditOp, XY } from '../../src/plan/types';
import { CITY, makeCity } from './city';
import { makeCases } from './cases';
import { fmt, median } from './stats';

async function demoRaw(): Promise<RawLayers> {
  const L: Record<string, Feature[]> = {};
  for (const n of ['boundaries', 'grids', 'roads', 'water', 'buildings', 'households', 'cases']) L[n] = await readFlatGeobuf(new Uint8Array(readFileSync(`data/demo/${n}.fgb`)));
  return { ...(L as unknown as RawLayers), meta: JSON.parse(readFileSync('data/demo/meta.json', 'utf8')), cases: caseColumns(L.cases as never) };
}

function cityRaw(): RawLayers {
  const c = makeCity(CITY);
  const h = c.households;
  const households = h.ids.map((id, i) => ({ type: 'Feature' as const, properties: { id, building_id: h.buildingIds[i], unit: 1, room: '', residents: h.residents[i] }, geometry: { type: 'Point' as const, coordinates: [h.positions[2 * i], h.positions[2 * i + 1]] } }));
  return {
    meta: { district_code: '370705', district_name: 'city', as_of: '2026-11-01T09:00:00+08:00', seed: 0, counts: {} },
    boundaries: c.boundaries, grids: c.grids, roads: [], water: [], buildings: c.buildings, households: households as never, cases: caseColumns(makeCases(c.grids)),
  };
}

/** Inner corners (held by three or more grids of one community) and a move 10 % toward a grid's middle. */
function cornerMoves(grids: GridFeature[], n: number): EditOp[] {
  const holders = new Map<string, string[]>();
  for (const g of grids) for (const p of (g.geometry.type === 'Polygon' ? g.geometry.coordinates[0].slice(0, -1) : [])) {
    const k = `${p[0]},${p[1]}`;
    holders.set(k, [...(holders.get(k) ?? []), g.properties.community_code]);
  }
  const ops: EditOp[] = [];
  for (let i = 0; ops.length < n && i < grids.length; i += Math.max(1, Math.floor(grids.length / n))) {
    const g = grids[i];
    if (g.geometry.type !== 'Polygon') continue;
    const ring = g.geometry.coordinates[0];
    const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length, cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const v = ring.find((p) => { const h = holders.get(`${p[0]},${p[1]}`) ?? []; return h.length >= 3 && h.every((c) => c === h[0]); });
    if (v) ops.push({ type: 'move_vertex', from: [v[0], v[1]] as XY, to: [v[0] + (cx - v[0]) * 0.1, v[1] + (cy - v[1]) * 0.1] as XY });
  }
  return ops;
}

async function workspaceFor(raw: RawLayers) {
  const db = new GridScopeDB(`bench-${Math.random()}`);
  const row = await new Workspaces(db).createFromDistrict('bench', raw.meta, { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households }, raw.cases);
  return { db, id: row.id };
}

async function benchOne(label: string, raw: RawLayers, target: number) {
  const { db, id } = await workspaceFor(raw);
  const t0 = performance.now();
  const { session } = DistrictSession.open(raw, { workspaceId: id, drafts: new Drafts(db) });
  console.log(`  ${label}: opened and checked in ${fmt(performance.now() - t0)} ms`);
  const ops = cornerMoves(session.grids(), 20);
  const edit: number[] = [], undo: number[] = [];
  const parts: Record<string, number[]> = {};
  for (const op of ops) {
    let t = performance.now();
    const a = await session.applyEdit(op);
    edit.push(performance.now() - t);
    if (a.ok) for (const [k, v] of Object.entries(a.view.timings)) (parts[k] ??= []).push(v);
    t = performance.now();
    await session.undo();
    undo.push(performance.now() - t);
  }
  console.log(`    shared-vertex move → counts and findings: median ${fmt(median(edit), 1)} ms over ${edit.length} edits (target < ${target} ms); undo: median ${fmt(median(undo), 1)} ms`);
  console.log(`      parts (median ms): ${Object.entries(parts).map(([k, v]) => `${k} ${fmt(median(v), 1)}`).join(', ')}`);
}

export async function benchEditing() {
  console.log('editing (the worker\'s part: plan, checks, save to IndexedDB (fake-indexeddb), report and cases after it)');
  const demo = await demoRaw();
  await benchOne(`demo (${fmt(demo.grids.length)} grids, ${fmt(demo.households.length)} households, ${fmt(demo.cases.count)} cases)`, demo, 100);

  // Reopening a workspace with 1,000 edits in its draft.
  const { db, id } = await workspaceFor(demo);
  const { session } = DistrictSession.open(demo, { workspaceId: id, drafts: new Drafts(db) });
  const ops = cornerMoves(session.grids(), 250);
  let made = 0;
  for (let k = 0; made < 1000 && k < 4000; k++) {
    const op = ops[k % ops.length] as Extract<EditOp, { type: 'move_vertex' }>;
    // alternate there and back, so the corner stays where it can move
    const back = Math.floor(k / ops.length) % 2 === 1;
    const a = await session.applyEdit(back ? { ...op, from: op.to, to: op.from } : op);
    if (a.ok) made++;
  }
  const reopen: number[] = [], plain: number[] = [];
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    const { workspace, layers, cases } = await new Workspaces(db).load(id);
    const history = await new Drafts(db).history(id);
    DistrictSession.open(rawLayersOf(workspace, layers, cases), { workspaceId: id, history, drafts: new Drafts(db) });
    reopen.push(performance.now() - t);
    t = performance.now();
    const again = await new Workspaces(db).load(id);
    DistrictSession.open(rawLayersOf(again.workspace, again.layers, again.cases), {});
    plain.push(performance.now() - t);
  }
  console.log(`  reopening the demo workspace with ${made} edits in its draft: median ${fmt(median(reopen))} ms (without a draft: ${fmt(median(plain))} ms)`);

  const city = cityRaw();
  await benchOne(`city (${fmt(city.grids.length)} grids, ${fmt(city.buildings.length)} buildings, ${fmt(city.households.length)} households, ${fmt(city.cases.count)} cases)`, city, 200);
}
