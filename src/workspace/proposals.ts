// Proposals (auto-split, auto-merge, repair) for the district session: worked out on the
// grids as they are, their counts read by applying them to the live checker for a moment
// (and taking them back), so the planner sees every proposed grid's households, the plan's
// scores before and after, and what could not be done, before accepting it as one edit.
import type { CoverageChecker } from '../checks/engine';
import type { GridReport } from '../checks/report';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { DEFAULT_BAND } from '../domain/bands';
import { autoSplit, type Problem } from '../plan/autoSplit';
import { autoMerge } from '../plan/autoMerge';
import { DEFAULT_REPAIR, repairLand, type LeftPiece } from '../plan/repairLand';
import { applyChange, isLocked } from '../plan/grids';
import { restoreGrids } from '../plan/restore';
import { unitsIn } from '../plan/units';
import { planScores, type PlanScores } from '../plan/scores';
import { geodesicArea } from '../checks/area';
import { interiorPoint, RingTest } from '../checks/faces';
import { flatRings } from '../checks/land';
import { PlanError, type GridChange } from '../plan/types';

export type ProposalKind = 'split' | 'merge' | 'repair';

export interface ProposalRequest {
  kind: ProposalKind;
  /** split: these grids (else every base grid of the community) */
  codes?: string[];
  /** the community (merge, repair, split of a whole community); none with repair: the whole district */
  community?: string;
  /** split: households a grid should hold, and how far from it a grid may be (0.15 = ±15 %) */
  target?: number;
  tolerance?: number;
  seed?: number;
  snapM?: number;
  maxAreaM2?: number;
}

export interface ProposalRow {
  code: string;
  name: string;
  /** households before and after; -1 when the grid is not there */
  before: number;
  after: number;
  status: GridReport['band_status'] | 'removed';
  area_before_m2: number;
  area_after_m2: number;
}

export interface Proposal {
  id: number;
  request: ProposalRequest;
  before: string[];
  after: GridFeature[];
  rows: ProposalRow[];
  scores: { before: PlanScores; after: PlanScores };
  problems: Problem[];
  left: LeftPiece[];
}

export interface ProposalContext {
  checker: CoverageChecker;
  positions: Float64Array;
  region(code: string): AreaGeometry | undefined;
  communities(): string[];
  /** progress (done of total) and whether to stop */
  progress?: (done: number, total: number) => Promise<boolean>;
}

let nextId = 1;

export async function propose(ctx: ProposalContext, req: ProposalRequest): Promise<Proposal> {
  const { checker } = ctx;
  const grids = checker.currentGrids().slice();
  const report = checker.report();
  const judged = new Map(report.grids.map((g) => [g.code, g]));
  let change: GridChange;
  let problems: Problem[] = [];
  let left: LeftPiece[] = [];
  let scope: string[];

  if (req.kind === 'split') {
    const codes = req.codes?.length ? req.codes
      : grids.filter((g) => g.properties.community_code === req.community && g.properties.kind === 'base' && !isLocked(g)).map((g) => g.properties.code);
    if (codes.length === 0) throw new PlanError('no_grid', { code: req.community ?? '' });
    const at = new Set(codes.map((c) => grids.findIndex((g) => g.properties.code === c)));
    const units = unitsIn(checker.assignment(), ctx.positions, at);
    const band = judged.get(codes[0])?.band ?? DEFAULT_BAND;
    const p = autoSplit(grids, codes, units, { band, target: req.target, tolerance: req.tolerance, seed: req.seed });
    change = p.change;
    problems = p.problems;
    scope = communityOf(grids, codes);
  } else if (req.kind === 'merge') {
    if (!req.community) throw new PlanError('no_community', { code: '' });
    const p = autoMerge(grids, report.grids.map((g) => ({ code: g.code, households: g.households, band: g.band })), req.community);
    change = p.change;
    problems = p.problems;
    scope = [req.community];
  } else {
    const communities = req.community ? [req.community] : ctx.communities();
    let work = grids;
    const o = { snapM: req.snapM ?? DEFAULT_REPAIR.snapM, maxAreaM2: req.maxAreaM2 ?? DEFAULT_REPAIR.maxAreaM2 };
    for (let k = 0; k < communities.length; k++) {
      const code = communities[k];
      // dedicated grids drawn on top of the base grids are meant to overlap them: not repaired
      const inCommunity = work.filter((g) => g.properties.community_code === code);
      const members = withoutOnTop(inCommunity);
      if (members.length) {
        const p = repairLand(work, members, ctx.region(code) ?? null, o);
        work = applyChange(work, p.change);
        left = [...left, ...p.left];
      }
      if (ctx.progress && await ctx.progress(k + 1, communities.length)) throw new PlanError('cancelled');
    }
    change = restoreGrids(grids, work);
    scope = communities;
  }
  if (change.before.length === 0 && change.after.length === 0) throw new PlanError('no_change');

  // The counts after: the change applied to the live checker for a moment.
  const beforeGrid = checker.assignment();
  const codeOf = (gs: GridFeature[], i: number) => (i >= 0 ? gs[i].properties.code : '');
  const hBefore = Array.from(beforeGrid.householdGrid, (i) => codeOf(grids, i));
  const bBefore = Array.from(beforeGrid.buildingGrid, (i) => codeOf(grids, i));
  checker.replaceGrids(change.before, change.after);
  let after;
  try {
    const a = checker.assignment();
    const now = checker.currentGrids();
    let movedH = 0, movedB = 0;
    a.householdGrid.forEach((i, k) => { if (codeOf(now, i) !== hBefore[k]) movedH++; });
    a.buildingGrid.forEach((i, k) => { if (codeOf(now, i) !== bBefore[k]) movedB++; });
    after = { report: checker.report(), grids: now.slice(), moved: { households: movedH, buildings: movedB } };
  } finally {
    checker.replaceGrids(change.after, change.before);
  }
  const judgedAfter = new Map(after.report.grids.map((g) => [g.code, g]));
  const codes = [...new Set([...change.before, ...change.after].map((g) => g.properties.code))].sort();
  const geomBefore = new Map(change.before.map((g) => [g.properties.code, g.geometry]));
  const geomAfter = new Map(change.after.map((g) => [g.properties.code, g.geometry]));
  const rows: ProposalRow[] = codes.map((code) => {
    const was = judged.get(code), now = judgedAfter.get(code);
    const gb = geomBefore.get(code), ga = geomAfter.get(code) ?? (now ? gb : undefined);
    return {
      code, name: (now ?? was)!.name, before: was?.households ?? -1, after: now?.households ?? -1,
      status: now ? now.band_status : 'removed',
      area_before_m2: gb ? Math.round(geodesicArea(gb)) : 0, area_after_m2: ga ? Math.round(geodesicArea(ga)) : 0,
    };
  });
  const inScope = (gs: GridFeature[], j: Map<string, GridReport>) => gs.filter((g) => scope.includes(g.properties.community_code) && g.properties.kind === 'base')
    .map((g) => ({ geometry: g.geometry, households: j.get(g.properties.code)?.households ?? 0, band: j.get(g.properties.code)?.band ?? null }));
  return {
    id: nextId++, request: req,
    before: change.before.map((g) => g.properties.code), after: change.after,
    rows, problems, left,
    scores: { before: planScores(inScope(grids, judged)), after: planScores(inScope(after.grids, judgedAfter), after.moved) },
  };
}

function communityOf(grids: GridFeature[], codes: string[]): string[] {
  return [...new Set(grids.filter((g) => codes.includes(g.properties.code)).map((g) => g.properties.community_code))];
}

/** The grids less the dedicated ones laid on top of base grids (as the land check tells them apart). */
function withoutOnTop(grids: GridFeature[]): GridFeature[] {
  const base = grids.filter((g) => g.properties.kind === 'base').map((g) => new RingTest(flatRings(g.geometry)));
  return grids.filter((g) => {
    if (g.properties.kind !== 'dedicated') return true;
    const p = interiorPoint(flatRings(g.geometry));
    return !(p && base.some((t) => t.contains(p[0], p[1])));
  });
}
