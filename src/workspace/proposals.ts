// Proposals (auto-split, auto-merge, repair) for the district session: worked out on the
// grids as they are, their counts read by applying them to the live checker for a moment
// (and taking them back), so the planner sees every proposed grid's households, the plan's
// scores before and after, and what could not be done, before accepting it as one edit.
import type { CoverageChecker } from '../checks/engine';
import type { GridReport, Report } from '../checks/report';
import { interiorPoint, RingTest } from '../checks/faces';
import { flatRings } from '../checks/land';
import type { AreaGeometry, GridFeature } from '../domain/types';
import { DEFAULT_BAND } from '../domain/bands';
import { autoSplit, type Problem } from '../plan/autoSplit';
import { autoMerge } from '../plan/autoMerge';
import { DEFAULT_REPAIR, repairLand, type LeftPiece } from '../plan/repairLand';
import { isLocked } from '../plan/grids';
import { unitsIn } from '../plan/units';
import { planScores, type PlanScores } from '../plan/scores';
import { geodesicArea } from '../checks/area';
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
    const p = await autoSplit(grids, codes, units, { band, target: req.target, tolerance: req.tolerance, seed: req.seed }, ctx.progress);
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
    // one arrangement over the community (and its neighbours, unchanged) or the whole district
    const communities = req.community ? [req.community] : ctx.communities();
    const regions = new Map<string, AreaGeometry>();
    for (const c of new Set([...ctx.communities(), ...grids.map((g) => g.properties.community_code)])) { const r = ctx.region(c); if (r) regions.set(c, r); }
    const codes = req.community ? new Set(grids.filter((g) => g.properties.community_code === req.community).map((g) => g.properties.code)) : undefined;
    if (ctx.progress && await ctx.progress(0, 2)) throw new PlanError('cancelled');
    const p = repairLand(grids, { codes, regions }, { snapM: req.snapM ?? DEFAULT_REPAIR.snapM, maxAreaM2: req.maxAreaM2 ?? DEFAULT_REPAIR.maxAreaM2 });
    if (ctx.progress && await ctx.progress(1, 2)) throw new PlanError('cancelled');
    change = p.change;
    left = p.left;
    scope = communities;
  }
  // A repair that would leave nothing to change still lists what it leaves for the planner.
  if (change.before.length === 0 && change.after.length === 0 && left.length === 0) throw new PlanError('no_change');

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
  if (req.kind === 'repair') {
    const worse = newLand(report, after.report);
    if (worse) throw new PlanError('repair_worse', worse);
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

const LAND = ['gap', 'overlap', 'spill'];

/**
 * The first land finding after a change that lies where no land finding was before (a repair
 * must only take findings away), with its kind (in the report's words), area and grids.
 */
export function newLand(before: Report, after: Report): Record<string, string | number> | null {
  const was = before.findings.filter((f) => LAND.includes(f.kind) && f.geometry && f.geometry.type !== 'GeometryCollection')
    .map((f) => new RingTest(flatRings(f.geometry as AreaGeometry)));
  for (const f of after.findings) {
    if (!LAND.includes(f.kind) || !f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
    const p = interiorPoint(flatRings(f.geometry));
    if (!p || was.some((t) => t.contains(p[0], p[1]))) continue;
    return { kind: f.kind, area: Math.round(f.measure.area_m2 ?? 0), codes: f.ids.join('、') };
  }
  return null;
}
