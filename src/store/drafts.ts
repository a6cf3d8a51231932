// A workspace's draft in IndexedDB: its edit history (one row per edit, the grids before and
// after it, never a full copy per edit) with how many are applied, and its named versions.
// Each edit is written as it is made, in one transaction with the count: a reload or a
// crashed tab finds the draft as it was left.
import type { GridScopeDB, VersionRow } from './db';
import type { History } from '../plan/history';
import type { Edit } from '../plan/types';
import type { GridFeature } from '../domain/types';
import { StorageFullError } from './workspaces';

const isQuota = (e: unknown) => e instanceof Error && (e.name === 'QuotaExceededError' || (e as { inner?: Error }).inner?.name === 'QuotaExceededError');

export class Drafts {
  constructor(private readonly db: GridScopeDB) {}

  async history(workspaceId: string): Promise<History> {
    const [ws, rows] = await Promise.all([
      this.db.workspaces.get(workspaceId),
      this.db.edits.where('[workspaceId+seq]').between([workspaceId, 0], [workspaceId, Infinity]).toArray(),
    ]);
    const edits = rows.map((r) => r.edit);
    return { edits, done: Math.min(ws?.editsDone ?? edits.length, edits.length) };
  }

  /** A new edit: the undone ones after it are dropped; the edit and the count land together. */
  async record(workspaceId: string, edit: Edit): Promise<void> {
    await this.write(workspaceId, async () => {
      await this.db.edits.where('[workspaceId+seq]').between([workspaceId, edit.seq], [workspaceId, Infinity]).delete();
      await this.db.edits.put({ workspaceId, seq: edit.seq, edit });
      await this.db.workspaces.update(workspaceId, { editsDone: edit.seq, updatedAt: Date.now() });
    });
  }

  /** Undo and redo move the count only. */
  async setDone(workspaceId: string, done: number): Promise<void> {
    await this.write(workspaceId, async () => {
      await this.db.workspaces.update(workspaceId, { editsDone: done, updatedAt: Date.now() });
    });
  }

  async saveVersion(workspaceId: string, name: string, grids: GridFeature[]): Promise<VersionRow> {
    const row: VersionRow = { id: `v-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, workspaceId, name, createdAt: Date.now(), grids };
    await this.write(workspaceId, async () => { await this.db.versions.add(row); });
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

  private async write(workspaceId: string, body: () => Promise<void>) {
    try {
      await this.db.transaction('rw', [this.db.workspaces, this.db.edits, this.db.versions], body);
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`saving the draft of ${workspaceId}`, e);
      throw e;
    }
  }
}
