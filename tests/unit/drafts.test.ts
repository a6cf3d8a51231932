// The draft's version check (fake-indexeddb): two tabs on one workspace are two readers of one
// store; a write based on a draft the other tab has changed since is refused in the same
// transaction, and nothing the other tab saved is overwritten.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { GridScopeDB } from '../../src/store/db';
import { DraftConflict, Drafts } from '../../src/store/drafts';
import type { Edit } from '../../src/plan/types';

const edit = (seq: number, code: string): Edit => ({ seq, op: { type: 'delete', code }, change: { before: [], after: [] }, at: seq });

async function workspace() {
  const name = `drafts-${Math.random()}`;
  const db = new GridScopeDB(name);
  await db.workspaces.add({ id: 'ws', name: 'w', createdAt: 0, updatedAt: 0, mappings: {} });
  // two tabs: each its own connection to the one database
  return { name, a: new Drafts(db), b: new Drafts(new GridScopeDB(name)) };
}

describe('the draft in IndexedDB, written from two tabs', () => {
  it('refuses an edit based on a draft another tab has changed since; the other tab\'s edit stays', async () => {
    const { a, b } = await workspace();
    const seenByA = await a.history('ws');
    const seenByB = await b.history('ws');
    expect(seenByA).toMatchObject({ edits: [], done: 0 });
    const rev = await a.record('ws', edit(1, 'A1'), seenByA.rev);
    // B still holds the draft as it was: its edit, numbered 1 as well, would replace A's.
    await expect(b.record('ws', edit(1, 'B1'), seenByB.rev)).rejects.toBeInstanceOf(DraftConflict);
    expect([seenByA.rev, rev]).toEqual([0, 1]);
    const stored = await b.history('ws');
    expect(stored.edits.map((e) => e.op)).toEqual([{ type: 'delete', code: 'A1' }]);
    expect(stored).toMatchObject({ done: 1, rev: 1 });
    // Read again, B's edit goes after A's.
    expect(await b.record('ws', edit(2, 'B2'), stored.rev)).toBe(2);
    expect((await a.history('ws')).edits.map((e) => (e.op as { code: string }).code)).toEqual(['A1', 'B2']);
  });

  it('refuses a stale undo or redo (the count) as it refuses a stale edit', async () => {
    const { a, b } = await workspace();
    await a.record('ws', edit(1, 'A1'), 0);
    await a.record('ws', edit(2, 'A2'), 1);
    const seenByB = await b.history('ws');
    const undone = await a.setDone('ws', 1, seenByB.rev); // A undoes
    await expect(b.setDone('ws', 1, seenByB.rev)).rejects.toBeInstanceOf(DraftConflict); // B undoes too, from what it saw
    expect(undone).toBe(3);
    // A new edit by A after its undo; B, stale, can neither redo nor overwrite it.
    await a.record('ws', edit(2, 'A3'), 3);
    await expect(b.setDone('ws', 2, seenByB.rev)).rejects.toBeInstanceOf(DraftConflict);
    await expect(b.record('ws', edit(3, 'B3'), seenByB.rev)).rejects.toBeInstanceOf(DraftConflict);
    const stored = await a.history('ws');
    expect(stored.edits.map((e) => (e.op as { code: string }).code)).toEqual(['A1', 'A3']);
    expect(stored).toMatchObject({ done: 2, rev: 4 });
  });

  it('refuses a write to a workspace that is gone (deleted in another tab)', async () => {
    const { name, a } = await workspace();
    await a.record('ws', edit(1, 'A1'), 0);
    await new GridScopeDB(name).workspaces.delete('ws');
    await expect(a.record('ws', edit(2, 'A2'), 1)).rejects.toThrow('no workspace ws');
  });
});
