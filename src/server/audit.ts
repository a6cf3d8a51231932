// The audit trail: one append-only table (gs_audit) of who did what and when — logins (failed
// ones too), edits, submissions, approvals, returns, publications, imports, exports, and every
// look at personal data (which record, and the reason given; never the values themselves).
// Written in the same transaction as what it records where there is one. Rows are never
// changed or deleted: the database refuses it (triggers in schema.ts), and no route does.
import type { AuditEntry } from './api';
import type { Sql } from './store';
import { toExcelCsv } from '../io/csv';
import type { Messages } from '../i18n/zh-CN';

export const AUDIT_KINDS = [
  'login', 'login_failed', 'logout', 'add_user', 'update_user',
  'import', 'export', 'edit', 'submit', 'resubmit', 'comment', 'return', 'withdraw', 'approve', 'publish', 'reveal',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditRecord {
  user: string;
  kind: AuditKind;
  district?: string | null;
  /** the grid codes it concerns */
  grids?: string[];
  /** which record it concerns (a plan's id, a household's id for a reveal, a file) */
  record?: string | null;
  /** a short text (a reason, a note); never personal values */
  detail?: string;
  at?: number;
}

export async function recordAudit(q: Sql, e: AuditRecord): Promise<void> {
  await q.query('INSERT INTO gs_audit (at, user_name, action, district_id, grids, record, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [e.at ?? Date.now(), e.user, e.kind, e.district ?? null, e.grids?.length ? `,${e.grids.join(',')},` : null, e.record ?? null, e.detail ?? '']);
}

/** Which entries an auditor asks for (GET /api/audit's query). */
export interface AuditFilter {
  user?: string;
  kind?: AuditKind;
  /** ms, inclusive */
  from?: number;
  /** ms, exclusive */
  to?: number;
  grid?: string;
  district?: string;
  limit: number;
}

export const AUDIT_LIMIT = 1000;
export const AUDIT_MAX = 10_000;
/** The office's day: the log's from/to dates are days in China time (UTC+8, no daylight saving), wherever the server's clock is set. */
const DAY_OFFSET_MS = 8 * 3600_000;
const QUERY_KEYS = ['user', 'kind', 'from', 'to', 'grid', 'district', 'limit', 'format', 'lang'];

/** The ms at which a YYYY-MM-DD day begins in China time; null when it is no real date. */
export function dayStart(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - DAY_OFFSET_MS;
}

/** A query's filter, or a message naming the parameter that is wrong (answered 400). */
export function auditFilter(query: Record<string, unknown>): AuditFilter | { problem: string } {
  const unknown = Object.keys(query).filter((k) => !QUERY_KEYS.includes(k));
  if (unknown.length) return { problem: `${unknown.join(', ')}: no such filter (filters: ${QUERY_KEYS.join(', ')})` };
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v !== 'string') return { problem: `${k}: given more than once` };
    if (v.length > 100) return { problem: `${k}: longer than 100 characters` };
    if (v !== '') text[k] = v;
  }
  const f: AuditFilter = { limit: AUDIT_LIMIT };
  if (text.user) f.user = text.user;
  if (text.district) f.district = text.district;
  if (text.kind) {
    if (!(AUDIT_KINDS as readonly string[]).includes(text.kind)) return { problem: `kind: no kind "${text.kind}" (kinds: ${AUDIT_KINDS.join(', ')})` };
    f.kind = text.kind as AuditKind;
  }
  if (text.grid) {
    if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(text.grid)) return { problem: `grid: "${text.grid}" is no grid code` };
    f.grid = text.grid;
  }
  for (const k of ['from', 'to'] as const) {
    if (!text[k]) continue;
    const start = dayStart(text[k]);
    if (start === null) return { problem: `${k}: "${text[k]}" is no date (YYYY-MM-DD)` };
    f[k] = k === 'from' ? start : start + 86_400_000;
  }
  if (f.from !== undefined && f.to !== undefined && f.from >= f.to) return { problem: `from: ${text.from} is after to: ${text.to}` };
  if (text.limit) {
    const n = Number(text.limit);
    if (!/^\d+$/.test(text.limit) || n < 1 || n > AUDIT_MAX) return { problem: `limit: "${text.limit}" is not a whole number from 1 to ${AUDIT_MAX}` };
    f.limit = n;
  }
  if (text.format && text.format !== 'csv' && text.format !== 'json') return { problem: `format: "${text.format}" (csv or json)` };
  if (text.lang && text.lang !== 'en' && text.lang !== 'zh-CN') return { problem: `lang: "${text.lang}" (zh-CN or en)` };
  return f;
}

/** The entries the filter selects, newest first. */
export async function listAudit(q: Sql, f: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (f.user !== undefined) add('user_name = ?', f.user);
  if (f.kind !== undefined) add('action = ?', f.kind);
  if (f.district !== undefined) add('district_id = ?', f.district);
  if (f.from !== undefined) add('at >= ?', f.from);
  if (f.to !== undefined) add('at < ?', f.to);
  // (grids are kept as ",a,b,": a code matches whole, never as part of a longer one)
  if (f.grid !== undefined) add("strpos(grids, ?) > 0", `,${f.grid},`);
  params.push(f.limit);
  const rows = await q.query<{ at: string; user_name: string; action: string; detail: string; district_id: string | null; grids: string | null; record: string | null }>(
    `SELECT at, user_name, action, detail, district_id, grids, record FROM gs_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`, params);
  return rows.map((r) => ({
    at: Number(r.at), user: r.user_name, action: r.action, detail: r.detail, district: r.district_id,
    grids: r.grids ? r.grids.split(',').filter(Boolean) : [], record: r.record,
  }));
}

/** A time as China time, YYYY-MM-DD HH:mm:ss (what the CSV's readers read). */
function chinaTime(at: number): string {
  return new Date(at + DAY_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The entries as CSV for Excel (UTF-8 with BOM), the header and kinds in the reader's language. */
export function auditCsv(entries: AuditEntry[], m: Messages): string {
  const h = m.audit.csv;
  const kinds = m.audit.kinds as Record<string, string>;
  return toExcelCsv([h.at, h.user, h.kind, h.district, h.grids, h.record, h.detail],
    entries.map((e) => [chinaTime(e.at), e.user, kinds[e.action] ?? e.action, e.district ?? '', e.grids.join(' '), e.record ?? '', e.detail]));
}
