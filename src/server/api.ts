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
//   POST   /api/districts/:id/reveal  { reason, records }   auditor, admin: RevealAnswer — the personal columns
//                                              unmasked of those households (1–200 ids); one audit entry per record
//   POST   /api/districts/:id/exported  { kind, file? }  any role: the page wrote an export file of it (kind:
//                                              [a-z_]{1,30}; file: its name, ≤ 200); on record as an export; 204
//   GET    /api/audit?user&kind&from&to&grid&district&limit   admin, auditor: AuditEntry[], newest first (from/to:
//                                              YYYY-MM-DD, China time, inclusive; limit ≤ 10000, default 1000);
//                                              &format=csv[&lang=en]: the same as a CSV download (itself an export entry)
//                                              No route changes or deletes an entry (and the database refuses it).
//
// From draft to published plan (issue 23). The published plan is what the wall, the operators
// and case assignment show; the draft (the shared log above) is the office's working plan.
//   GET    /api/districts/:id/file?view=V        V = draft (default) | published | published:N | plan:P — the
//                                              district as a .gridscope file whose grids are that view's
//                                              (no edits but the draft's); its versions = the published ones,
//                                              ids `published:N` (compareWithVersion('published:N') on the page)
//   GET    /api/districts/:id/published          PublishedInfo[] (number ascending; 1 = the grids as imported)
//   GET    /api/districts/:id/plans              PlanInfo[] (newest first)
//   POST   /api/districts/:id/plans  { note, effective }   planner, admin: PlanInfo (201) — the draft's changes
//                                              (in the caller's scope) against the published plan; 422 no_changes
//   GET    /api/districts/:id/plans/:pid         PlanDetail
//   POST   …/plans/:pid/resubmit { note?, effective? }   its author: the draft's changes in scope now, against
//                                              the published plan now (a returned or stale plan brought up to date)
//   POST   …/plans/:pid/comments { text, grid?, lonLat? }  reviewer, admin, its author: PlanComment (201)
//   POST   …/plans/:pid/return   { reason }      reviewer, admin (not its author): PlanInfo
//   POST   …/plans/:pid/withdraw                 its author: PlanInfo
//   POST   …/plans/:pid/approve  { confirm? }    reviewer, admin (not its author): PublishedInfo (201);
//                                              409 plan_stale, 409 plan_findings { gaps, overlaps } unless confirm
//   Events on …/events besides 'edit': 'published' (PublishedInfo), 'plan' (PlanInfo)
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
  /** an AuditKind (src/server/audit.ts) */
  action: string;
  detail: string;
  district: string | null;
  grids: string[];
  record: string | null;
}

/** The personal columns of the households asked for (ids in the order asked, those the district has); `unknown`: ids it has not. */
export interface RevealAnswer {
  ids: string[];
  columns: Record<string, unknown[]>;
  unknown: string[];
}

export type PlanStatus = 'submitted' | 'returned' | 'approved' | 'withdrawn';

/** A plan submitted for review: the draft's changes to some grids, against one published version. */
export interface PlanInfo {
  id: number;
  /** as shown and printed: 方案 2026-003 (year of submission, then the district's plan count) */
  number: string;
  author: string;
  note: string;
  /** the author's scope when it was submitted (codes; empty: the whole district) */
  scope: string[];
  status: PlanStatus;
  /** 1, then one more each time it is brought up to date (resubmitted) */
  revision: number;
  /** the published version's number it was drawn against */
  base: number;
  /** the day it takes effect, YYYY-MM-DD */
  effective: string;
  submittedAt: number;
  /** the grid codes it changes (added, removed or reshaped) */
  codes: string[];
  /** renumbering in the plan: [old code, new code] */
  renumber: [string, string][];
  decidedBy: string | null;
  decidedAt: number | null;
  /** why it was returned */
  reason: string | null;
  /** the published version it became */
  published: number | null;
  /** the published plan changed since it was drawn: it cannot be approved until resubmitted */
  stale: boolean;
}

export interface PlanComment {
  id: number;
  plan: number;
  revision: number;
  by: string;
  at: number;
  text: string;
  /** the grid it is pinned on, if any */
  grid: string | null;
  /** the place on the map it is pinned at, if any */
  lonLat: [number, number] | null;
}

export interface PlanDetail extends PlanInfo {
  /** the plan's grids for its codes (a code without one here is removed by the plan) */
  after: import('../domain/types').GridFeature[];
  comments: PlanComment[];
  /** coverage findings with the plan applied, and how many more than in the published plan */
  findings: { gaps: number; overlaps: number; newGaps: number; newOverlaps: number };
}

/** A grid's life in the published plans: from the day a plan created it until one removed it. */
export interface GridLife {
  code: string;
  name: string;
  start: string;
  end: string | null;
}

/** A published version: never changed once made. */
export interface PublishedInfo {
  number: number;
  /** the plan it came from (null: the grids as imported) */
  plan: number | null;
  planNumber: string | null;
  approvedBy: string;
  approvedAt: number;
  effective: string;
  note: string;
  renumber: [string, string][];
  /** every grid that ever was in a published version, with its dates */
  lifecycle: GridLife[];
}

/** Which grids a server district is opened with: the shared draft (editable), the published plan, one published version, one plan (read-only). */
export type ServerView = 'draft' | 'published' | `published:${number}` | `plan:${number}`;

/** The view a role opens a district in first: the wall's and the operators' is the published plan. */
export const FIRST_VIEW: Record<Role, ServerView> = { admin: 'draft', planner: 'draft', reviewer: 'draft', operator: 'published', auditor: 'published' };

/** Whether a role may edit grids at all (a planner within their scope). */
export const EDITS: Record<Role, boolean> = { admin: true, planner: true, reviewer: false, operator: false, auditor: false };

/** The id of the version every district and workspace has: its grids as imported (added to the server). */
export const IMPORTED = 'imported';
