// What a workspace holds, checked before anything is made of it — on the way in from a
// .gridscope file and again when a stored workspace is opened (one saved by an older or buggy
// version, or by hand): each layer's columns add up and hold what its role allows, the draft's
// edits are numbered 1..n with grids that are polygons, the versions are versions. A failure is
// a PartError naming the part and what is wrong; nothing is half-opened.
import { PartError } from '../io/fileError';
import { checkGeoColumns, checkPropColumn, KIND_NAMES, unpackColumn, type GeoColumns } from './geoColumns';
import { checkCaseColumns, type CaseColumns } from '../workspace/caseTable';
import type { LayerRow, VersionRow, WorkspaceRow } from './db';
import type { Edit, EditType } from '../plan/types';
import type { History } from '../plan/history';

/** The geometry kinds (indices into KIND_NAMES) each layer may hold. */
const KINDS_OF: Record<string, number[]> = {
  boundaries: [2, 3], grids: [2, 3], buildings: [2, 3], households: [0, 1], roads: [2, 3, 4, 5], water: [2, 3, 4, 5],
};
/** Properties that must be text where a feature has them (what the importer makes them). */
const TEXT_OF: Record<string, string[]> = {
  boundaries: ['code', 'parent_code'], grids: ['code', 'community_code', 'parent_code'], buildings: ['id'], households: ['id', 'building_id'],
};
const GRID_KINDS = ['base', 'dedicated'];
const LEVELS = ['district', 'street', 'community'];

/** A layer's columns, for its role: cases as case columns, the rest as geometry columns of the kinds the role holds. */
export function checkLayer(role: string, body: Pick<LayerRow, 'geo' | 'cases'>, part: string): void {
  if (role === 'cases') {
    if (!body.cases || body.geo) throw new PartError('ws_col_missing', { part, column: 'cases' });
    for (const k of ['ids', 'addresses', 'descriptions'] as const) {
      const col = body.cases[k];
      checkPropColumn(col, body.cases.count, part, k);
      if (Array.isArray(col)) col.forEach((v, i) => { if (typeof v !== 'string') throw new PartError('ws_col_value', { part, column: k, at: i }); });
    }
    // (the texts are not unpacked: 400,000 strings each, and the checks need none of them)
    checkCaseColumns(body.cases as unknown as CaseColumns, part);
    return;
  }
  const c = body.geo;
  if (!c || body.cases) throw new PartError('ws_col_missing', { part, column: 'geo' });
  checkGeoColumns(c, part);
  const allowed = KINDS_OF[role];
  const ok = new Uint8Array(KIND_NAMES.length);
  for (const k of allowed) ok[k] = 1;
  for (let i = 0; i < c.count; i++) {
    if (ok[c.kinds[i]]) continue;
    const list = allowed.filter((k) => k > 0).map((k) => KIND_NAMES[k]).join(', ');
    throw c.kinds[i] === 0 ? new PartError('ws_no_geometry', { part, at: i + 1, allowed: list }) : new PartError('ws_kind_role', { part, at: i + 1, kind: KIND_NAMES[c.kinds[i]]!, allowed: list });
  }
  checkProps(role, c, part);
}

function checkProps(role: string, c: GeoColumns, part: string) {
  const values = (k: string) => (Object.hasOwn(c.props, k) ? unpackColumn(c.props[k]) : undefined);
  const present = (v: unknown) => v !== undefined && v !== null;
  for (const k of TEXT_OF[role] ?? []) {
    const col = Object.hasOwn(c.props, k) ? c.props[k] : undefined;
    // a packed text column is text by construction: not unpacked (a city's ids cost a read each)
    if (col === undefined || (!Array.isArray(col) && col.packed === 'string')) continue;
    (Array.isArray(col) ? col : unpackColumn(col)!).forEach((v, i) => { if (present(v) && typeof v !== 'string') throw new PartError('ws_code_text', { part, column: k, at: i + 1 }); });
  }
  const kinds = role === 'grids' ? values('kind') : undefined;
  kinds?.forEach((v, i) => { if (present(v) && !GRID_KINDS.includes(v as string)) throw new PartError('ws_grid_kind', { part, at: i + 1, value: String(v).slice(0, 40) }); });
  const levels = role === 'boundaries' ? values('level') : undefined;
  levels?.forEach((v, i) => { if (present(v) && !LEVELS.includes(v as string)) throw new PartError('ws_boundary_level', { part, at: i + 1, value: String(v).slice(0, 40) }); });
}

/** The kinds of edit there are (a new kind that is not listed here does not compile). */
const EDIT_TYPES: Record<EditType, true> = {
  move_vertex: true, insert_vertex: true, remove_vertex: true, split: true, merge: true, draw: true, delete: true,
  hand_buildings: true, lock: true, renumber: true, restore: true, proposal: true, undo: true,
};

/** A grid as an edit or a version holds it: a Feature with a text code and a valid GeoJSON Polygon or MultiPolygon. */
export function isGridFeature(g: unknown): boolean {
  const f = g as { type?: unknown; properties?: { code?: unknown }; geometry?: { type?: unknown; coordinates?: unknown } } | null;
  if (!f || typeof f !== 'object' || f.type !== 'Feature' || !f.properties || typeof f.properties !== 'object' || typeof f.properties.code !== 'string') return false;
  const geom = f.geometry;
  if (!geom || typeof geom !== 'object') return false;
  // a linear ring, as GeoJSON has it: four positions or more, closed, each of finite numbers
  const position = (p: unknown) => Array.isArray(p) && p.length >= 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x));
  const ring = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(position) && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
  const polygon = (p: unknown) => Array.isArray(p) && p.every(ring);
  if (geom.type === 'Polygon') return polygon(geom.coordinates);
  if (geom.type === 'MultiPolygon') return Array.isArray(geom.coordinates) && geom.coordinates.every(polygon);
  return false;
}

/** A draft's history: edits numbered 1..n in order, of known kinds, with grids before and after; done within 0..n. */
export function checkHistory(h: { edits: unknown[]; done: unknown }, part: string): History {
  h.edits.forEach((x, i) => {
    const e = x as Partial<Edit> | null;
    if (!e || typeof e !== 'object' || e.seq !== i + 1) throw new PartError('ws_edit_seq', { part, at: i + 1, seq: String(e && typeof e === 'object' ? e.seq : e).slice(0, 20) });
    const type = (e.op as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string' || !Object.hasOwn(EDIT_TYPES, type)) throw new PartError('ws_edit_op', { part, seq: i + 1, type: String(type).slice(0, 40) });
    const c = e.change;
    if (!c || !Array.isArray(c.before) || !Array.isArray(c.after)) throw new PartError('ws_edit_grid', { part, seq: i + 1, at: 0 });
    [...c.before, ...c.after].forEach((g, k) => { if (!isGridFeature(g)) throw new PartError('ws_edit_grid', { part, seq: i + 1, at: k + 1 }); });
  });
  const n = h.edits.length;
  if (typeof h.done !== 'number' || !Number.isInteger(h.done) || h.done < 0 || h.done > n) throw new PartError('ws_edits_done', { part, done: String(h.done).slice(0, 20), total: n });
  return h as History;
}

/** Saved versions: each an id, a name, a time, and grids. */
export function checkVersions(vs: unknown[], part: string): void {
  vs.forEach((x, i) => {
    const v = x as Partial<VersionRow> | null;
    const ok = !!v && typeof v === 'object' && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.createdAt === 'number' && Number.isFinite(v.createdAt)
      && Array.isArray(v.grids) && v.grids.every(isGridFeature);
    if (!ok) throw new PartError('ws_version_bad', { part, at: i + 1 });
  });
}

/** The remembered mappings: per layer, canonical field → column name. */
export function checkMappings(m: unknown, part: string): WorkspaceRow['mappings'] {
  const table = (o: unknown) => !!o && typeof o === 'object' && !Array.isArray(o);
  if (!table(m) || !Object.values(m as object).every((x) => table(x) && Object.values(x as object).every((v) => typeof v === 'string'))) throw new PartError('ws_mappings', { part });
  return m as WorkspaceRow['mappings'];
}
