// The server killed (SIGKILL) in the middle of two planners' burst of edits, and started again
// on the same store: every edit it acknowledged is in its log exactly once with its number,
// nothing it logged is half applied (the PostGIS grids table and the workspace file hold
// exactly the imported grids with the log replayed), and both planners reconnect with their
// sessions and catch up on every edit they had not seen. On the embedded store and on PostgreSQL.
import { describe, expect, test } from 'vitest';
import pg from 'pg';
import { embeddedStore } from '../../src/server/store';
import type { EditEvent } from '../../src/server/api';
import type { EditOp } from '../../src/plan/types';
import { freshStore, startServer, type Client, type RunningServer, type StoreKind } from '../support/server';
import {
  addUser, fileState, importedGrids, openOffice, reconnect, replayLog, sendEdit, serverLog, shapes, streetMoves, streets, tableDifferences, type EditOutcome,
} from '../support/office';

/** The burst is cut after this many acknowledgements (of both planners together). */
const KILL_AFTER = 8;
/** Requests each planner keeps in flight. */
const WINDOW = 3;

async function waitFor(what: string, ok: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const keyOf = (by: string, op: EditOp) => `${by} ${JSON.stringify(op)}`;

describe.each<StoreKind>(['embedded', 'postgresql'])('the server killed during a burst of edits (%s store)', (kind) => {
  test('every acknowledged edit survives exactly once, none half applied, both planners catch up', { timeout: 420_000 }, async () => {
    const place = await freshStore(kind);
    const running: RunningServer[] = [];
    try {
      const office = await openOffice(place);
      running.push(office.server);
      const id = office.district.id;
      const imported = await importedGrids(office.admin, id);
      const [s1, s2] = streets(imported).sort((a, b) => b.grids - a.grids);
      const planners: { name: string; client: Client; ops: Extract<EditOp, { type: 'move_vertex' }>[] }[] = [];
      for (const [name, s] of [['alice', s1], ['bob', s2]] as const) {
        const ops = streetMoves(imported, s.code, 24);
        expect(ops.length, `inner corners in street ${s.code}`).toBeGreaterThanOrEqual(16);
        planners.push({ name, client: await addUser(office.admin, name, 'planner', [s.code]), ops });
      }

      // Each planner listens as a page does, and remembers the last edit it saw.
      const seenBefore = new Map<string, EditEvent[]>(planners.map((p) => [p.name, []]));
      const streams = planners.map((p) => p.client.events(`/api/districts/${id}/events?after=0`, (name, data) => {
        if (name === 'edit') seenBefore.get(p.name)!.push(JSON.parse(data));
      }));
      await Promise.all(streams.map((s) => s.opened));

      // The burst: each planner keeps WINDOW edits in flight, each based on the latest edit it knows.
      const sent: { by: string; op: EditOp; base: number; outcome?: EditOutcome }[] = [];
      let acks = 0, inFlight = 0, inFlightAtKill = -1;
      let killed: Promise<void> | null = null;
      const known = (name: string) => Math.max(0, ...seenBefore.get(name)!.map((e) => e.seq), ...sent.filter((s) => s.by === name && s.outcome?.kind === 'ack').map((s) => (s.outcome as { edit: EditEvent }).edit.seq));
      await Promise.all(planners.flatMap((p) => {
        let next = 0;
        const lane = async () => {
          while (!killed && next < p.ops.length) {
            const s: (typeof sent)[number] = { by: p.name, op: p.ops[next++], base: known(p.name) };
            sent.push(s);
            inFlight++;
            s.outcome = await sendEdit(p.client, id, s.op, s.base);
            inFlight--;
            if (s.outcome.kind === 'ack' && ++acks === KILL_AFTER) {
              inFlightAtKill = inFlight;
              killed = office.server.kill();
            }
          }
        };
        return Array.from({ length: WINDOW }, lane);
      }));
      expect(killed, 'the burst reached the kill').not.toBeNull();
      await killed;
      streams.forEach((s) => s.close());
      expect(inFlightAtKill, 'requests in flight when the server was killed').toBeGreaterThan(0);
      const acked = sent.filter((s) => s.outcome?.kind === 'ack').map((s) => (s.outcome as { edit: EditEvent }).edit);
      const refused = sent.filter((s) => s.outcome?.kind === 'refused');
      // Refusals are honest ones only: a plan error (422) for a move the geometry refuses; nobody's grids overlap.
      for (const r of refused) expect((r.outcome as { status: number }).status, JSON.stringify(r.outcome)).toBe(422);
      const lost = sent.filter((s) => s.outcome?.kind === 'lost');
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(lost.length, 'edits without an answer (the kill)').toBeGreaterThan(0);
      const lastSeen = new Map([...seenBefore].map(([name, es]) => [name, Math.max(0, ...es.map((e) => e.seq))]));

      // Started again on the same store; the planners' sessions still hold.
      const again = await startServer(place);
      running.push(again);
      const admin = reconnect(office.admin, again.url);
      for (const p of planners) expect((await reconnect(p.client, again.url).json('GET', '/api/me')).status).toBe(200);
      const log = await serverLog(admin, id);

      // (for the note: what the kill cut)
      console.log(`${kind}: ${sent.length} edits sent, ${acked.length} acknowledged, ${refused.length} refused, ${lost.length} without an answer (${inFlightAtKill} in flight at the kill); `
        + `after the restart the log holds ${log.length} (${log.filter((e) => !acked.some((a) => a.seq === e.seq)).length} of those without an answer had been committed); seen before the kill: ${[...lastSeen].map(([n, s]) => `${n} up to ${s}`).join(', ')}`);
      // The log: 1..n, no gap, no duplicate.
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      // Every acknowledged edit there once, with its number, operation and author.
      const logKeys = log.map((e) => keyOf(e.by, e.op));
      for (const a of acked) {
        expect(log[a.seq - 1], `acknowledged edit ${a.seq}`).toMatchObject({ seq: a.seq, by: a.by, op: a.op });
        expect(logKeys.filter((k) => k === keyOf(a.by, a.op)).length, `edit ${a.seq} in the log`).toBe(1);
      }
      // Nothing in the log that no one sent or that a refusal said was not made; each sent edit at most once.
      const sentKeys = new Set(sent.filter((s) => s.outcome?.kind !== 'refused').map((s) => keyOf(s.by, s.op)));
      for (const k of logKeys) expect(sentKeys.has(k), `logged edit ${k}`).toBe(true);
      expect(new Set(logKeys).size).toBe(log.length);
      expect(log.length).toBeLessThanOrEqual(acked.length + lost.length);

      // None half applied: the imported grids with the log replayed are what the server holds.
      const replayed = replayLog(imported, log);
      const file = await fileState(admin, id);
      expect(file.seq).toBe(log.length);
      expect(file.edits.map((e) => [e.seq, e.by, e.op])).toEqual(log.map((e) => [e.seq, e.by, e.op]));
      expect(shapes(file.grids)).toEqual(shapes(replayed));

      // Both planners reconnect their event streams from the last edit they saw, and get every edit they had not.
      for (const p of planners) {
        const after: EditEvent[] = [];
        const s = reconnect(p.client, again.url).events(`/api/districts/${id}/events?after=${lastSeen.get(p.name)}`, (name, data) => {
          if (name === 'edit') after.push(JSON.parse(data));
        });
        await s.opened;
        await waitFor(`${p.name} to catch up to ${log.length}`, () => after.length >= log.length - lastSeen.get(p.name)!);
        // And they see edits made after the restart as they come.
        if (p === planners[1]) {
          const next = await sendEdit(reconnect(planners[0].client, again.url), id, planners[0].ops.at(-1)!, log.length);
          expect(next.kind === 'ack' || (next.kind === 'refused' && next.status === 422), JSON.stringify(next)).toBe(true);
          if (next.kind === 'ack') {
            log.push(next.edit);
            await waitFor(`${p.name} to see the edit after the restart`, () => after.length >= log.length - lastSeen.get(p.name)!);
          }
        }
        s.close();
        expect(after.map((e) => e.seq), `${p.name}'s catch-up`).toEqual(log.slice(lastSeen.get(p.name)).map((e) => e.seq));
        expect(after).toEqual(log.slice(lastSeen.get(p.name)));
        const before = seenBefore.get(p.name)!;
        expect(before.map((e) => e.seq)).toEqual(before.map((_, i) => i + 1));
        expect(before).toEqual(log.slice(0, before.length));
      }

      // The PostGIS grids table (what `npm run check -- --engine postgis` audits) holds exactly the replay.
      const final = replayLog(imported, log);
      if (kind === 'postgresql') {
        const db = new pg.Client({ connectionString: place.args[1] });
        await db.connect();
        try {
          expect(await tableDifferences({ query: async (t, p) => (await db.query(t, p)).rows }, id, final)).toEqual([]);
        } finally { await db.end(); }
      } else {
        await again.stop(); // PGlite is one process's: read it once the server is gone
        const store = await embeddedStore(place.args[1]);
        try { expect(await tableDifferences(store, id, final)).toEqual([]); } finally { await store.close(); }
      }
    } finally {
      for (const s of running) await s.kill();
      await place.drop();
    }
  });
});
