// Named workspaces in IndexedDB: each layer of a district saved as columns (typed arrays).
// A save is one transaction: it lands whole or not at all, so a full disk loses nothing
// that was already saved.
import type { Feature } from 'geojson';
import { fromGeoColumns, geoColumnsFromJSON, geoColumnsToJSON, toGeoColumns, type GeoColumns } from './geoColumns';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { safeUnzip } from '../io/zip';
import { casesOfRow, storedCases, type GridScopeDB, type LayerRow, type VersionRow, type WorkspaceRow } from './db';
import { failFile, PartError } from '../io/fileError';
import { checkHistory, checkLayer, checkMappings, checkVersions } from './checkStored';
import type { Drafts } from './drafts';
import type { History } from '../plan/history';
import type { Edit } from '../plan/types';
import { withoutPersonal } from '../io/layers';
import { caseColumns, caseColumnsFromJSON, caseColumnsToJSON, type CaseColumns } from '../workspace/caseTable';
import type { CaseFeature, DemoMeta } from '../domain/types';

export const WORKSPACE_ROLES = ['boundaries', 'grids', 'buildings', 'households', 'cases', 'roads', 'water'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

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
    const files: Record<string, Uint8Array> = {};
    const layers = rows.filter((r) => r.geo || r.cases).map((r) => {
      const file = `${r.role}.${r.cases ? 'columns' : 'geo'}.json`;
      const geo = r.geo && !includePersonal ? { ...r.geo, props: withoutPersonal(r.geo.props) as GeoColumns['props'] } : r.geo;
      files[file] = strToU8(r.cases ? caseColumnsToJSON(casesOfRow(r.cases)) : geoColumnsToJSON(geo!));
      return { role: r.role, file, count: r.count, source: r.source };
    });
    const edits = editRows.map((r) => r.edit);
    const draft: ArchiveDraft = {
      edits,
      versions: versions.sort((a, b) => a.createdAt - b.createdAt).map(({ id, name, createdAt, grids }) => ({ id, name, createdAt, grids })),
    };
    files[DRAFT_FILE] = strToU8(JSON.stringify(draft));
    const head: ArchiveHead = {
      format: ARCHIVE_FORMAT, version: 2, name: workspace.name, mappings: workspace.mappings, layers, personal: includePersonal,
      editsDone: Math.min(workspace.editsDone ?? edits.length, edits.length), ...(workspace.meta ? { meta: workspace.meta } : {}),
    };
    return zipSync({ 'workspace.json': strToU8(JSON.stringify(head, null, 1)), ...files }, { level: 6 });
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
    let entries: Record<string, Uint8Array> = {};
    try { entries = safeUnzip(bytes); } catch (e) { throw e instanceof PartError && e.code === 'not_zip' ? new PartError('ws_not_zip') : e; }
    const entry = (name: string) => (Object.hasOwn(entries, name) ? entries[name] : null);
    const json = (name: string, code: 'ws_head_json' | 'ws_part_json'): unknown => {
      const b = entry(name);
      if (!b) throw new PartError(name === 'workspace.json' ? 'ws_no_head' : 'ws_part_missing', { part: name });
      try { return JSON.parse(strFromU8(b)); } catch { throw new PartError(code, { part: name }); }
    };
    const head = json('workspace.json', 'ws_head_json') as Partial<ArchiveHead> | null;
    if (!head || typeof head !== 'object' || head.format !== ARCHIVE_FORMAT || !Array.isArray(head.layers)) throw new PartError('ws_head_format');
    if (head.version !== 1 && head.version !== 2) throw new PartError('ws_version', { version: String(head.version).slice(0, 20) });
    const mappings = checkMappings(head.mappings ?? {}, 'workspace.json');
    const names = new Set((await this.list()).map((w) => w.name));
    const base = typeof head.name === 'string' && head.name.trim() ? head.name.trim() : fileName;
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base} (${k})`;
    const now = Date.now();
    const row: WorkspaceRow = { id: newId(now), name, createdAt: now, updatedAt: now, mappings, ...(isMeta(head.meta) ? { meta: head.meta } : {}) };
    const layers: LayerRow[] = [];
    const roles = new Set<string>();
    for (const l of head.layers as unknown[]) {
      const { role, file, count, source } = (l ?? {}) as ArchiveHead['layers'][number];
      if (!(WORKSPACE_ROLES as readonly string[]).includes(role)) throw new PartError('ws_layer_unknown', { role: String(role).slice(0, 40) });
      if (roles.has(role)) throw new PartError('ws_layer_twice', { role });
      roles.add(role);
      if (typeof file !== 'string' || !entry(file)) throw new PartError('ws_part_missing', { part: typeof file === 'string' ? file : `${role}.geo.json` });
      const text = strFromU8(entry(file)!);
      const layer: LayerRow = { key: `${row.id}:${role}`, workspaceId: row.id, role, count: 0, source: isSource(source) ? source : { file, notes: [] }, savedAt: now };
      if (role === 'cases') layer.cases = storedCases(caseColumnsFromJSON(text, file));
      else layer.geo = geoColumnsFromJSON(text, file);
      checkLayer(role, layer, file);
      const n = layer.cases?.count ?? layer.geo!.count;
      if (n !== count) throw new PartError('ws_count', { part: file, n, stated: String(count).slice(0, 20) });
      layer.count = n;
      layers.push(layer);
    }
    // The draft (version 2): edits, how many are applied, versions, each checked like the layers.
    let edits: Edit[] = [];
    let versions: VersionRow[] = [];
    if (head.version === 2) {
      const d = json(DRAFT_FILE, 'ws_part_json') as Partial<ArchiveDraft> | null;
      if (!d || typeof d !== 'object' || !Array.isArray(d.edits) || !Array.isArray(d.versions)) throw new PartError('ws_part_json', { part: DRAFT_FILE });
      const h = checkHistory({ edits: d.edits, done: head.editsDone }, DRAFT_FILE);
      checkVersions(d.versions, DRAFT_FILE);
      row.editsDone = h.done;
      // New ids (the workspace the file came from may be in this browser still), and the restores that name them follow.
      const ids = new Map(d.versions.map((v, k) => [v.id, `v-${now.toString(36)}-${k}-${Math.random().toString(36).slice(2, 6)}`]));
      versions = d.versions.map((v) => ({ id: ids.get(v.id)!, workspaceId: row.id, name: v.name, createdAt: v.createdAt, grids: v.grids }));
      edits = h.edits.map((e) => (e.op.type === 'restore' && ids.has(e.op.version) ? { ...e, op: { ...e.op, version: ids.get(e.op.version)! } } : e));
    }
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

const ARCHIVE_FORMAT = 'gridscope-workspace';
const DRAFT_FILE = 'draft.json';

/** workspace.json in a workspace file (version 1: the layers alone; 2: with draft.json) */
interface ArchiveHead {
  format: typeof ARCHIVE_FORMAT;
  version: 1 | 2;
  name: string;
  mappings: WorkspaceRow['mappings'];
  layers: { role: string; file: string; count: number; source: LayerRow['source'] }[];
  /** whether 户主 and phone were included */
  personal: boolean;
  /** how many of draft.json's edits are applied (the rest were undone) */
  editsDone?: number;
  /** the district's name, code and snapshot time, when the workspace was made from the demo */
  meta?: DemoMeta;
}

/** draft.json: the draft's history in order, and the saved versions (oldest first). */
interface ArchiveDraft {
  edits: Edit[];
  versions: Omit<VersionRow, 'workspaceId'>[];
}

const isSource = (s: unknown): s is LayerRow['source'] => {
  const o = s as LayerRow['source'] | null;
  return !!o && typeof o === 'object' && typeof o.file === 'string' && Array.isArray(o.notes) && o.notes.every((n) => !!n && typeof n.key === 'string' && (n.values === undefined || (typeof n.values === 'object' && n.values !== null)));
};

const isMeta = (m: unknown): m is DemoMeta => {
  const o = m as DemoMeta | null;
  return !!o && typeof o === 'object' && typeof o.district_code === 'string' && typeof o.district_name === 'string' && typeof o.as_of === 'string'
    && typeof o.seed === 'number' && !!o.counts && typeof o.counts === 'object';
};

function newRow(name: string): WorkspaceRow {
  const now = Date.now();
  return { id: newId(now), name, createdAt: now, updatedAt: now, mappings: {} };
}

const newId = (now: number) => `ws-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;


