// IndexedDB through Dexie: the console's settings (language, layers), the workspaces
// (src/store/workspaces.ts) and their drafts: edit history and named versions (src/store/drafts.ts).
import Dexie, { type EntityTable } from 'dexie';
import type { CaseColumns } from '../workspace/caseTable';
import { packColumn, unpackColumn, type GeoColumns, type PackedColumn } from './geoColumns';

export interface SettingRow {
  key: string;
  value: unknown;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** canonical field → file column, per layer, as the user last confirmed it */
  mappings: Record<string, Record<string, string>>;
  /** how many edits of its draft history are applied (the rest were undone); absent = all */
  editsDone?: number;
  /** how many writes its draft has had (absent = none): a write based on an older one is refused */
  draftRev?: number;
  /** the district's name, code and snapshot time, kept when a workspace is made from the demo */
  meta?: import('../domain/types').DemoMeta;
}

/** One edit of a workspace's draft: the operation and the grids before and after it. */
export interface EditRow {
  workspaceId: string;
  seq: number;
  edit: import('../plan/types').Edit;
}

/** A named version of a workspace's grids ("published", "draft 2026-12"). */
export interface VersionRow {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: number;
  grids: import('../domain/types').GridFeature[];
}

/**
 * One row per layer, not per feature: the features stored as typed-array columns keep a
 * district of 200,000 buildings to one read that IndexedDB copies at memory speed.
 */
export interface LayerRow {
  /** `${workspaceId}:${role}` */
  key: string;
  workspaceId: string;
  role: string;
  /** the features as columns: coordinates in typed arrays, one array per property */
  geo?: GeoColumns;
  /** cases, as columns (hundreds of thousands reopen without making an object each); their texts packed */
  cases?: StoredCases;
  count: number;
  /** where it came from and what was done to it (file name; notes as i18n keys, shown in the reader's language) */
  source: { file: string; notes: Note[] };
  savedAt: number;
}

/** Cases as a row keeps them: CaseColumns with their texts packed (one string each: IndexedDB copies it at once). */
export type StoredCases = Omit<CaseColumns, 'ids' | 'addresses' | 'descriptions'> & {
  ids: string[] | PackedColumn;
  addresses: string[] | PackedColumn;
  descriptions: string[] | PackedColumn;
};

/** Cases packed for a row. */
export function storedCases(c: CaseColumns): StoredCases {
  return { ...c, ids: packColumn(c.ids) as StoredCases['ids'], addresses: packColumn(c.addresses) as StoredCases['addresses'], descriptions: packColumn(c.descriptions) as StoredCases['descriptions'] };
}

/** A row's cases as columns (rows saved before the texts were packed hold them as they are). */
export function casesOfRow(s: StoredCases): CaseColumns {
  const text = (col: string[] | PackedColumn) => (unpackColumn(col) ?? []) as string[];
  return { ...s, ids: text(s.ids), addresses: text(s.addresses), descriptions: text(s.descriptions) };
}

/** A message to show later, as an i18n key and its values. */
export interface Note {
  key: string;
  values?: Record<string, string | number>;
}

export class GridScopeDB extends Dexie {
  settings!: EntityTable<SettingRow, 'key'>;
  workspaces!: EntityTable<WorkspaceRow, 'id'>;
  layers!: EntityTable<LayerRow, 'key'>;
  edits!: Dexie.Table<EditRow, [string, number]>;
  versions!: EntityTable<VersionRow, 'id'>;
  constructor(name = 'gridscope') {
    super(name);
    this.version(1).stores({ settings: 'key' });
    this.version(2).stores({ settings: 'key', workspaces: 'id, name', layers: 'key, workspaceId' });
    this.version(3).stores({ settings: 'key', workspaces: 'id, name', layers: 'key, workspaceId', edits: '[workspaceId+seq], workspaceId', versions: 'id, workspaceId' });
  }
}

export const db = new GridScopeDB();

export async function loadSetting<T>(key: string, fallback: T): Promise<T> {
  try {
    const row = await db.settings.get(key);
    return row ? (row.value as T) : fallback;
  } catch (e) {
    console.warn(`settings: could not read "${key}"`, e); // storage disabled: the console still works
    return fallback;
  }
}

export async function saveSetting(key: string, value: unknown): Promise<void> {
  try {
    await db.settings.put({ key, value });
  } catch (e) {
    console.warn(`settings: could not save "${key}"`, e);
  }
}
