// Named workspaces in IndexedDB: each layer of a district saved as columns (typed arrays).
// A save is one transaction: it lands whole or not at all, so a full disk loses nothing
// that was already saved.
import type { Feature } from 'geojson';
import { fromGeoColumns, toGeoColumns } from './geoColumns';
import { casesOfRow, storedCases, type GridScopeDB, type LayerRow, type VersionRow, type WorkspaceRow } from './db';
import { failFile, PartError } from '../io/fileError';
import { checkHistory, checkLayer, checkMappings } from './checkStored';
import type { Drafts } from './drafts';
import type { History } from '../plan/history';
import { caseColumns, type CaseColumns } from '../workspace/caseTable';
import type { CaseFeature, DemoMeta } from '../domain/types';
import { readArchive, writeArchive, WORKSPACE_ROLES, type WorkspaceRole } from './archive';

export { WORKSPACE_ROLES, type WorkspaceRole };

export class StorageFullError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what}: the browser's storage for this site is full; nothing was changed. Free space (delete a workspace) and try again.`);
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

const isQuota = (e: unknown) => e instanceof Error && (e.name === 'QuotaExceededError' || (e as { inner?: Error }).inner?.name === 'QuotaExceededError');

export class Workspaces {
  constructor(private readonly db: GridScopeDB) {}

  list(): Promise<WorkspaceRow[]> {
    return this.db.workspaces.orderBy('name').toArray();
  }

  async create(name: string): Promise<WorkspaceRow> {
    const row = newRow(name);
    await this.db.workspaces.add(row);
    return row;
  }

  /**
   * A new workspace and its first layer in one transaction: a full disk or a reload in the
   * middle leaves no empty workspace behind (the message says nothing was saved, and so it is).
   */
  async createWithLayer(name: string, role: WorkspaceRole, features: Feature[], source: LayerRow['source'], mapping?: Record<string, string>): Promise<WorkspaceRow> {
    const row = newRow(name);
    const body: Pick<LayerRow, 'geo' | 'cases'> = role === 'cases' ? { cases: storedCases(caseColumns(features as CaseFeature[])) } : { geo: toGeoColumns(features) };
    try {
      await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
        await this.db.workspaces.add({ ...row, mappings: mapping ? { [role]: mapping } : {} });
        await this.db.layers.put({ key: `${row.id}:${role}`, workspaceId: row.id, role, ...body, count: features.length, source, savedAt: Date.now() });
      });
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`saving ${role}`, e);
      throw e;
    }
    return row;
  }

  /**
   * A new workspace holding a whole district as it is on the map (the demo, when a planner
   * starts editing it): every layer in one transaction, with the district's name and snapshot time.
   */
  async createFromDistrict(name: string, meta: DemoMeta, layers: Partial<Record<Exclude<WorkspaceRole, 'cases'>, Feature[]>>, cases: CaseColumns): Promise<WorkspaceRow> {
    const row = { ...newRow(name), meta };
    const now = Date.now();
    const source = { file: meta.district_name, notes: [] };
    try {
      await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
        await this.db.workspaces.add(row);
        for (const [role, features] of Object.entries(layers)) {
          await this.db.layers.put({ key: `${row.id}:${role}`, workspaceId: row.id, role, geo: toGeoColumns(features!), count: features!.length, source, savedAt: now });
        }
        await this.db.layers.put({ key: `${row.id}:cases`, workspaceId: row.id, role: 'cases', cases: storedCases(cases), count: cases.count, source, savedAt: now });
      });
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError('saving the district', e);
      throw e;
    }
    return row;
  }

  /** Saves (replaces) one layer of a workspace, with the field mapping used for it. */
  async saveLayer(workspaceId: string, role: WorkspaceRole, features: Feature[], source: LayerRow['source'], mapping?: Record<string, string>) {
    const body: Pick<LayerRow, 'geo' | 'cases'> = role === 'cases' ? { cases: storedCases(caseColumns(features as CaseFeature[])) } : { geo: toGeoColumns(features) };
    try {
      await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
        const ws = await this.db.workspaces.get(workspaceId);
        if (!ws) throw new Error(`no workspace ${workspaceId}`);
        await this.db.layers.put({ key: `${workspaceId}:${role}`, workspaceId, role, ...body, count: features.length, source, savedAt: Date.now() });
        await this.db.workspaces.put({ ...ws, updatedAt: Date.now(), mappings: mapping ? { ...ws.mappings, [role]: mapping } : ws.mappings });
      });
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`saving ${role}`, e);
      throw e;
    }
  }

  /**
   * A workspace's row and its layers' rows as stored (columns; nothing decoded), each checked
   * first: a row written by an older or buggy version, or by hand, is refused with a FileError
   * naming the workspace and what is wrong, before anything walks its columns.
   */
  async read(workspaceId: string): Promise<{ workspace: WorkspaceRow; rows: LayerRow[] }> {
    const workspace = await this.db.workspaces.get(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    const rows = await this.db.layers.where('workspaceId').equals(workspaceId).toArray();
    try {
      checkMappings(workspace.mappings, 'workspace');
      for (const r of rows) {
        if (!(WORKSPACE_ROLES as readonly string[]).includes(r.role)) throw new PartError('ws_layer_unknown', { role: String(r.role) });
        // (rows of the first format, a FlatGeobuf blob, hold neither and are left out as before)
        if (r.geo || r.cases) checkLayer(r.role, r, r.role);
      }
    } catch (e) {
      failFile(workspace.name, e);
    }
    return { workspace, rows };
  }

  /** A stored draft's history, checked (edits 1..n of known kinds with valid grids, done within 0..n); a FileError naming the workspace if not. */
  async history(workspaceId: string, drafts: Drafts): Promise<History> {
    const [workspace, h] = await Promise.all([this.db.workspaces.get(workspaceId), drafts.history(workspaceId)]);
    try {
      return checkHistory(h, 'draft');
    } catch (e) {
      return failFile(workspace?.name ?? workspaceId, e);
    }
  }

  /** Every saved layer of a workspace, decoded; the cases as columns. */
  async load(workspaceId: string): Promise<{ workspace: WorkspaceRow; layers: Partial<Record<WorkspaceRole, Feature[]>>; cases: CaseColumns | null; rows: LayerRow[] }> {
    const { workspace, rows } = await this.read(workspaceId);
    const layers: Partial<Record<WorkspaceRole, Feature[]>> = {};
    let cases: CaseColumns | null = null;
    for (const r of rows) {
      if (r.cases) cases = casesOfRow(r.cases);
      else if (r.geo) layers[r.role as WorkspaceRole] = fromGeoColumns(r.geo);
    }
    return { workspace, layers, cases, rows };
  }

  async rename(workspaceId: string, name: string) {
    const clean = name.trim();
    if (!clean) throw new Error('a workspace needs a name');
    await this.db.workspaces.update(workspaceId, { name: clean, updatedAt: Date.now() });
  }

  /**
   * The whole workspace as one file (a zip: workspace.json, one file per layer, and draft.json:
   * the draft's edits, how many are applied, and the saved versions). 户主 and phone are left
   * out of it unless `includePersonal`.
   */
  async exportArchive(workspaceId: string, { includePersonal = false } = {}): Promise<Uint8Array> {
    const workspace = await this.db.workspaces.get(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    const [rows, editRows, versions] = await Promise.all([
      this.db.layers.where('workspaceId').equals(workspaceId).toArray(),
      this.db.edits.where('[workspaceId+seq]').between([workspaceId, 0], [workspaceId, Infinity]).toArray(),
      this.db.versions.where('workspaceId').equals(workspaceId).toArray(),
    ]);
    return writeArchive({
      name: workspace.name, mappings: workspace.mappings, meta: workspace.meta, layers: rows,
      edits: editRows.map((r) => r.edit), editsDone: workspace.editsDone, versions, includePersonal,
    });
  }

  /**
   * A workspace file back as a new workspace (one already there is never overwritten; a name
   * in use gets a number), with its draft: the edits, how many are applied, the versions
   * (version 1 files have none). Every part is checked before anything is saved (a FileError
   * naming the file and what is wrong), and all of it is saved in one transaction, or none of it.
   */
  async importArchive(bytes: Uint8Array, fileName: string): Promise<WorkspaceRow> {
    try {
      return await this.importChecked(bytes, fileName);
    } catch (e) {
      if (e instanceof StorageFullError) throw e;
      return failFile(fileName, e);
    }
  }

  private async importChecked(bytes: Uint8Array, fileName: string): Promise<WorkspaceRow> {
    const file = readArchive(bytes, fileName);
    const names = new Set((await this.list()).map((w) => w.name));
    let name = file.name;
    for (let k = 2; names.has(name); k++) name = `${file.name} (${k})`;
    const now = Date.now();
    const row: WorkspaceRow = { id: newId(now), name, createdAt: now, updatedAt: now, mappings: file.mappings, ...(file.meta ? { meta: file.meta } : {}), ...(file.editsDone !== undefined ? { editsDone: file.editsDone } : {}) };
    const layers: LayerRow[] = file.layers.map((l) => ({ ...l, key: `${row.id}:${l.role}`, workspaceId: row.id, savedAt: now }));
    // New ids (the workspace the file came from may be in this browser still), and the restores that name them follow.
    const ids = new Map(file.versions.map((v, k) => [v.id, `v-${now.toString(36)}-${k}-${Math.random().toString(36).slice(2, 6)}`]));
    const versions: VersionRow[] = file.versions.map((v) => ({ id: ids.get(v.id)!, workspaceId: row.id, name: v.name, createdAt: v.createdAt, grids: v.grids }));
    const edits = file.edits.map((e) => (e.op.type === 'restore' && ids.has(e.op.version) ? { ...e, op: { ...e.op, version: ids.get(e.op.version)! } } : e));
    try {
      await this.db.transaction('rw', [this.db.workspaces, this.db.layers, this.db.edits, this.db.versions], async () => {
        await this.db.workspaces.add(row);
        await this.db.layers.bulkPut(layers);
        await this.db.edits.bulkPut(edits.map((edit) => ({ workspaceId: row.id, seq: edit.seq, edit })));
        await this.db.versions.bulkAdd(versions);
      });
    } catch (e) {
      if (isQuota(e)) throw new StorageFullError(`importing ${fileName}`, e);
      throw e;
    }
    return row;
  }

  async remove(workspaceId: string) {
    await this.db.transaction('rw', [this.db.workspaces, this.db.layers, this.db.edits, this.db.versions], async () => {
      await this.db.layers.where('workspaceId').equals(workspaceId).delete();
      await this.db.edits.where('workspaceId').equals(workspaceId).delete();
      await this.db.versions.where('workspaceId').equals(workspaceId).delete();
      await this.db.workspaces.delete(workspaceId);
    });
  }
}

/** Asks the browser not to evict this site's data under storage pressure. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

function newRow(name: string): WorkspaceRow {
  const now = Date.now();
  return { id: newId(now), name, createdAt: now, updatedAt: now, mappings: {} };
}

const newId = (now: number) => `ws-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;


