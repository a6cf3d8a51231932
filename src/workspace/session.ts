// The one owner of an open district: its raw layers, a live CoverageChecker, the cases and
// the draft's edit history. An edit is applyEdit(op): planned by a pure operation (src/plan),
// applied to the checker in place (only what it touches is worked out again), written to the
// draft in IndexedDB, and answered with the grids, their totals and the report as they now
// are. A draft another tab writes is followed (follow: the stored draft's grids put in place)
// and not edited here (readOnly). Runs in the district worker; plain enough to test in Node.
import { CoverageChecker, type HouseholdColumns } from '../checks/engine';
import { withCaseFindings } from '../checks/cases';
import type { Report } from '../checks/report';
import type { GridStats, District } from '../domain/district';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { planEdit, type PlanContext } from '../plan/apply';
import { canRedo, canUndo, EMPTY_HISTORY, pushEdit, redo, replay, undo, type History } from '../plan/history';
import { PlanError, type Edit, type EditOp, type EditType, type GridChange } from '../plan/types';
import { EditRefused, planUndo, undoTarget } from '../plan/shared';
import { usableGrids } from '../checks/engine';
import { DraftConflict, type DraftStore } from '../store/drafts';
import { compareVersions, type Comparison, type Placed } from '../plan/compare';
import { planScores, type PlanScores } from '../plan/scores';
import { propose, type Proposal, type ProposalContext, type ProposalRequest } from './proposals';
import { assembleDistrict, checkInputOf, nowFor, statsOf, type RawLayers } from './assemble';
import { casesAt } from './caseTable';
import type { DistrictPreview } from './preview';
import { geomBBox } from '../checks/land';
import { CaseStatus } from '../domain/cases';

/** Where the draft stands, for the editor's buttons and the page's title. */
export interface DraftState {
  workspaceId: string | null;
  done: number;
  total: number;
  canUndo: boolean;
  canRedo: boolean;
  /** the edit undo would take back, and the one redo would make again */
  undoType: EditType | null;
  redoType: EditType | null;
  /** another tab of this browser is editing this draft: shown here as it goes, not edited */
  readOnly: boolean;
}

/** What changes on the page after an edit: the grids and everything placed in them. */
export interface GridView {
  grids: GridFeature[];
  gridStats: GridStats;
  report: Report;
  buildingGrid: Int32Array;
  householdGrid: Int32Array;
  /** each case's grid (the case table itself does not change with an edit) */
  caseGrid: Int32Array;
  /** codes of the grids the edit removed, added or reshaped */
  changed: string[];
  /** a renumbering's old → new codes */
  renamed?: [string, string][];
  draft: DraftState;
  /** milliseconds: planning the edit, updating the checks, saving it, the rest (report, cases) */
  timings: { plan: number; check: number; save: number; view: number };
}

export type ProposalAnswer = { ok: true; proposal: Proposal } | { ok: false; code: string; values: Record<string, string | number> };

export type EditAnswer = { ok: true; view: GridView } | Refusal;
export type Refusal = { ok: false; code: string; values: Record<string, string | number> };

/** Who makes an edit, and what must hold before it is made (the server's scope and conflict checks: throw EditRefused). */
export interface EditMeta {
  by?: string;
  guard?: (change: GridChange, edits: readonly Edit[]) => void;
}

export class DistrictSession {
  readonly raw: RawLayers;
  private readonly checker: CoverageChecker;
  private history: History;
  private workspaceId: string | null;
  /** the stored draft's revision this history is (each write must be based on it) */
  private rev: number;
  /** whether another tab holds the draft (src/workers/draftTabs.ts decides) */
  private readOnly = false;
  private readonly drafts: DraftStore | null;
  /** on a shared district (the office server), this account's name: the log is the server's, undo takes back one's own last edit */
  private readonly me: string | undefined;
  /** why edits are refused while read-only (another tab, a role that only reads, the server out of reach) */
  private readOnlyCode = 'other_tab';
  private limits: Record<string, number>;
  /** whether the cases are live (a feed is followed): judged against the clock */
  live = false;
  private readonly footprints: Map<string, AreaGeometry>;
  private readonly versions = new Map<string, GridFeature[]>();
  private households!: HouseholdColumns;
  private proposal: Proposal | null = null;
  /** each case's grid and status as last worked out, and the grids those positions are in */
  private placed!: { grid: Int32Array; status: Uint8Array; grids: GridFeature[] };

  private constructor(raw: RawLayers, checker: CoverageChecker, history: History, rev: number, workspaceId: string | null, drafts: DraftStore | null, limits: Record<string, number>, me?: string) {
    this.me = me;
    this.raw = raw;
    this.checker = checker;
    this.history = history;
    this.rev = rev;
    this.workspaceId = workspaceId;
    this.drafts = drafts;
    this.limits = limits;
    this.footprints = new Map(raw.buildings.map((b) => [String(b.properties.id), b.geometry]));
  }

  /**
   * Opens a district: the grids of its draft (the saved edits replayed on the grids as
   * imported) checked once, and the District the page draws.
   */
  static open(raw: RawLayers, o: { workspaceId?: string | null; history?: History & { rev?: number }; drafts?: DraftStore | null; limits?: Record<string, number>; clockMs?: number; onStage?: (s: string) => void; preview?: DistrictPreview; me?: string }) {
    const history = o.history ?? EMPTY_HISTORY;
    const grids = history.done > 0 ? replay(usableGrids(raw.grids), history) : raw.grids;
    const input = checkInputOf({ ...raw, grids });
    const checker = new CoverageChecker(input, undefined, o.onStage);
    const session = new DistrictSession(raw, checker, { edits: history.edits, done: history.done }, o.history?.rev ?? 0, o.workspaceId ?? null, o.drafts ?? null, o.limits ?? {}, o.me);
    session.households = input.households;
    const district: District = assembleDistrict(raw, o.clockMs ?? Date.now(), undefined, o.limits, checker, o.preview);
    session.placed = { grid: district.cases.grid.slice(), status: district.cases.status.slice(), grids: session.grids().slice() };
    return { session, district };
  }

  grids(): GridFeature[] {
    return this.checker.currentGrids();
  }

  /** Each household's grid as the checks place it now (the household → grid CSV). */
  assignment() {
    const { ids, buildingIds } = this.households;
    return { ids, buildingIds, householdGrid: this.checker.assignment().householdGrid, grids: this.grids() };
  }

  draft(): DraftState {
    const h = this.history;
    if (this.me !== undefined) { // shared: one's own last edit, no redo
      const own = undoTarget(h.edits.slice(0, h.done), this.me);
      return { workspaceId: this.workspaceId, done: h.done, total: h.edits.length, canUndo: own !== null, canRedo: false, undoType: own?.op.type ?? null, redoType: null, readOnly: this.readOnly };
    }
    return {
      workspaceId: this.workspaceId, done: h.done, total: h.edits.length, canUndo: canUndo(h), canRedo: canRedo(h),
      undoType: canUndo(h) ? h.edits[h.done - 1].op.type : null, redoType: canRedo(h) ? h.edits[h.done].op.type : null,
      readOnly: this.readOnly,
    };
  }

  /** The edits made so far, in order (a shared district's log). */
  edits(): readonly Edit[] {
    return this.history.edits.slice(0, this.history.done);
  }

  /** Edits need a workspace to be saved in: the demo is never changed, a copy is edited. */
  get editable() {
    return this.workspaceId !== null && this.drafts !== null;
  }

  /** Makes this session's district a workspace of its own (after the caller saved it) and edits that. */
  adopt(workspaceId: string) {
    this.workspaceId = workspaceId;
    this.history = EMPTY_HISTORY;
    this.rev = 0;
  }

  /** Another tab holds the draft (true), or `code` says why else: edits, undo and redo are refused here until it lets go. */
  setReadOnly(readOnly: boolean, code = 'other_tab') {
    this.readOnly = readOnly;
    this.readOnlyCode = code;
  }

  /**
   * The draft as stored now (another tab wrote it): its grids put in place of those held (only
   * the ones that differ are checked again) and its history taken; null when it has not moved.
   */
  follow(): Promise<GridView | null> {
    return this.serial(async () => {
      if (!this.editable) return null;
      const t0 = performance.now();
      const change = await this.syncStored(false);
      return change && this.view(change, [t0, t0, performance.now()]);
    });
  }

  /**
   * Other grids in place of those held, shown as they are: a read-only view following what it
   * views (the wall's published plan when a new version is published). Only the grids that
   * differ are checked again and only the cases near them located again — a city's wall is not
   * opened anew.
   */
  showGrids(grids: GridFeature[]): Promise<GridView> {
    return this.serial(async () => {
      const t0 = performance.now();
      const change = gridsDiff(this.grids(), grids);
      if (change.before.length || change.after.length) {
        this.checker.replaceGrids(change.before, change.after);
        this.proposal = null;
      }
      return this.view(change, [t0, t0, performance.now()]);
    });
  }

  /**
   * The stored draft's grids put in place of those held (only the ones that differ are checked
   * again) and its history taken; null when it has not moved (unless `always`).
   */
  private async syncStored(always: boolean): Promise<GridChange | null> {
    const stored = await this.drafts!.history(this.workspaceId!);
    if (stored.rev === this.rev && !always) return null;
    const history = { edits: stored.edits, done: stored.done };
    const change = gridsDiff(this.grids(), stored.grids ?? replay(usableGrids(this.raw.grids), history));
    if (change.before.length || change.after.length) {
      this.checker.replaceGrids(change.before, change.after);
      this.proposal = null; // worked out on grids no longer held
    }
    this.history = history;
    this.rev = stored.rev;
    return change;
  }

  setLimits(limits: Record<string, number>) {
    this.limits = limits;
  }

  /** A version's grids, for 'restore' (read by the caller from the store). */
  rememberVersion(id: string, grids: GridFeature[]) {
    this.versions.set(id, grids);
  }

  /** Edits one after another: each waits for the one before to be saved (a quick undo after a drag must not overtake it). */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  applyEdit(op: EditOp, meta: EditMeta = {}): Promise<EditAnswer> {
    return this.serial(async () => {
      const t0 = performance.now();
      const made = await this.make(op, meta);
      if (!made.ok) return made;
      let change = made.edit.change;
      if (this.me !== undefined) {
        // Shared: the log as the server holds it now (this edit, and any made before it was answered).
        const synced = await this.syncStored(true);
        if (synced) change = { before: [...change.before, ...synced.before], after: [...change.after, ...synced.after] };
      }
      const view = this.view(change, [t0, t0 + made.plan, t0 + made.plan + made.check]);
      if (op.type === 'renumber') view.renamed = made.edit.change.before.map((g, i) => [g.properties.code, made.edit.change.after[i].properties.code]);
      return { ok: true, view };
    });
  }

  /** An edit made and stored, without the page's view of it (the server's district session answers with the edit alone). */
  commit(op: EditOp, meta: EditMeta = {}): Promise<{ ok: true; edit: Edit } | Refusal> {
    return this.serial(async () => {
      const made = await this.make(op, meta);
      return made.ok ? { ok: true, edit: made.edit } : made;
    });
  }

  /** Plans the edit, checks what must hold, applies it to the checks and stores it; undone in the checks when it cannot be stored. */
  private async make(op: EditOp, meta: EditMeta): Promise<{ ok: true; edit: Edit; plan: number; check: number } | Refusal> {
    if (!this.editable) return { ok: false, code: 'not_editable', values: {} };
    if (this.readOnly) return { ok: false, code: this.readOnlyCode, values: {} };
    const by = meta.by ?? this.me;
    const t0 = performance.now();
    let change: GridChange;
    try {
      if (op.type === 'undo' && op.of === undefined) {
        const target = by === undefined ? null : undoTarget(this.edits(), by);
        if (!target) return { ok: false, code: 'nothing_to_undo', values: {} };
        op = { ...op, of: target.seq };
      }
      change = planEdit(this.grids(), op, this.context(by));
      meta.guard?.(change, this.edits());
    } catch (e) {
      if (e instanceof PlanError || e instanceof EditRefused) return { ok: false, code: e.code, values: e.values };
      throw e;
    }
    const t1 = performance.now();
    this.checker.replaceGrids(change.before, change.after);
    const t2 = performance.now();
    const next = pushEdit(this.history, { op, change, at: Date.now(), ...(by !== undefined ? { by } : {}) });
    const edit = next.edits[next.done - 1];
    try {
      this.rev = await this.drafts!.record(this.workspaceId!, edit, this.rev);
    } catch (e) {
      // Not saved: not made either (the page says why; the draft is as it was).
      this.checker.replaceGrids(change.after, change.before);
      return refusal(e);
    }
    this.history = next;
    return { ok: true, edit, plan: t1 - t0, check: t2 - t1 };
  }

  undo(): Promise<EditAnswer> {
    if (this.me !== undefined) return this.applyEdit({ type: 'undo' });
    return this.serial(() => this.step(undo(this.history)));
  }

  redo(): Promise<EditAnswer> {
    if (this.me !== undefined) return Promise.resolve({ ok: false, code: 'nothing_to_undo', values: {} });
    return this.serial(() => this.step(redo(this.history)));
  }

  private async step(s: ReturnType<typeof undo>): Promise<EditAnswer> {
    if (this.editable && this.readOnly) return { ok: false, code: this.readOnlyCode, values: {} };
    if (!s || !this.editable) return { ok: false, code: 'nothing_to_undo', values: {} };
    const t0 = performance.now();
    this.checker.replaceGrids(s.change.before, s.change.after);
    const t1 = performance.now();
    try {
      this.rev = await this.drafts!.setDone(this.workspaceId!, s.history.done, this.rev);
    } catch (e) {
      this.checker.replaceGrids(s.change.after, s.change.before);
      return refusal(e);
    }
    this.history = s.history;
    return { ok: true, view: this.view(s.change, [t0, t0, t1]) };
  }

  /** The cases located in the grids as they are now, judged as of now (live) or the snapshot. */
  casesNow() {
    const u = casesAt(this.raw.cases, this.grids(), this.live ? Date.now() : nowFor(this.raw.meta, Date.now()), this.limits);
    this.placed = { grid: u.cases.grid.slice(), status: u.cases.status.slice(), grids: this.grids().slice() };
    return u;
  }

  /**
   * The cases' grids after an edit: those inside the edit's box located again, the rest carried
   * over to their grid's new position (a city's 400,000 cases are not all located per edit).
   */
  private casesAfter(change: GridChange) {
    const grids = this.grids();
    const at = new Map(grids.map((g, i) => [g, i]));
    const moved = Int32Array.from(this.placed.grids, (g) => at.get(g) ?? -1);
    const [w, s, e, n] = boxOf(change);
    const { positions } = this.raw.cases;
    const old = this.placed.grid, status = this.placed.status;
    const grid = new Int32Array(old.length);
    const open = new Int32Array(grids.length), overdue = new Int32Array(grids.length);
    for (let i = 0; i < old.length; i++) {
      const x = positions[2 * i], y = positions[2 * i + 1];
      const g = x >= w && x <= e && y >= s && y <= n ? this.checker.locate(x, y) : old[i] >= 0 ? moved[old[i]] : -1;
      grid[i] = g;
      if (g < 0 || status[i] === CaseStatus.closed) continue;
      open[g]++;
      if (status[i] === CaseStatus.overdue) overdue[g]++;
    }
    this.placed = { grid: grid.slice(), status, grids: grids.slice() };
    return { grid, open, overdue };
  }

  /** `t`: when planning started, when the checks started, when the save started. */
  private view(change: GridChange, [t0, t1, t2]: number[]): GridView {
    const t3 = performance.now();
    const grids = this.grids().slice();
    const cases = this.casesAfter(change);
    const { ids, positions } = this.raw.cases;
    const report = withCaseFindings(this.checker.report(), { ids, positions, grid: cases.grid });
    const a = this.checker.assignment();
    const view: GridView = {
      grids, gridStats: statsOf(report, cases.open, cases.overdue), report, caseGrid: cases.grid,
      buildingGrid: a.buildingGrid.slice(), householdGrid: a.householdGrid.slice(),
      changed: [...new Set([...change.before, ...change.after].map((g) => g.properties.code))],
      draft: this.draft(),
      timings: { plan: t1 - t0, check: t2 - t1, save: t3 - t2, view: 0 },
    };
    view.timings.view = performance.now() - t3;
    return view;
  }

  /** A proposal (auto-split, auto-merge, repair) on the grids as they are; kept until accepted or another is asked for. */
  async propose(req: ProposalRequest, progress?: ProposalContext['progress']): Promise<ProposalAnswer> {
    try {
      const p = await propose({
        checker: this.checker, positions: this.households.positions, progress,
        region: (code) => this.raw.boundaries.find((b) => b.properties.code === code)?.geometry,
        communities: () => [...new Set(this.grids().map((g) => g.properties.community_code))].sort(),
      }, req);
      this.proposal = p;
      return { ok: true, proposal: p };
    } catch (e) {
      if (e instanceof PlanError) return { ok: false, code: e.code, values: e.values };
      throw e;
    }
  }

  /** The proposal kept, accepted as one edit of the draft. */
  async accept(id: number): Promise<EditAnswer> {
    const p = this.proposal;
    if (!p || p.id !== id) return { ok: false, code: 'proposal_stale', values: {} };
    this.proposal = null;
    return this.applyEdit({ type: 'proposal', kind: p.request.kind, before: p.before, after: p.after });
  }

  /** The grids as imported (the published version every workspace has). */
  importedGrids(): GridFeature[] {
    return usableGrids(this.raw.grids);
  }

  /** The draft against another version's grids: that version checked in full, then compared. */
  compareWith(version: GridFeature[]): Comparison & { scores: { before: PlanScores; after: PlanScores } } {
    const then = new CoverageChecker(checkInputOf({ ...this.raw, grids: version }));
    const placed = (c: CoverageChecker): Placed => {
      const a = c.assignment();
      return { grids: a.grids, householdGrid: a.householdGrid, buildingGrid: a.buildingGrid, households: Int32Array.from(c.report().grids, (g) => g.households) };
    };
    const a = placed(then), b = placed(this.checker);
    const c = compareVersions(a, b);
    // the plan scores of the base grids in each version
    const scored = (p: Placed, c2: CoverageChecker) => {
      const bands = c2.report().grids;
      return p.grids.flatMap((g, i) => (g.properties.kind === 'base' ? [{ geometry: g.geometry, households: p.households[i], band: bands[i].band }] : []));
    };
    const moved = { households: c.moves.reduce((n, m) => n + m.households, 0), buildings: c.moves.reduce((n, m) => n + m.buildings, 0) };
    return { ...c, scores: { before: planScores(scored(a, then)), after: planScores(scored(b, this.checker), moved) } };
  }

  private context(by: string | undefined): PlanContext {
    return {
      footprint: (id) => this.footprints.get(id),
      version: (id) => this.versions.get(id),
      region: (code) => this.raw.boundaries.find((b) => b.properties.code === code)?.geometry,
      ...(by !== undefined ? { undo: (of: number | undefined) => planUndo(this.edits(), by, of) } : {}),
    };
  }
}

/** Why a write of the draft was refused: another tab changed it first, or it could not be saved. */
function refusal(e: unknown): Refusal {
  if (e instanceof DraftConflict) return { ok: false, code: 'draft_conflict', values: {} };
  if (e instanceof EditRefused) return { ok: false, code: e.code, values: e.values };
  // Said in the reader's language: the storage error's own text is English.
  if (e instanceof Error && e.name === 'StorageFullError') return { ok: false, code: 'storage_full', values: {} };
  return { ok: false, code: 'not_saved', values: { message: e instanceof Error ? e.message : String(e) } };
}

/** From one list of grids to another: those only in the first go, those only in the second come. */
function gridsDiff(allFrom: GridFeature[], allTo: GridFeature[]): GridChange {
  // The same objects on both sides are the same grid (most of them, after an edit of one's own): no text compared for them.
  const toSet = new Set(allTo), fromSet = new Set(allFrom);
  const from = allFrom.filter((g) => !toSet.has(g)), to = allTo.filter((g) => !fromSet.has(g));
  const key = (g: GridFeature) => JSON.stringify([g.properties, g.geometry]);
  const left = new Map<string, number>();
  for (const g of to) left.set(key(g), (left.get(key(g)) ?? 0) + 1);
  const before: GridFeature[] = [];
  for (const g of from) {
    const k = key(g), n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else before.push(g);
  }
  const kept = new Map<string, number>();
  for (const g of from) kept.set(key(g), (kept.get(key(g)) ?? 0) + 1);
  const after = to.filter((g) => { const k = key(g), n = kept.get(k) ?? 0; if (n > 0) { kept.set(k, n - 1); return false; } return true; });
  return { before, after };
}

function boxOf(change: GridChange): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const g of [...change.before, ...change.after]) {
    const [a, b, c, d] = geomBBox(g.geometry);
    w = Math.min(w, a); s = Math.min(s, b); e = Math.max(e, c); n = Math.max(n, d);
  }
  return [w, s, e, n];
}
