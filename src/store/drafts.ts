// A workspace's draft in IndexedDB: its edit history (one row per edit, the grids before and
// after it, never a full copy per edit) with how many are applied, and its named versions.
// Each edit is written as it is made, in one transaction with the count: a reload or a
// crashed tab finds the draft as it was left. Every write names the revision of the draft it
// was based on and is refused (DraftConflict) when the stored draft has moved on since — so a
// second tab on the same workspace can never overwrite an edit the first one was told was saved.
import type { GridScopeDB, VersionRow } from './db';
import type { History } from '../plan/history';
import type { Edit } from '../plan/types';
import type { GridFeature } from '../domain/types';
import { StorageFullError } from './workspaces';

/** The draft as stored, with its revision (how many writes it has had). */
export interface StoredHistory extends History {
  rev: number;
}

/** A write based on a draft that another tab has changed since: refused, nothing written. */
export class DraftConflict extends Error {
  constructor(readonly workspaceId: string, readonly expected: number, readonly found: number) {
    super(`the draft of ${workspaceId} was changed elsewhere (revision ${found}, this edit was based on ${expected})`);
    this.name = 'DraftConflict';
  }
}

const isQuota = (e: unknown) => e instanceof Error && (e.name === 'QuotaExceededError' || (e as { inner?: Error }).inner?.name === 'QuotaExceededError');

/**
 * Where a district session keeps its draft: this browser's IndexedDB (Drafts), or the office
 * server's log (the page's mirror of it, or the server's own store). `grids`, when given, are
 * the draft's grids as they stand (saves replaying the history).
 */
export interface DraftStore {
  history(workspaceId: string): Promise<StoredHistory & { grids?: GridFeature[] }>;
  record(workspaceId: string, edit: Edit, rev: number): Promise<number>;
  setDone(workspaceId: string, done: number, rev: number): Promise<number>;
}

export class Drafts implements DraftStore {
  constructor(private readonly db: GridScopeDB) {}

  /** The draft as stored (read in one transaction: the edits, the count and the revision agree). */
  history(workspaceId: string): Promise<StoredHistory> {
    return this.db.transaction('r', [this.db.workspaces, this.db.edits], async () => {
      const ws = await this.db.workspaces.get(workspaceId);
      const rows = await this.db.edits.where('[workspaceId+seq]').between([workspaceId, 0], [workspaceId, Infinity]).toArray();
      const edits = rows.map((r) => r.edit);
      return { edits, done: Math.min(ws?.editsDone ?? edits.length, edits.length), rev: ws?.draftRev ?? 0 };
    });
  }

  /**
   * A new edit, based on revision `rev` of the draft: the undone ones after it are dropped; the
   * edit, the count and the next revision land together. Answers that revision.
   */
  record(workspaceId: string, edit: Edit, rev: number): Promise<number> {
    return this.write(workspaceId, rev, async () => {
      await this.db.edits.where('[workspaceId+seq]').between([workspaceId, edit.seq], [workspaceId, Infinity]).delete();
      await this.db.edits.put({ workspaceId, seq: edit.seq, edit });
      return { editsDone: edit.seq };
    });
  }

  /** Undo and redo move the count only (checked against the revision as an edit is). */
  setDone(workspaceId: string, done: number, rev: number): Promise<number> {
    return this.write(workspaceId, rev, async () => ({ editsDone: done }));
  }

  async saveVersion(workspaceId: string, name: string, grids: GridFeature[]): Promise<VersionRow> {
    const row: VersionRow = { id: `v-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, workspaceId, name, createdAt: Date.now(), grids };
    await this.tx(workspaceId, async () => { await this.db.versions.add(row); });
    return row;
  }

  /** The versions of a workspace, oldest first (without their grids). */
  async versions(workspaceId: string): Promise<Omit<VersionRow, 'grids'>[]> {
    const rows = await this.db.versions.where('workspaceId').equals(workspaceId).toArray();
    return rows.sort((a, b) => a.createdAt - b.createdAt).map(({ grids: _, ...v }) => v);
  }

  version(id: string): Promise<VersionRow | undefined> {
    return this.db.versions.get(id);
  }

  /** A write to the draft: refused unless the stored revision is still `rev`; answers the next one. */
  private write(workspaceId: string, rev: number, body: () => Promise<{ editsDone: number }>): Promise<number> {
    return this.tx(workspaceId, async () => {
      const ws = await this.db.workspaces.get(workspaceId);
      if (!ws) throw new Error(`no workspace ${workspaceId}`);
      const found = ws.draftRev ?? 0;
      if (found !== rev) throw new DraftConflict(workspaceId, rev, found);
      const { editsDone } = await body();
      await this.db.workspaces.update(workspaceId, { editsDone, draftRev: rev + 1, updatedAt: Date.now() });
      return rev + 1;
    });
  }

  private async tx<T>(workspaceId: string, body: () => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction('rw', [this.db.workspaces, this.db.edits, this.db.versions], body);
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`saving the draft of ${workspaceId}`, e);
      throw e;
    }
  }
}
