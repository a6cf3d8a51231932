// The office server's HTTP API, as the page and the server both see it (types only; no code
// runs from here). Every route is under /api/; answers are JSON; a refusal is
// { code, values } with an i18n key under plan.errors or server.errors.
//
//   GET    /api/health                         no login: { ok, server: 'gridscope', store }
//   POST   /api/login      { name, password }  sets the session cookie; 401 bad_login, 429 too_many
//   POST   /api/logout                         clears it
//   GET    /api/me                             Me, or 401
//   GET    /api/users                          admin: User[]
//   POST   /api/users      NewUser             admin
//   PATCH  /api/users/:name  Partial<NewUser>  admin (password, role, scope, disabled)
//   GET    /api/districts                      DistrictInfo[]
//   POST   /api/districts  (body: a .gridscope file, application/zip)   admin: DistrictInfo (201)
//   GET    /api/districts/:id/file             the district as a .gridscope file: its layers (personal data
//                                              masked), draft.json holding the server's log as edits (all applied)
//                                              and the versions; header X-GridScope-Seq: the last edit's number
//   GET    /api/districts/:id/edits?after=N    EditEvent[] after N (catching up)
//   GET    /api/districts/:id/events           server-sent events: 'edit' (EditEvent, id = seq) after
//                                              Last-Event-ID (or ?after=N); 'hello' { seq } first
//   POST   /api/districts/:id/edits  EditRequest   planner in scope, admin: EditAck; 409 edit_conflict,
//                                              403 out_of_scope / read_only_role, 422 a plan error
//   GET    /api/districts/:id/versions          VersionInfo[];  POST { name } planner/admin
//   GET    /api/districts/:id/versions/:vid     GridFeature[]
//   POST   /api/districts/:id/reveal  { reason }   auditor, admin: the personal columns unmasked; logged
//   GET    /api/audit                           admin, auditor: AuditEntry[]
import type { Edit, EditOp } from '../plan/types';

export const ROLES = ['admin', 'planner', 'reviewer', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Me {
  name: string;
  role: Role;
  /** a planner's streets and communities (codes); empty = the whole district */
  scope: string[];
}

export interface User extends Me {
  createdAt: number;
  disabled: boolean;
}

export interface NewUser {
  name: string;
  password: string;
  role: Role;
  scope?: string[];
}

export interface DistrictInfo {
  id: string;
  name: string;
  /** the last edit's number */
  seq: number;
  updatedAt: number;
}

/** An edit as the page sends it: the operation, and the last edit it had seen (its view). */
export interface EditRequest {
  op: EditOp;
  base: number;
}

/** An edit committed: its number, who made it, the change the server made. */
export type EditEvent = Edit & { by: string };

export interface EditAck {
  edit: EditEvent;
}

export interface Refusal {
  code: string;
  values: Record<string, string | number>;
}

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  detail: string;
}

/** Whether a role may edit grids at all (a planner within their scope). */
export const EDITS: Record<Role, boolean> = { admin: true, planner: true, reviewer: false, operator: false, auditor: false };

/** The id of the version every district and workspace has: its grids as imported (added to the server). */
export const IMPORTED = 'imported';
