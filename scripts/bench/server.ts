// The office server (issue 22), measured on a real server process on loopback (embedded store;
// PostgreSQL too when GRIDSCOPE_BENCH_DB or GRIDSCOPE_TEST_DB names one): an edit's round trip
// (sent → committed and answered → seen by another client's event stream) on the demo and on
// the benchmark city; opening the city from the server (GET file, then readArchive and
// rawLayersOfArchive in Node — a proxy for the page's part, which adds its worker's check);
// and the load test's timings (50 readers and 10 planners). Where the time of an edit goes is
// printed beside it: the district session's plan and checks, and the same edit through the
// server's Districts in-process (plan, checks, the database transaction), without HTTP.
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readArchive } from '../../src/store/archive';
import { rawLayersOfArchive } from '../../src/workspace/fromWorkspace';
import { DistrictSession } from '../../src/workspace/session';
import { Districts } from '../../src/server/districts';
import { embeddedStore, type Store } from '../../src/server/store';
import { migrate } from '../../src/server/schema';
import { demoArchive } from '../../src/server/demo';
import { replay } from '../../src/plan/history';
import { usableGrids } from '../../src/checks/engine';
import type { DraftStore } from '../../src/store/drafts';
import type { EditEvent } from '../../src/server/api';
import type { EditOp } from '../../src/plan/types';
import { freshStore, type Place, type StoreKind } from '../../tests/support/server';
import { addUser, importedGrids, openOffice, sendEdit, streets, streetMoves, type Office } from '../../tests/support/office';
import { percentile, runLoad, type LoadAccounts } from '../../tests/support/load';
import { writeCityWorkspace } from './city-workspace';
import { fmt } from './stats';

const ROOT = resolve(import.meta.dirname, '..', '..');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const stat = (xs: number[]) => `median ${fmt(percentile(xs, 50))} ms, p99 ${fmt(percentile(xs, 99))} ms`;

type Move = Extract<EditOp, { type: 'move_vertex' }>;
/** The k-th of `runs` moves: the corners one after another, there and back again on alternate passes. */
const nthMove = (ops: Move[], k: number): Move => {
  const op = ops[k % ops.length];
  return Math.floor(k / ops.length) % 2 === 1 ? { ...op, from: op.to, to: op.from } : op;
};

/** `runs` edits by one planner, one after another; another client's event stream times when each is seen. */
async function roundTrip(label: string, office: Office, runs: number, names: [string, string]) {
  const id = office.district.id;
  const grids = await importedGrids(office.admin, id);
  const street = streets(grids).sort((a, b) => b.grids - a.grids)[0].code;
  const ops = streetMoves(grids, street, 40);
  const editor = await addUser(office.admin, names[0], 'planner', [street]);
  const watcher = await addUser(office.admin, names[1], 'reviewer');
  const seen = new Map<number, number>();
  const stream = watcher.events(`/api/districts/${id}/events`, (name, data, eid) => { if (name === 'edit') seen.set(Number(eid || (JSON.parse(data) as EditEvent).seq), performance.now()); });
  await stream.opened;
  let base = office.district.seq;
  const committed: number[] = [], trip: number[] = [];
  let refused = 0;
  for (let k = 0; k < runs; k++) {
    const out = await sendEdit(editor, id, nthMove(ops, k), base);
    if (out.kind !== 'ack') { refused++; continue; }
    base = out.edit.seq;
    const end = Date.now() + 10_000;
    while (!seen.has(out.edit.seq) && Date.now() < end) await new Promise((r) => setImmediate(r));
    committed.push(out.ackAt - out.sentAt);
    trip.push((seen.get(out.edit.seq) ?? NaN) - out.sentAt);
  }
  stream.close();
  console.log(`  ${label}: ${committed.length} edits (${refused} refused) — sent → committed and answered: ${stat(committed)}; sent → seen by another client: ${stat(trip)}`);
  return percentile(trip, 50);
}

/**
 * From draft to published plan (issue 23), each round: one edit, the plan submitted (its
 * findings worked out on the published grids with it applied; the first also makes that
 * checker), approved into a new version, the 'published' event seen by another client, and what
 * the wall then fetches (the version's grids; it checks only those that changed) and what a
 * console opening the published plan anew fetches (the district file of that view).
 */
async function publishing(label: string, office: Office, rounds: number) {
  const id = office.district.id;
  const grids = await importedGrids(office.admin, id);
  const street = streets(grids).sort((a, b) => b.grids - a.grids)[1].code;
  const ops = streetMoves(grids, street, rounds);
  const reviewer = await addUser(office.admin, `${label}-reviewer`, 'reviewer');
  const seen = new Map<number, number>();
  const stream = reviewer.events(`/api/districts/${id}/events?only=published`, (name, data) => { if (name === 'published') seen.set((JSON.parse(data) as { number: number }).number, performance.now()); });
  await stream.opened;
  const submit: number[] = [], approve: number[] = [], told: number[] = [], versionMs: number[] = [], fileMs: number[] = [];
  let size = 0, fileSize = 0;
  for (const op of ops) {
    const seq = (await office.admin.json<{ id: string; seq: number }[]>('GET', '/api/districts')).body.find((d) => d.id === id)!.seq;
    if ((await sendEdit(office.admin, id, op, seq)).kind !== 'ack') continue;
    let t = performance.now();
    const plan = await office.admin.json<{ id: number }>('POST', `/api/districts/${id}/plans`, { note: 'bench', effective: '2027-01-01' });
    submit.push(performance.now() - t);
    if (plan.status !== 201) throw new Error(`submit: HTTP ${plan.status} ${JSON.stringify(plan.body)}`);
    t = performance.now();
    const pub = await reviewer.json<{ number: number }>('POST', `/api/districts/${id}/plans/${plan.body.id}/approve`, { confirm: true });
    approve.push(performance.now() - t);
    if (pub.status !== 201) throw new Error(`approve: HTTP ${pub.status} ${JSON.stringify(pub.body)}`);
    const end = Date.now() + 10_000;
    while (!seen.has(pub.body.number) && Date.now() < end) await new Promise((r) => setImmediate(r));
    told.push((seen.get(pub.body.number) ?? NaN) - t);
    t = performance.now();
    const v = await reviewer.request('GET', `/api/districts/${id}/versions/published:${pub.body.number}`);
    size = (await v.arrayBuffer()).byteLength;
    versionMs.push(performance.now() - t);
    t = performance.now();
    const f = await reviewer.request('GET', `/api/districts/${id}/file?view=published`);
    fileSize = (await f.arrayBuffer()).byteLength;
    fileMs.push(performance.now() - t);
  }
  stream.close();
  console.log(`  publishing, ${label}: ${approve.length} plans (one edit each) — submitted: ${stat(submit)} (the first ${fmt(submit[0])} ms makes the published checker); `
    + `approved: ${stat(approve)}; approve clicked → 'published' seen by another client: ${stat(told)}; the wall's fetch of the version (${fmt(size / 1e6, 1)} MB): ${stat(versionMs)}; `
    + `a console opening the published plan anew, its file (${fmt(fileSize / 1e6, 1)} MB): ${stat(fileMs)} (load average ${load()})`);
}

/** Where an edit's time goes, in-process: the district session alone (no store), and the server's Districts on a store (plan, checks, transaction). */
async function editParts(label: string, bytes: Uint8Array, fileName: string, runs: number, store: Store) {
  const archive = readArchive(bytes, fileName);
  const raw = rawLayersOfArchive(archive);
  const noStore: DraftStore = { history: () => Promise.reject(new Error('no history here')), record: async (_w: string, e: { seq: number }) => e.seq, setDone: async (_w: string, d: number) => d };
  let t = performance.now();
  const { session } = DistrictSession.open(raw, { workspaceId: 'bench', history: { edits: [], done: 0, rev: 0 }, drafts: noStore, clockMs: Date.now() });
  const openMs = performance.now() - t;
  const grids = replay(usableGrids(raw.grids), { edits: archive.edits, done: archive.editsDone ?? 0 });
  const street = streets(grids).sort((a, b) => b.grids - a.grids)[0].code;
  const ops = streetMoves(grids, street, 40);
  const alone: number[] = [];
  for (let k = 0; k < runs; k++) {
    t = performance.now();
    await session.commit(nthMove(ops, k), { by: 'bench' });
    alone.push(performance.now() - t);
  }
  await migrate(store);
  const districts = new Districts(store);
  t = performance.now();
  const info = await districts.add(bytes, fileName, 'bench');
  const addMs = performance.now() - t;
  t = performance.now();
  const d = (await districts.get(info.id))!;
  const getMs = performance.now() - t;
  const withDb: number[] = [];
  for (let k = 0; k < runs; k++) {
    t = performance.now();
    const a = await d.edit({ name: 'bench', role: 'admin', scope: [] }, { op: nthMove(ops, k), base: d.seq });
    withDb.push(performance.now() - t);
    if (a.status !== 200) throw new Error(`in-process edit: ${JSON.stringify(a.body)}`);
  }
  t = performance.now();
  await d.fileBytes().bytes;
  const fileMs = performance.now() - t;
  console.log(`    where it goes (${label}, in-process, ${store.kind} store): plan + checks ${stat(alone)}; plan + checks + transaction (Districts.edit) ${stat(withDb)}; `
    + `the rest of the round trip is HTTP, JSON and the event stream. (Session opened and checked in ${fmt(openMs)} ms; Districts.add ${fmt(addMs)} ms, first get ${fmt(getMs)} ms; the workspace file made anew after an edit ${fmt(fileMs)} ms)`);
  await districts.remove(info.id);
}

/** The city from the server: the file over HTTP, then read and turned into layers as the page does. */
async function openCity(office: Office, runs: number) {
  const id = office.district.id;
  const get: number[] = [], read: number[] = [], layers: number[] = [];
  let size = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const res = await office.admin.request('GET', `/api/districts/${id}/file`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GET file: HTTP ${res.status}`);
    get.push(performance.now() - t);
    size = bytes.length;
    t = performance.now();
    const a = readArchive(bytes, 'city.gridscope');
    read.push(performance.now() - t);
    t = performance.now();
    rawLayersOfArchive(a);
    layers.push(performance.now() - t);
  }
  const total = get.map((g, k) => g + read[k] + layers[k]);
  console.log(`  opening the city from the server (${fmt(size / 1e6, 1)} MB file; Node as a proxy for the page: GET file → readArchive → rawLayersOfArchive; the page's worker check comes on top): `
    + `first (the server opens and checks the district too) ${fmt(total[0])} ms = GET ${fmt(get[0])} + read ${fmt(read[0])} + layers ${fmt(layers[0])}; `
    + `after: median ${fmt(percentile(total.slice(1), 50))} ms (GET ${fmt(percentile(get.slice(1), 50))}, read ${fmt(percentile(read.slice(1), 50))}, layers ${fmt(percentile(layers.slice(1), 50))})   (target < 3,000 ms)`);
}

async function loadTest(label: string, office: Office) {
  let accounts: LoadAccounts | undefined;
  for (const fileReads of [true, false]) {
    const r = await runLoad(office, { readers: 50, planners: 10, editsEach: 5, readRounds: 2, fileReads }, accounts);
    accounts = r.accounts;
    const trip = r.acked.flatMap((a) => r.seen.map((s) => (s.get(a.edit.seq) ?? NaN) - a.sentAt));
    const lost = r.acked.length * r.seen.length - trip.filter(Number.isFinite).length;
    console.log(`  load (${label}: 50 readers — ${fileReads ? 'the file, ' : 'NOT the file (to see what it costs), '}the edits, an event stream each — and 10 planners (${r.acked.length} edits answered), in ${fmt(r.wallMs / 1000, 1)} s; `
      + `${r.errors.length} errors, ${r.refusals.length} refused, ${lost} edits not seen by a listener; load average ${load()}):`);
    console.log(`    ${fileReads ? `GET file (${fmt(r.fileBytes / 1e6, 1)} MB) ${stat(r.fileMs)}; ` : ''}GET edits ${stat(r.editsMs)}; edit sent → answered ${stat(r.acked.map((a) => a.ackAt - a.sentAt))}; sent → seen by each of the 60 listeners ${stat(trip.filter(Number.isFinite))}`);
  }
}

async function onStore(kind: StoreKind, runs: number, cityBytes: Uint8Array) {
  let place: Place = await freshStore(kind);
  let office: Office | null = null;
  try {
    let t = performance.now();
    office = await openOffice(place);
    console.log(`  ${kind} store: a fresh server with the demo started in ${fmt(performance.now() - t)} ms (load average ${load()})`);
    await roundTrip('edit round trip, demo (target: median < 150 ms)', office, runs, ['alice', 'watcher']);
    await loadTest('demo', office);
    await publishing('demo', office, 5);
    await office.server.kill();
    await place.drop();

    place = await freshStore(kind);
    t = performance.now();
    office = await openOffice(place, { upload: cityBytes });
    console.log(`  ${kind} store: a fresh server started and the city (${fmt(cityBytes.length / 1e6, 1)} MB .gridscope) uploaded in ${fmt(performance.now() - t)} ms`);
    await openCity(office, 4);
    await roundTrip('edit round trip, city (target: median < 400 ms)', office, runs, ['alice', 'watcher']);
    if (process.env.BENCH_SERVER_CITY_LOAD) await loadTest('city', office);
    await publishing('city', office, 3);
  } finally {
    await office?.server.kill();
    await place.drop();
  }
}

export async function benchServer(runs = 30) {
  console.log(`office server (a real server process on loopback; load average ${load()})`);
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-bench-server-'));
  try {
    const cityFile = join(dir, 'city.gridscope');
    const city = writeCityWorkspace(cityFile);
    const cityBytes = new Uint8Array(readFileSync(cityFile));
    console.log(`  the city: ${fmt(city.counts.grids)} grids, ${fmt(city.counts.buildings)} buildings, ${fmt(city.counts.households)} households, ${fmt(city.counts.cases)} cases`);
    await onStore('embedded', runs, cityBytes);
    if (process.env.GRIDSCOPE_BENCH_DB ?? process.env.GRIDSCOPE_TEST_DB) {
      process.env.GRIDSCOPE_TEST_DB ??= process.env.GRIDSCOPE_BENCH_DB;
      await onStore('postgresql', runs, cityBytes);
    }
    // Where an edit's time goes, in this process on an embedded store of its own.
    const demo = await demoArchive(join(ROOT, 'data', 'demo'));
    const store = await embeddedStore(join(dir, 'parts'));
    try {
      await editParts('demo', demo.bytes, demo.name, runs, store);
      await editParts('city', cityBytes, 'city.gridscope', runs, store);
    } finally { await store.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
