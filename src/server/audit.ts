// The audit trail: one append-only table (gs_audit) of who did what and when — logins (failed
// ones too), edits, submissions, approvals, returns, publications, imports, exports, and every
// look at personal data (which record, and the reason given; never the values themselves).
// Written in the same transaction as what it records where there is one.
import type { Sql } from './store';

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
