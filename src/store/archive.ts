// The workspace file (.gridscope): a zip of workspace.json, one file per layer and draft.json
// (the draft's edits, how many are applied, the saved versions). Read and written here without
// a database, so the browser's IndexedDB, the page on an office server and the server itself
// all share one format and one set of checks.
import { strFromU8, strToU8, zipSync } from 'fflate';
import { safeUnzip } from '../io/zip';
import { PartError } from '../io/fileError';
import { geoColumnsFromJSON, geoColumnsToJSON, packColumn, unpackColumn, type GeoColumns } from './geoColumns';
import { casesOfRow, storedCases, type LayerRow, type VersionRow, type WorkspaceRow } from './db';
import { checkHistory, checkLayer, checkMappings, checkVersions } from './checkStored';
import { withoutPersonal, isPersonalKey } from '../io/layers';
import { caseColumnsFromJSON, caseColumnsToJSON } from '../workspace/caseTable';
import { maskAny } from '../domain/privacy';
import type { Edit } from '../plan/types';
import type { DemoMeta } from '../domain/types';

export const WORKSPACE_ROLES = ['boundaries', 'grids', 'buildings', 'households', 'cases', 'roads', 'water'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

const ARCHIVE_FORMAT = 'gridscope-workspace';
const DRAFT_FILE = 'draft.json';

/** workspace.json in a workspace file (version 1: the layers alone; 2: with draft.json) */
interface ArchiveHead {
  format: typeof ARCHIVE_FORMAT;
  version: 1 | 2;
  name: string;
  mappings: WorkspaceRow['mappings'];
  layers: { role: string; file: string; count: number; source: LayerRow['source'] }[];
  /** whether 户主 and phone were included (true), left out (false) or masked ('masked': 张*, 138****1234) */
  personal: boolean | 'masked';
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

export type ArchiveLayer = Pick<LayerRow, 'role' | 'geo' | 'cases' | 'count' | 'source'>;

/** What a workspace file holds, checked. */
export interface Archive {
  /** the name it gives itself (else the file's name) */
  name: string;
  mappings: WorkspaceRow['mappings'];
  meta?: DemoMeta;
  layers: ArchiveLayer[];
  edits: Edit[];
  /** undefined for a version 1 file (no draft) */
  editsDone?: number;
  versions: Omit<VersionRow, 'workspaceId'>[];
  personal: boolean | 'masked';
}

/** Personal data: true kept, false left out, 'masked' kept masked (the server sends it so to roles that may not see it). */
export type PersonalData = boolean | 'masked';

/** A workspace file as bytes. */
export function writeArchive(a: Omit<Archive, 'personal' | 'versions'> & { versions: Omit<VersionRow, 'workspaceId'>[]; includePersonal: PersonalData }): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const layers = a.layers.filter((r) => r.geo || r.cases).map((r) => {
    const file = `${r.role}.${r.cases ? 'columns' : 'geo'}.json`;
    files[file] = strToU8(r.cases ? caseColumnsToJSON(casesOfRow(r.cases)) : geoColumnsToJSON(personalOf(r.geo!, a.includePersonal)));
    return { role: r.role, file, count: r.count, source: r.source };
  });
  const draft: ArchiveDraft = {
    edits: a.edits,
    versions: [...a.versions].sort((x, y) => x.createdAt - y.createdAt).map(({ id, name, createdAt, grids }) => ({ id, name, createdAt, grids })),
  };
  files[DRAFT_FILE] = strToU8(JSON.stringify(draft));
  const head: ArchiveHead = {
    format: ARCHIVE_FORMAT, version: 2, name: a.name, mappings: a.mappings, layers, personal: a.includePersonal,
    editsDone: Math.min(a.editsDone ?? a.edits.length, a.edits.length), ...(a.meta ? { meta: a.meta } : {}),
  };
  return zipSync({ 'workspace.json': strToU8(JSON.stringify(head, null, 1)), ...files }, { level: 6 });
}

function personalOf(geo: GeoColumns, personal: PersonalData): GeoColumns {
  if (personal === true) return geo;
  if (personal === false) return { ...geo, props: withoutPersonal(geo.props) as GeoColumns['props'] };
  const props: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(geo.props)) {
    if (!isPersonalKey(k)) { props[k] = col; continue; }
    const values = unpackColumn(col as Parameters<typeof unpackColumn>[0]) ?? [];
    props[k] = packColumn(values.map((v) => (v === null || v === undefined || v === '' ? v : maskAny(String(v)))));
  }
  return { ...geo, props: props as GeoColumns['props'] };
}

/**
 * A workspace file read and checked in full: every part is checked (a PartError naming it and
 * what is wrong) before anything is used.
 */
export function readArchive(bytes: Uint8Array, fileName: string): Archive {
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
  const name = typeof head.name === 'string' && head.name.trim() ? head.name.trim() : fileName;
  const layers: ArchiveLayer[] = [];
  const roles = new Set<string>();
  for (const l of head.layers as unknown[]) {
    const { role, file, count, source } = (l ?? {}) as ArchiveHead['layers'][number];
    if (!(WORKSPACE_ROLES as readonly string[]).includes(role)) throw new PartError('ws_layer_unknown', { role: String(role).slice(0, 40) });
    if (roles.has(role)) throw new PartError('ws_layer_twice', { role });
    roles.add(role);
    if (typeof file !== 'string' || !entry(file)) throw new PartError('ws_part_missing', { part: typeof file === 'string' ? file : `${role}.geo.json` });
    const text = strFromU8(entry(file)!);
    const layer: ArchiveLayer = { role, count: 0, source: isSource(source) ? source : { file, notes: [] } };
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
  let versions: Archive['versions'] = [];
  let editsDone: number | undefined;
  if (head.version === 2) {
    const d = json(DRAFT_FILE, 'ws_part_json') as Partial<ArchiveDraft> | null;
    if (!d || typeof d !== 'object' || !Array.isArray(d.edits) || !Array.isArray(d.versions)) throw new PartError('ws_part_json', { part: DRAFT_FILE });
    const h = checkHistory({ edits: d.edits, done: head.editsDone }, DRAFT_FILE);
    checkVersions(d.versions, DRAFT_FILE);
    editsDone = h.done;
    edits = h.edits;
    versions = d.versions.map((v) => ({ id: v.id, name: v.name, createdAt: v.createdAt, grids: v.grids }));
  }
  const personal = head.personal === true || head.personal === 'masked' ? head.personal : false;
  return { name, mappings, ...(isMeta(head.meta) ? { meta: head.meta } : {}), layers, edits, editsDone, versions, personal };
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
