// A bounded load on loopback: 50 readers opening the district (its workspace file with the
// cases, its edits, an event stream each) while 10 planners edit, each in their own community,
// on the embedded store: no request fails, no edit is lost — every acknowledged edit is in the
// log once, and every listener saw every edit, in order.
import { expect, test } from 'vitest';
import { freshStore } from '../support/server';
import { openOffice, serverLog } from '../support/office';
import { percentile, runLoad } from '../support/load';

test('50 readers and 10 planners at once: no error, no lost edit', { timeout: 240_000 }, async () => {
  const place = await freshStore('embedded');
  const office = await openOffice(place);
  try {
    const r = await runLoad(office, { readers: 50, planners: 10, editsEach: 5, readRounds: 2 });
    const ms = (xs: number[]) => `median ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms`;
    console.log(`load: ${r.acked.length} edits acknowledged, ${r.refusals.length} refused (${r.refusals.join(', ')}), ${r.errors.length} errors in ${(r.wallMs / 1000).toFixed(1)} s; `
      + `file (${(r.fileBytes / 1e6).toFixed(1)} MB) ${ms(r.fileMs)}; edits ${ms(r.editsMs)}; answered ${ms(r.acked.map((a) => a.ackAt - a.sentAt))}`);
    expect(r.errors).toEqual([]);
    expect(r.fileMs.length + r.editsMs.length).toBe(50 * 2 * 2);
    // Most moves go through (a refusal is the geometry's, never a conflict: nobody shares a grid).
    expect(r.acked.length).toBeGreaterThanOrEqual(40);

    const log = await serverLog(office.admin, office.district.id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.length).toBe(r.acked.length);
    for (const a of r.acked) expect(log[a.edit.seq - 1]).toEqual(a.edit);
    // Every listener (50 readers, 10 planners) saw every edit once, in order, as logged.
    expect(r.events).toHaveLength(60);
    for (const events of r.events) expect(events).toEqual(log);
  } finally {
    await office.server.kill();
    await place.drop();
  }
});
