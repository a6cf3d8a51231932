// Named workspaces in IndexedDB: each layer of a district saved as columns (typed arrays).
// A save is one transaction: it lands whole or not at all, so a full disk loses nothing
// that was already saved.
import type { Feature } from 'geojson';
import { fromGeoColumns, geoColumnsFromJSON, geoColumnsToJSON, toGeoColumns, type GeoColumns } from './geoColumns';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { safeUnzip } from '../io/zip';
import { casesOfRow, storedCases, type GridScopeDB, type LayerRow, type WorkspaceRow } from './db';
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

  /** A workspace's row and its layers' rows as stored (columns; nothing decoded). */
  async read(workspaceId: string): Promise<{ workspace: WorkspaceRow; rows: LayerRow[] }> {
    const workspace = await this.db.workspaces.get(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    return { workspace, rows: await this.db.layers.where('workspaceId').equals(workspaceId).toArray() };
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
   * The whole workspace as one file (a zip: workspace.json plus one file per layer).
   * 户主 and phone are left out of it unless `includePersonal`.
   */
  async exportArchive(workspaceId: string, { includePersonal = false } = {}): Promise<Uint8Array> {
    const workspace = await this.db.workspaces.get(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    const rows = await this.db.layers.where('workspaceId').equals(workspaceId).toArray();
    const files: Record<string, Uint8Array> = {};
    const layers = rows.map((r) => {
      const file = `${r.role}.${r.cases ? 'columns' : 'geo'}.json`;
      const geo = r.geo && !includePersonal ? { ...r.geo, props: withoutPersonal(r.geo.props) as GeoColumns['props'] } : r.geo;
      files[file] = strToU8(r.cases ? caseColumnsToJSON(casesOfRow(r.cases)) : geoColumnsToJSON(geo!));
      return { role: r.role, file, count: r.count, source: r.source };
    });
    const head: ArchiveHead = { format: ARCHIVE_FORMAT, version: 1, name: workspace.name, mappings: workspace.mappings, layers, personal: includePersonal };
    return zipSync({ 'workspace.json': strToU8(JSON.stringify(head, null, 1)), ...files }, { level: 6 });
  }

  /**
   * A workspace file back as a new workspace (one already there is never overwritten; a
   * name in use gets a number). All of it is saved in one transaction, or none of it.
   */
  async importArchive(bytes: Uint8Array, fileName: string): Promise<WorkspaceRow> {
    const fail = (why: string): never => { throw new Error(`${fileName}: ${why}`); };
    let entries: Record<string, Uint8Array> = {};
    try { entries = safeUnzip(bytes); } catch (e) { fail((e as Error).message === 'not a readable zip archive' ? 'not a GridScope workspace file (not a zip)' : (e as Error).message); }
    if (!entries['workspace.json']) fail('not a GridScope workspace file (no workspace.json)');
    let head: ArchiveHead | null = null;
    try { head = JSON.parse(strFromU8(entries['workspace.json'])) as ArchiveHead; } catch { fail('workspace.json is not valid JSON'); }
    if (head?.format !== ARCHIVE_FORMAT || !Array.isArray(head.layers)) fail('workspace.json is not a GridScope workspace description');
    const names = new Set((await this.list()).map((w) => w.name));
    let name = String(head!.name || fileName);
    for (let k = 2; names.has(name); k++) name = `${head!.name} (${k})`;
    const now = Date.now();
    const row: WorkspaceRow = { id: newId(now), name, createdAt: now, updatedAt: now, mappings: head!.mappings ?? {} };
    const layers: LayerRow[] = [];
    for (const l of head!.layers) {
      if (!(WORKSPACE_ROLES as readonly string[]).includes(l.role)) fail(`layer "${l.role}" is not a layer GridScope knows`);
      const body = entries[l.file] ?? fail(`${l.file} is missing`);
      const layer: LayerRow = { key: `${row.id}:${l.role}`, workspaceId: row.id, role: l.role, count: l.count, source: l.source, savedAt: now };
      try {
        if (l.file.endsWith('.columns.json')) layer.cases = storedCases(caseColumnsFromJSON(strFromU8(body)));
        else layer.geo = geoColumnsFromJSON(strFromU8(body));
      } catch (e) {
        fail(`${l.file}: ${(e as Error).message}`);
      }
      const n = layer.cases?.count ?? layer.geo?.count;
      if (n !== l.count) fail(`${l.file} holds ${n} features, workspace.json says ${l.count}`);
      layers.push(layer);
    }
    try {
      await this.db.transaction('rw', this.db.workspaces, this.db.layers, async () => {
        await this.db.workspaces.add(row);
        await this.db.layers.bulkPut(layers);
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

/** workspace.json in a workspace file */
interface ArchiveHead {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  name: string;
  mappings: WorkspaceRow['mappings'];
  layers: { role: string; file: string; count: number; source: LayerRow['source'] }[];
  /** whether 户主 and phone were included */
  personal: boolean;
}

function newRow(name: string): WorkspaceRow {
  const now = Date.now();
  return { id: newId(now), name, createdAt: now, updatedAt: now, mappings: {} };
}

const newId = (now: number) => `ws-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;


