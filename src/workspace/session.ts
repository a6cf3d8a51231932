// The one owner of an open district: its raw layers, a live CoverageChecker, the cases and
// the draft's edit history. An edit is applyEdit(op): planned by a pure operation (src/plan),
// applied to the checker in place (only what it touches is worked out again), written to the
// draft in IndexedDB, and answered with the grids, their totals and the report as they now
// are. Runs in the district worker; plain enough to test in Node.
import { CoverageChecker, type HouseholdColumns } from '../checks/engine';
import { withCaseFindings } from '../checks/cases';
import type { Report } from '../checks/report';
import type { GridStats, District } from '../domain/district';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { planEdit, type PlanContext } from '../plan/apply';
import { canRedo, canUndo, EMPTY_HISTORY, pushEdit, redo, replay, undo, type History } from '../plan/history';
import { PlanError, type EditOp, type EditType, type GridChange } from '../plan/types';
import { usableGrids } from '../checks/engine';
import type { Drafts } from '../store/drafts';
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

export type EditAnswer = { ok: true; view: GridView } | { ok: false; code: string; values: Record<string, string | number> };

export class DistrictSession {
  readonly raw: RawLayers;
  private readonly checker: CoverageChecker;
  private history: History;
  private workspaceId: string | null;
  private readonly drafts: Drafts | null;
  private limits: Record<string, number>;
  /** whether the cases are live (a feed is followed): judged against the clock */
  live = false;
  private readonly footprints: Map<string, AreaGeometry>;
  private readonly versions = new Map<string, GridFeature[]>();
  private households!: HouseholdColumns;
  private proposal: Proposal | null = null;
  /** each case's grid and status as last worked out, and the grids those positions are in */
  private placed!: { grid: Int32Array; status: Uint8Array; grids: GridFeature[] };

  private constructor(raw: RawLayers, checker: CoverageChecker, history: History, workspaceId: string | null, drafts: Drafts | null, limits: Record<string, number>) {
    this.raw = raw;
    this.checker = checker;
    this.history = history;
    this.workspaceId = workspaceId;
    this.drafts = drafts;
    this.limits = limits;
    this.footprints = new Map(raw.buildings.map((b) => [String(b.properties.id), b.geometry]));
  }

  /**
   * Opens a district: the grids of its draft (the saved edits replayed on the grids as
   * imported) checked once, and the District the page draws.
   */
  static open(raw: RawLayers, o: { workspaceId?: string | null; history?: History; drafts?: Drafts | null; limits?: Record<string, number>; clockMs?: number; onStage?: (s: string) => void; preview?: DistrictPreview }) {
    const history = o.history ?? EMPTY_HISTORY;
    const grids = history.done > 0 ? replay(usableGrids(raw.grids), history) : raw.grids;
    const input = checkInputOf({ ...raw, grids });
    const checker = new CoverageChecker(input, undefined, o.onStage);
    const session = new DistrictSession(raw, checker, history, o.workspaceId ?? null, o.drafts ?? null, o.limits ?? {});
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
    return {
      workspaceId: this.workspaceId, done: h.done, total: h.edits.length, canUndo: canUndo(h), canRedo: canRedo(h),
      undoType: canUndo(h) ? h.edits[h.done - 1].op.type : null, redoType: canRedo(h) ? h.edits[h.done].op.type : null,
    };
  }

  /** Edits need a workspace to be saved in: the demo is never changed, a copy is edited. */
  get editable() {
    return this.workspaceId !== null && this.drafts !== null;
  }

  /** Makes this session's district a workspace of its own (after the caller saved it) and edits that. */
  adopt(workspaceId: string) {
    this.workspaceId = workspaceId;
    this.history = EMPTY_HISTORY;
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

  applyEdit(op: EditOp): Promise<EditAnswer> {
    return this.serial(() => this.edit(op));
  }

  private async edit(op: EditOp): Promise<EditAnswer> {
    if (!this.editable) return { ok: false, code: 'not_editable', values: {} };
    const t0 = performance.now();
    let change: GridChange;
    try {
      change = planEdit(this.grids(), op, this.context());
    } catch (e) {
      if (e instanceof PlanError) return { ok: false, code: e.code, values: e.values };
      throw e;
    }
    const t1 = performance.now();
    this.checker.replaceGrids(change.before, change.after);
    const t2 = performance.now();
    const next = pushEdit(this.history, { op, change, at: Date.now() });
    try {
      await this.drafts!.record(this.workspaceId!, next.edits[next.done - 1]);
    } catch (e) {
      // Not saved: not made either (the page says why; the draft is as it was).
      this.checker.replaceGrids(change.after, change.before);
      return { ok: false, code: 'not_saved', values: { message: e instanceof Error ? e.message : String(e) } };
    }
    this.history = next;
    const view = this.view(change, [t0, t1, t2]);
    if (op.type === 'renumber') view.renamed = change.before.map((g, i) => [g.properties.code, change.after[i].properties.code]);
    return { ok: true, view };
  }

  undo(): Promise<EditAnswer> {
    return this.serial(() => this.step(undo(this.history)));
  }

  redo(): Promise<EditAnswer> {
    return this.serial(() => this.step(redo(this.history)));
  }

  private async step(s: ReturnType<typeof undo>): Promise<EditAnswer> {
    if (!s || !this.editable) return { ok: false, code: 'nothing_to_undo', values: {} };
    const t0 = performance.now();
    this.checker.replaceGrids(s.change.before, s.change.after);
    const t1 = performance.now();
    try {
      await this.drafts!.setDone(this.workspaceId!, s.history.done);
    } catch (e) {
      this.checker.replaceGrids(s.change.after, s.change.before);
      return { ok: false, code: 'not_saved', values: { message: e instanceof Error ? e.message : String(e) } };
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

  private context(): PlanContext {
    return {
      footprint: (id) => this.footprints.get(id),
      version: (id) => this.versions.get(id),
      region: (code) => this.raw.boundaries.find((b) => b.properties.code === code)?.geometry,
    };
  }
}

function boxOf(change: GridChange): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const g of [...change.before, ...change.after]) {
    const [a, b, c, d] = geomBBox(g.geometry);
    w = Math.min(w, a); s = Math.min(s, b); e = Math.max(e, c); n = Math.max(n, d);
  }
  return [w, s, e, n];
}
