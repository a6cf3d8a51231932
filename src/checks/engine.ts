// The coverage engine: 区不漏地、地不漏房、房不漏户、户不漏人 (DESIGN "The coverage rules").
// Plain TypeScript, no DOM: the same code runs in the page's worker and in the CLI.
//
// A CoverageChecker holds the district and what it worked out (which grid holds each
// building and household, the land findings per community), so that after one grid is
// redrawn only what that grid touches is worked out again (updateGrid).
import Flatbush from 'flatbush';
import { pointOnFeature } from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import type { AreaGeometry, BoundaryFeature, BuildingFeature, GridFeature } from '../domain/types';
import { CODE_LENGTH, communityOf, isWellFormedGridCode } from '../domain/codes';
import { DEFAULT_BAND } from '../domain/bands';
import { GridLocator } from './locate';
import { packPolygons, type PackedPolygons } from './rings';
import { checkLandRegion, flatRings, geomBBox, updateLandRegion, type LandMember, type LandRegion, type LandResult } from './land';
import { RingTest } from './faces';
import { areaProblem, describe, pointProblem, problem, skippedItem, validAreas } from './validate';
import { geodesicArea } from './area';
import { IdIndex, markRepeats } from './ids';
import { assignBuilding, newBuildingState, type BuildingState } from './buildings';
import { GridEdges } from './edgeIndex';
import { ringSigns } from './share';
import { assignHousehold, newHouseholdState, Outcome, type HouseholdState } from './households';
import { FINDING_KINDS, FINDING_RULE, RULES, type BandStatus, type Finding, type FindingKind, type GridReport, type Report, type Skipped } from './report';
import { compareFindings, finishReport, sortFindings } from './finish';
import { overlapsAcross, type AcrossFinding, type AcrossMember, type Box } from './across';
import { checkBoundaryLayer, type BoundaryFinding } from './boundaryLayer';

export interface CheckSettings {
  /** gap/overlap/spill pieces under this are slivers (m²) */
  sliverM2: number;
  /** a building is clean when its grid holds at least this share of its footprint */
  cleanShare: number;
  /** households per base grid when neither the grid nor its community sets a band */
  defaultBand: [number, number];
  /** a household point further than this from its own building is misplaced (m) */
  misplacedM: number;
}

export const DEFAULT_SETTINGS: CheckSettings = {
  sliverM2: 1,
  cleanShare: 0.95,
  defaultBand: DEFAULT_BAND,
  misplacedM: 30,
};

/** Households as columns (rosters are large): NaN position = known by building id only. */
export interface HouseholdColumns {
  ids: string[];
  buildingIds: string[];
  /** residents per household; -1 (or NaN) when not given */
  residents: ArrayLike<number>;
  /** lon, lat pairs */
  positions: Float64Array;
}

export interface CheckInput {
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  buildings: BuildingFeature[];
  households: HouseholdColumns;
}

/** Per-item results, for the map and the tests. */
export interface Assignment {
  /** kept grids, in code order (the report's order) */
  grids: GridFeature[];
  buildings: BuildingFeature[];
  /** effective grid per kept building, -1 = orphan */
  buildingGrid: Int32Array;
  /** share of each building's footprint held by its grid */
  buildingShare: Float64Array;
  /** effective grid per household (input order), -1 = none */
  householdGrid: Int32Array;
  /** building (index into buildings) per household, -1 = none or unknown */
  householdBuilding: Int32Array;
}

export class CoverageChecker {
  readonly settings: CheckSettings;
  /** milliseconds per stage of the last full run or update */
  timings: Record<string, number> = {};
  private readonly boundaries: BoundaryFeature[];
  private grids: GridFeature[];
  private readonly buildings: BuildingFeature[];
  private readonly households: HouseholdColumns;
  private readonly skipped: Skipped[] = [];
  private readonly repaired: Skipped[] = [];
  private readonly gridByCode = new Map<string, number>();
  private readonly regions = new Map<string, LandRegion>();
  private readonly landResults = new Map<string, LandResult>();
  /** the land findings per community as listed: without the pieces listed across communities */
  private landListed = new Map<string, LandResult>();
  /** overlaps between grids of different communities (across.ts), worked out after the regions */
  private across: AcrossFinding[] = [];
  /** the boundary layer's own overlaps and gaps (boundaryLayer.ts): edits do not change them */
  private boundaryFindings: BoundaryFinding[] = [];
  private landArea = 0;
  /** the one region when only a district boundary is loaded, or none at all (geometry null) */
  private singleRegion: LandRegion | null = null;
  /** grids whose community code names no boundary: the region they lie in */
  private readonly regionAround = new Map<number, LandRegion | undefined>();
  private regionTests: { r: LandRegion; test: RingTest }[] | null = null;
  private locator!: GridLocator;
  private edges!: GridEdges;
  private signs!: Int8Array;
  private readonly bPacked: PackedPolygons;
  private readonly b: BuildingState;
  private readonly bResidential: Uint8Array;
  private readonly hBuilding: Int32Array;
  private readonly hHasBuildingId: Uint8Array;
  private readonly h: HouseholdState;
  private bIndex: Flatbush | null = null;
  private hIndex: Flatbush | null = null;
  private hByBuilding: { start: Int32Array; list: Int32Array } | null = null;
  /** the report's parts kept between edits (made by the first report) */
  private rc: KeptReport | null = null;
  /** the land's findings as the report lists them, until the next edit */
  private landCache: { byKind: Map<FindingKind, Finding[]>; slivers: { count: number; area_m2: number }; landBad: number } | null = null;

  /** `onStage` is told each stage as it finishes (validate, land, buildings, households). */
  constructor(input: CheckInput, settings: CheckSettings = DEFAULT_SETTINGS, onStage?: (stage: string) => void) {
    this.settings = settings;
    const clock = stopwatch(this.timings = {}, onStage);
    const boundariesV = validAreas('boundaries', input.boundaries, 'code');
    const gridsV = validAreas('grids', input.grids, 'code', { unique: false });
    const buildingsV = validAreas('buildings', input.buildings, 'id');
    // (one push per item: a spread of two million skipped features overflows the stack)
    for (const v of [boundariesV, gridsV, buildingsV]) { for (const x of v.skipped) this.skipped.push(x); for (const x of v.repaired) this.repaired.push(x); }
    // Grids in code order: every "lowest index wins" tie-break then means "lowest code",
    // so results do not depend on the order of the input.
    this.grids = [...gridsV.kept].sort(byCodeOrder);
    this.grids.forEach((g, i) => { if (!this.gridByCode.has(g.properties.code)) this.gridByCode.set(g.properties.code, i); });
    this.boundaries = boundariesV.kept;
    this.buildings = buildingsV.kept;
    this.households = input.households;
    this.bPacked = packPolygons(this.buildings.map((b) => b.geometry));
    this.b = newBuildingState(this.buildings.length);
    this.bResidential = Uint8Array.from(this.buildings, (b) => (isResidential(b) ? 1 : 0));
    this.h = newHouseholdState(input.households.ids.length);
    this.hBuilding = new Int32Array(input.households.ids.length).fill(-1);
    this.hHasBuildingId = new Uint8Array(input.households.ids.length);
    this.indexGrids();
    clock('validate');

    this.boundaryFindings = checkBoundaryLayer(this.boundaries, settings.sliverM2);
    this.setUpRegions();
    for (const r of this.regions.values()) this.landResults.set(r.code, checkLandRegion(r, this.settings));
    this.checkAcross();
    clock('land');

    for (let i = 0; i < this.buildings.length; i++) this.assignBuilding(i);
    clock('buildings');

    this.prepareHouseholds();
    // Building by building: a building's outline is read once for all its households (a
    // roster's rows come in any order, and a million random reads of 200,000 outlines spend
    // most of their time waiting on memory); then those with no building.
    const { positions } = this.households;
    const { list } = this.householdsByBuilding();
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      if (this.h.outcome[i] !== Outcome.skipped) this.assignHousehold(i, positions[2 * i], positions[2 * i + 1]);
    }
    for (let i = 0; i < this.h.outcome.length; i++) {
      if (this.hBuilding[i] < 0 && this.h.outcome[i] !== Outcome.skipped) this.assignHousehold(i, positions[2 * i], positions[2 * i + 1]);
    }
    clock('households');
  }

  /**
   * Replaces one grid's geometry and works out again only what it touches: its community's
   * land, the buildings and households near its old and new outline. Throws (changing
   * nothing) when the new geometry is unusable.
   */
  updateGrid(code: string, geometry: AreaGeometry): void {
    const gi = this.gridByCode.get(code);
    if (gi === undefined) throw new Error(`grid ${code}: no such grid`);
    this.replaceGrids([this.grids[gi]], [{ ...this.grids[gi], geometry }]);
  }

  /**
   * An edit's change: the grids `before` (as this checker holds them) replaced by `after`
   * (removed, added or reshaped; codes may change). Grid positions shift, so every per-item
   * grid index is carried over; the land of the communities touched and the buildings and
   * households near the old and new outlines are worked out again. Throws, changing nothing,
   * when a grid of `before` is not held or one of `after` is unusable.
   */
  replaceGrids(before: GridFeature[], after: GridFeature[]): void {
    for (const g of after) {
      const wrong = areaProblem(g.geometry);
      if (wrong) throw new Error(`grid ${g.properties.code}: ${describe(wrong)}`);
    }
    const gone = new Set<number>();
    for (const g of before) {
      const i = this.findGrid(g, gone);
      if (i < 0) throw new Error(`grid ${g.properties.code}: no such grid`);
      gone.add(i);
    }
    const clock = stopwatch(this.timings = {});
    let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const g of [...before, ...after]) {
      const [a0, a1, a2, a3] = geomBBox(g.geometry);
      box = [Math.min(box[0], a0), Math.min(box[1], a1), Math.max(box[2], a2), Math.max(box[3], a3)];
    }
    const regionsBefore = new Set([...gone].map((i) => this.regionOf(i)));

    // The new list in code order (stable: equal codes keep their order), and where each old grid went.
    const entries = this.grids.map((g, i) => ({ g, old: i })).filter((e) => !gone.has(e.old));
    for (const g of after) entries.push({ g, old: -1 });
    entries.sort((a, b) => byCodeOrder(a.g, b.g));
    const moved = new Int32Array(this.grids.length).fill(-1);
    entries.forEach((e, k) => { if (e.old >= 0) moved[e.old] = k; });
    const aroundBefore = new Map(this.regionAround);
    // A new list, not the old one changed: what was worked out per list (src/plan/topology.ts's vertex owners) must not see it.
    this.grids = entries.map((e) => e.g);
    this.regionAround.clear();
    for (const [i, r] of aroundBefore) if (moved[i] >= 0) this.regionAround.set(moved[i], r);
    this.gridByCode.clear();
    this.grids.forEach((g, i) => { if (!this.gridByCode.has(g.properties.code)) this.gridByCode.set(g.properties.code, i); });
    const source = Int32Array.from(entries, (e) => e.old);
    // Grids reshaped in place (the usual edit): every other grid keeps its position and each
    // new one takes that of the one it replaces, so nothing is carried over (what was in the
    // grids replaced lies in the box: worked out again below, counts taken out and put back).
    let same = entries.length === moved.length;
    for (let k = 0; same && k < entries.length; k++) same = entries[k].old === k || (entries[k].old < 0 && gone.has(k));
    this.landCache = null;
    if (!same) {
      const remap = (a: Int32Array) => { for (let k = 0; k < a.length; k++) if (a[k] >= 0) a[k] = moved[a[k]]; };
      remap(this.b.grid);
      remap(this.h.grid);
      if (this.rc) {
        // The kept per-grid counts follow their grids; those of grids removed go with them.
        const carry = (a: Int32Array) => { const out = new Int32Array(entries.length); for (let k = 0; k < a.length; k++) if (moved[k] >= 0) out[moved[k]] = a[k]; return out; };
        this.rc.gBuildings = carry(this.rc.gBuildings);
        this.rc.gHouseholds = carry(this.rc.gHouseholds);
        this.rc.gResidents = carry(this.rc.gResidents);
      }
      for (let k = 0; k < this.b.others.length; k++) {
        if (this.b.others[k].length) this.b.others[k] = this.b.others[k].map((i) => moved[i]).filter((i) => i >= 0);
      }
    }
    this.reindexGrids(source);
    clock('index');

    // Member positions changed everywhere; the land is worked out again where grids changed.
    const touchedRegions = new Set(regionsBefore);
    entries.forEach((e, k) => { if (e.old < 0) touchedRegions.add(this.regionOf(k)); });
    for (const r of this.regions.values()) this.fillRegion(r);
    for (const region of touchedRegions) {
      if (!region) continue;
      const prev = this.landResults.get(region.code);
      // (only the part of the region around the edit, where the land's result is kept: land.ts)
      this.landResults.set(region.code, prev ? updateLandRegion(region, prev, box, this.settings, (b) => this.locator.candidates(b[0], b[1], b[2], b[3])) : checkLandRegion(region, this.settings));
    }
    this.checkAcross();
    clock('land');

    const touched = new Set<number>();
    for (const i of this.buildingIndex().search(...box)) { this.uncount(i, -1); this.assignBuilding(i); this.uncount(i, 1); touched.add(i); }
    clock('buildings');

    const { positions } = this.households;
    const redo = new Set<number>(this.householdIndex().search(...box));
    const { start, list } = this.householdsByBuilding();
    for (const bi of touched) for (let k = start[bi]; k < start[bi + 1]; k++) redo.add(list[k]);
    for (const i of redo) {
      if (this.h.outcome[i] === Outcome.skipped) continue;
      this.uncountHousehold(i, -1);
      this.assignHousehold(i, positions[2 * i], positions[2 * i + 1]);
      this.uncountHousehold(i, 1);
    }
    clock('households');
  }

  /** A building's part of the kept report's counts taken out (-1, before it is worked out again) or put back (+1). */
  private uncount(i: number, sign: 1 | -1) {
    const rc = this.rc;
    if (!rc) return;
    const g = this.b.grid[i];
    if (g >= 0) rc.gBuildings[g] += sign;
    // (its grid may be gone: what it was counted as is kept, not worked out from it)
    const clean = sign < 0 ? rc.bClean[i] : g >= 0 && this.b.share[i] >= this.settings.cleanShare ? 1 : 0;
    rc.cleanBuildings += sign * clean;
    rc.bClean[i] = sign < 0 ? 0 : clean;
    rc.dirtyB.add(i);
  }

  /** The same for a household (not skipped). */
  private uncountHousehold(i: number, sign: 1 | -1) {
    const rc = this.rc;
    if (!rc) return;
    const g = this.h.grid[i];
    const r = +this.households.residents[i];
    if (g >= 0) { rc.gHouseholds[g] += sign; if (r > 0) rc.gResidents[g] += sign * r; }
    if (this.h.outcome[i] === Outcome.ok) rc.householdsOk += sign;
    rc.dirtyH.add(i);
  }

  /** The position of a grid: the same object, else the same code and outline (a change read back from storage). */
  private findGrid(g: GridFeature, taken: Set<number>): number {
    const same = this.grids.findIndex((h, i) => h === g && !taken.has(i));
    if (same >= 0) return same;
    const shape = JSON.stringify(g.geometry);
    return this.grids.findIndex((h, i) => !taken.has(i) && h.properties.code === g.properties.code && JSON.stringify(h.geometry) === shape);
  }

  /** The grid a point lies in now (as a household without a building is placed), -1 = none. */
  locate(x: number, y: number): number {
    return this.locator.locate(x, y);
  }

  /** The grids as checked now (code order): what an edit applies to. */
  currentGrids(): GridFeature[] {
    return this.grids;
  }

  assignment(): Assignment {
    return {
      grids: this.grids, buildings: this.buildings,
      buildingGrid: this.b.grid, buildingShare: this.b.share, householdGrid: this.h.grid, householdBuilding: this.hBuilding,
    };
  }

  /** How many buildings were placed by one point test, by triangles near an edge, by Turf's overlay (the benchmark prints it). */
  buildingPaths(): { point: number; triangles: number; overlay: number } {
    const n = [0, 0, 0];
    for (const p of this.b.path) n[p]++;
    return { point: n[0], triangles: n[1], overlay: n[2] };
  }

  /**
   * The report from the current state (cheap: typed-array loops, no geometry work). The first
   * one works out every part; the findings are then kept per kind in the report's order, so
   * after an edit only the land, the grids and the buildings and households worked out again
   * are (a million households' findings are neither made nor sorted again).
   */
  report(): Report {
    const rc = (this.rc ??= this.fullKeptReport());
    this.refreshKeptReport(rc);
    const land = this.landPart();
    const gridPart = this.gridPart(rc);
    const lists: Finding[][] = [];
    const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
    const boundaryIds = new Set<string>();
    for (const k of KINDS_IN_ORDER) {
      const list = land.byKind.get(k) ?? gridPart.byKind.get(k) ?? rc.byKind.get(k);
      if (!list || list.length === 0) continue;
      lists.push(list);
      counts[k] = list.length;
      if (FINDING_RULE[k] === 'boundaries') for (const f of list) for (const id of f.ids) boundaryIds.add(id);
    }
    const findings = ([] as Finding[]).concat(...lists);
    return finishReport({
      grids: gridPart.gridReports, findings, skipped: this.skipped, repaired: this.repaired,
      buildings: this.buildings.length, cleanBuildings: rc.cleanBuildings, households: rc.kept, householdsOk: rc.householdsOk,
      peopleOk: rc.peopleOk, residents: rc.residentsTotal, residential: rc.residential, emptyBuildings: rc.empty,
      codesBad: gridPart.codesBad, shapeBad: gridPart.shapeBad, boundaries: this.boundaries.length,
      landBad: land.landBad, landArea: this.singleRegion?.geometry === null ? null : this.landArea, slivers: { ...land.slivers },
      ordered: { counts, boundariesBad: boundaryIds.size },
    });
  }

  // ---------------------------------------------------------------- the report's parts

  /** Rules 1 and 7 (edges), and the boundary layer's own findings: worked out again after every edit (a few hundred at most). */
  private landPart() {
    if (this.landCache) return this.landCache;
    const byKind = new Map<FindingKind, Finding[]>();
    const add = (kind: FindingKind, fids: string[], measure: Finding['measure'], geometry: Geometry | null) =>
      pushTo(byKind, kind, { kind, rule: FINDING_RULE[kind], ids: fids, measure, geometry });
    const slivers = { count: 0, area_m2: 0 };
    let landBad = 0;
    for (const r of this.landListed.values()) {
      slivers.count += r.slivers.count;
      slivers.area_m2 += r.slivers.area_m2;
      for (const f of r.findings) {
        if (f.kind !== 'invalid_edges') landBad += f.area_m2;
        add(f.kind, f.ids, f.kind === 'invalid_edges' ? {} : { area_m2: round(f.area_m2, 2) }, f.geometry);
      }
    }
    for (const f of this.across) {
      landBad += f.area_m2;
      add(f.kind, f.ids, { area_m2: round(f.area_m2, 2) }, f.geometry);
    }
    for (const f of this.boundaryFindings) add(f.kind, f.ids, { area_m2: round(f.area_m2, 2) }, f.geometry);
    // (the sort is stable: ties keep the order they were found in, as one sort of all findings does)
    for (const list of byKind.values()) sortFindings(list);
    return (this.landCache = { byKind, slivers, landBad });
  }

  /** Every part from scratch: the first report. */
  private fullKeptReport(): KeptReport {
    const { grids, buildings, settings } = this;
    const { ids, residents } = this.households;
    const rc: KeptReport = {
      byKind: new Map(), origin: new Map(), bFinding: new Map(), hFinding: new Map(),
      gBuildings: new Int32Array(grids.length), gHouseholds: new Int32Array(grids.length), gResidents: new Int32Array(grids.length),
      bClean: new Uint8Array(buildings.length),
      cleanBuildings: 0, householdsOk: 0, kept: 0, peopleOk: 0, residentsTotal: 0, residential: 0, empty: 0,
      communityBand: new Map(), communities: new Set(), dirtyB: new Set(), dirtyH: new Set(),
    };
    // Rule 2
    const { grid: bGrid, share: bShare } = this.b;
    for (let i = 0; i < buildings.length; i++) {
      const g = bGrid[i];
      if (g >= 0) rc.gBuildings[g]++;
      if (g >= 0 && bShare[i] >= settings.cleanShare) { rc.cleanBuildings++; rc.bClean[i] = 1; continue; }
      this.keepFinding(rc, rc.bFinding, i, this.buildingFinding(i));
    }

    // Rules 3 and 4
    const bHouseholds = new Int32Array(buildings.length);
    const noResidents: Finding[] = [];
    const { outcome, grid } = this.h;
    const hBuilding = this.hBuilding;
    for (let i = 0; i < outcome.length; i++) {
      const o = outcome[i];
      if (o === Outcome.skipped) continue;
      rc.kept++;
      const g = grid[i];
      const r = +residents[i];
      const b = hBuilding[i];
      if (b >= 0) bHouseholds[b]++;
      if (r > 0) {
        rc.residentsTotal += r;
        rc.peopleOk++;
        if (g >= 0) { rc.gHouseholds[g]++; rc.gResidents[g] += r; }
      } else {
        if (g >= 0) rc.gHouseholds[g]++;
        noResidents.push({ kind: 'no_residents', rule: FINDING_RULE.no_residents, ids: [ids[i]], measure: { count: r === 0 ? 0 : -1 }, geometry: this.pointOf(i) });
      }
      if (o === Outcome.ok) { rc.householdsOk++; continue; }
      this.keepFinding(rc, rc.hFinding, i, this.householdFinding(i));
    }
    const empty: Finding[] = [];
    for (let i = 0; i < buildings.length; i++) {
      if (!this.bResidential[i]) continue;
      rc.residential++;
      if (bHouseholds[i] === 0) {
        rc.empty++;
        empty.push({ kind: 'empty_building', rule: FINDING_RULE.empty_building, ids: [String(buildings[i].properties.id)], measure: { count: 0 }, geometry: buildings[i].geometry });
      }
    }
    // Neither changes with the grids: sorted once (stable, as one sort of all findings is).
    sortFindings(noResidents);
    rc.byKind.set('no_residents', noResidents);
    sortFindings(empty);
    rc.byKind.set('empty_building', empty);
    const cmp = this.itemOrder(rc);
    for (const [k, list] of rc.byKind) if (k !== 'no_residents' && k !== 'empty_building') list.sort(cmp);

    for (const c of this.boundaries) {
      const p = c.properties as unknown as Record<string, unknown>;
      if (isBand(p.band_min, p.band_max)) rc.communityBand.set(c.properties.code, [Number(p.band_min), Number(p.band_max)]);
    }
    for (const c of this.boundaries) if (c.properties.level === 'community') rc.communities.add(c.properties.code);
    return rc;
  }

  /** The findings of the buildings and households an edit worked out again, replaced in their kinds' order. */
  private refreshKeptReport(rc: KeptReport) {
    if (rc.dirtyB.size === 0 && rc.dirtyH.size === 0) return;
    const gone = new Map<FindingKind, Set<Finding>>();
    const added = new Map<FindingKind, Finding[]>();
    const redo = (items: Set<number>, kept: Map<number, Finding>, make: (i: number) => Finding | null) => {
      for (const i of items) {
        const old = kept.get(i);
        if (old) { kept.delete(i); rc.origin.delete(old); (gone.get(old.kind) ?? gone.set(old.kind, new Set()).get(old.kind)!).add(old); }
        const f = make(i);
        if (f) { kept.set(i, f); rc.origin.set(f, i); pushTo(added, f.kind, f); }
      }
      items.clear();
    };
    redo(rc.dirtyB, rc.bFinding, (i) => (rc.bClean[i] ? null : this.buildingFinding(i)));
    redo(rc.dirtyH, rc.hFinding, (i) => (this.h.outcome[i] === Outcome.ok || this.h.outcome[i] === Outcome.skipped ? null : this.householdFinding(i)));
    const cmp = this.itemOrder(rc);
    for (const k of new Set([...gone.keys(), ...added.keys()])) {
      const out = gone.get(k);
      const list = (out ? rc.byKind.get(k)?.filter((f) => !out.has(f)) : rc.byKind.get(k)) ?? [];
      const add = (added.get(k) ?? []).sort(cmp);
      // A few findings into a long list: each where it belongs; many: one sort.
      if (add.length * 16 > list.length) rc.byKind.set(k, list.concat(add).sort(cmp));
      else {
        for (const f of add) {
          let lo = 0, hi = list.length;
          while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(list[mid], f) <= 0) lo = mid + 1; else hi = mid; }
          list.splice(lo, 0, f);
        }
        rc.byKind.set(k, list);
      }
    }
  }

  /** The report's order (compareFindings); ties, as a stable sort of all findings leaves them, by the item's position. */
  private itemOrder(rc: KeptReport) {
    return (a: Finding, b: Finding) => compareFindings(a, b) || (rc.origin.get(a) ?? 0) - (rc.origin.get(b) ?? 0);
  }

  private keepFinding(rc: KeptReport, kept: Map<number, Finding>, i: number, f: Finding) {
    kept.set(i, f);
    rc.origin.set(f, i);
    pushTo(rc.byKind, f.kind, f);
  }

  private buildingFinding(i: number): Finding {
    const { grids, buildings } = this;
    const g = this.b.grid[i];
    const id = String(buildings[i].properties.id);
    if (g < 0) return { kind: 'orphan_building', rule: FINDING_RULE.orphan_building, ids: [id], measure: {}, geometry: buildings[i].geometry };
    return {
      kind: 'straddling_building', rule: FINDING_RULE.straddling_building, ids: [id, ...[g, ...this.b.others[i]].map((k) => grids[k].properties.code)],
      measure: { share: round(this.b.share[i], 4) }, geometry: buildings[i].geometry,
    };
  }

  /** The finding of a household placed otherwise than cleanly (its outcome is not ok). */
  private householdFinding(i: number): Finding {
    const { ids, buildingIds, positions } = this.households;
    const o = this.h.outcome[i];
    const make = (kind: FindingKind, fids: string[], measure: Finding['measure']): Finding => ({ kind, rule: FINDING_RULE[kind], ids: fids, measure, geometry: this.pointOf(i) });
    if (o === Outcome.dangling) return make('dangling_household', [ids[i], buildingIds[i]], {});
    if (o === Outcome.orphan) return make('orphan_household', [ids[i]], {});
    if (o === Outcome.misplaced) return make('misplaced_household', [ids[i], buildingIds[i]], { distance_m: round(this.h.distance[i], 1) });
    const codes = this.locator.baseGridsAt(positions[2 * i], positions[2 * i + 1]).map((k) => this.grids[k].properties.code);
    return make('double_household', [ids[i], ...codes], { count: codes.length });
  }

  private pointOf(i: number): Geometry | null {
    const { positions } = this.households;
    return Number.isFinite(positions[2 * i]) ? { type: 'Point', coordinates: [positions[2 * i], positions[2 * i + 1]] } : null;
  }

  /** Rules 5, 6 and 7 (the grids): a few thousand grids, worked out again on every report. */
  private gridPart(rc: KeptReport) {
    const { grids, settings } = this;
    const byKind = new Map<FindingKind, Finding[]>();
    const add = (kind: FindingKind, fids: string[], measure: Finding['measure'], geometry: Geometry | null) =>
      pushTo(byKind, kind, { kind, rule: FINDING_RULE[kind], ids: fids, measure, geometry });
    // Rule 5: a grid's own band, else its community's, else the default.
    const { gHouseholds, gBuildings, gResidents, kept } = rc;
    const gridReports: GridReport[] = grids.map((g, i) => {
      const p = g.properties;
      const band: [number, number] | null = p.kind !== 'base' ? null
        : isBand(p.band_min, p.band_max) ? [Number(p.band_min), Number(p.band_max)]
          : rc.communityBand.get(p.community_code) ?? settings.defaultBand;
      const n = gHouseholds[i];
      // No households loaded: the band cannot be judged (rule 5 says "no data").
      const status: BandStatus = !band || kept === 0 ? 'none' : n < band[0] ? 'under' : n > band[1] ? 'over' : 'in';
      if (status === 'under' || status === 'over') add(status === 'under' ? 'under_band' : 'over_band', [p.code], { count: n, band: band! }, g.geometry);
      return { code: p.code, name: p.name, kind: p.kind, households: n, buildings: gBuildings[i], residents: gResidents[i], band, band_status: status };
    });

    // Rule 6: codes.
    const { communities } = rc;
    const codeCount = new Map<string, number>();
    for (const g of grids) codeCount.set(g.properties.code, (codeCount.get(g.properties.code) ?? 0) + 1);
    const codesBad = new Set<number>();
    grids.forEach((g, i) => {
      const p = g.properties;
      const code = String(p.code);
      if (!isWellFormedGridCode(code)) { add('bad_code', [code], {}, g.geometry); codesBad.add(i); }
      else if (p.community_code && communityOf(code) !== p.community_code) { add('code_prefix_mismatch', [code, p.community_code], {}, g.geometry); codesBad.add(i); }
      if (!p.community_code || String(p.community_code).length !== CODE_LENGTH.community || (communities.size > 0 && !communities.has(p.community_code))) {
        add('no_community', [code, String(p.community_code ?? '')], {}, g.geometry);
        codesBad.add(i);
      }
      if ((codeCount.get(code) ?? 0) > 1) codesBad.add(i);
    });
    for (const [code, n] of codeCount) if (n > 1) add('duplicate_code', [code], { count: n }, null);

    // Rule 7: a base grid in several separate pieces; grids with invalid edges.
    const shapeBad = new Set<string>();
    for (const g of grids) {
      if (g.properties.kind === 'base' && g.geometry.type === 'MultiPolygon' && g.geometry.coordinates.length > 1) {
        add('islands', [g.properties.code], { count: g.geometry.coordinates.length }, g.geometry);
        shapeBad.add(g.properties.code);
      }
    }
    for (const f of this.landPart().byKind.get('invalid_edges') ?? []) f.ids.forEach((c) => shapeBad.add(c));
    // Grids are in code order: the lists are (nearly) in the report's order already, which a stable sort passes over in one sweep.
    for (const list of byKind.values()) sortFindings(list);
    return { gridReports, byKind, codesBad: codesBad.size, shapeBad: shapeBad.size };
  }

  // ---------------------------------------------------------------- internals

  private indexGrids() {
    this.locator = new GridLocator(this.grids);
    this.edges = new GridEdges(this.locator.packed);
    this.signs = ringSigns(this.locator.packed);
  }

  /** The grid indexes after an edit, updated: grid k is grid source[k] of the previous list, or new (-1). */
  private reindexGrids(source: Int32Array) {
    this.locator = this.locator.after(this.grids, source);
    this.edges.update(this.locator.packed, source);
    this.signs = ringSigns(this.locator.packed);
  }

  private setUpRegions() {
    const communities = this.boundaries.filter((c) => c.properties.level === 'community');
    const from = communities.length > 0 ? communities : this.boundaries.filter((c) => c.properties.level === 'district');
    for (const r of from) {
      this.regions.set(r.properties.code, { code: r.properties.code, geometry: r.geometry, members: [], onTop: [] });
      this.landArea += geodesicArea(r.geometry);
    }
    // No boundary at all: every grid in one region with no outline. Overlaps and the holes
    // the grids enclose are still found; the outer edge is not checked.
    if (from.length === 0) this.regions.set('', { code: '', geometry: null, members: [], onTop: [] });
    this.singleRegion = communities.length === 0 && this.regions.size === 1 ? [...this.regions.values()][0] : null;
    for (const r of this.regions.values()) this.fillRegion(r);
  }

  /**
   * The region a grid is checked in: its community's (by code), else the community boundary
   * around it (a grid whose community code matches no boundary is still checked where it lies;
   * the codes rule names the code).
   */
  private regionOf(gi: number): LandRegion | undefined {
    const g = this.grids[gi];
    const byCode = this.singleRegion ?? this.regions.get(g.properties.community_code);
    if (byCode) return byCode;
    if (!this.regionAround.has(gi)) {
      const [x, y] = pointOnFeature(g as Feature<AreaGeometry>).geometry.coordinates;
      this.regionTests ??= [...this.regions.values()].map((r) => ({ r, test: new RingTest(flatRings(r.geometry!)) }));
      this.regionAround.set(gi, this.regionTests.find((t) => t.test.contains(x, y))?.r);
    }
    return this.regionAround.get(gi);
  }

  /**
   * Overlaps between grids of different communities: the grids of every region (those on top
   * too), and those in none, near the places where they can meet (spill, boundaries
   * overlapping each other). Then each community's land as listed: where grids of other
   * communities near one of its overlaps may cover it too, its land is checked again with them,
   * so a piece under grids of several communities is listed once, across (land.ts `foreign`).
   * Worked out whole on every run and update, from the regions' results: an update gives what
   * a full run does.
   */
  private checkAcross() {
    this.landListed = new Map(this.landResults);
    this.across = [];
    if (this.singleRegion) return;
    const members: AcrossMember[] = [];
    for (const r of this.regions.values()) for (const m of [...r.members, ...r.onTop]) members.push({ ...m, region: r.code });
    this.grids.forEach((g, i) => {
      if (this.regionOf(i)) return;
      members.push({ grid: i, code: g.properties.code, kind: g.properties.kind, geometry: g.geometry, region: null });
    });
    const zones: Box[] = [];
    for (const r of this.landResults.values()) zones.push(...r.spillBoxes);
    for (const f of this.boundaryFindings) if (f.kind === 'boundary_overlap') zones.push(geomBBox(f.geometry as AreaGeometry));
    const { findings, near } = overlapsAcross(members, zones, this.settings.sliverM2);
    this.across = findings;
    if (findings.length === 0) return;
    const boxes = near.map((m) => geomBBox(m.geometry));
    for (const r of this.regions.values()) {
      const overlaps = this.landResults.get(r.code)?.findings.filter((f) => f.kind === 'overlap') ?? [];
      if (overlaps.length === 0) continue;
      const around = overlaps.map((f) => geomBBox(f.geometry as AreaGeometry));
      const foreign = near.filter((m, k) => m.region !== r.code && around.some((a) => boxesMeet(a, boxes[k])));
      if (foreign.length > 0) this.landListed.set(r.code, checkLandRegion({ ...r, foreign }, this.settings));
    }
  }

  /** The grids that tile the region, and the dedicated grids drawn on top of them. */
  private fillRegion(region: LandRegion) {
    region.members = [];
    region.onTop = [];
    this.grids.forEach((g, i) => {
      if (this.regionOf(i) !== region) return;
      const member: LandMember = { grid: i, code: g.properties.code, kind: g.properties.kind, geometry: g.geometry };
      if (g.properties.kind === 'dedicated' && this.isOnTop(g)) region.onTop.push(member);
      else region.members.push(member);
    });
  }

  private isOnTop(g: GridFeature): boolean {
    // (a point per outline, kept: every edit asks again of every dedicated grid)
    let at = pointOn.get(g.geometry);
    if (!at) pointOn.set(g.geometry, (at = pointOnFeature(g as Feature<AreaGeometry>).geometry.coordinates));
    const [x, y] = at;
    return this.locator.hits(x, y).baseHits > 0;
  }

  private assignBuilding(i: number) {
    assignBuilding(i, this.buildings, this.bPacked, this.grids, this.locator, this.edges, this.signs, this.b);
  }

  private prepareHouseholds() {
    const { ids, buildingIds, positions } = this.households;
    const byId = new IdIndex(this.buildings.map((f) => String(f.properties.id)));
    const repeats = markRepeats(ids);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const x = positions[2 * i];
      const y = positions[2 * i + 1];
      const wrong = id === undefined || id === null || id === '' ? problem('missing_property', { name: 'id' })
        : repeats[i] ? problem('duplicate_id', { name: 'id', id })
          : x === x || y === y ? pointProblem(x, y) : null;
      if (wrong) {
        this.skipped.push(skippedItem('households', id ? String(id) : `#${i + 1}`, wrong));
        this.h.outcome[i] = Outcome.skipped;
        continue;
      }
      const bid = buildingIds[i];
      this.hHasBuildingId[i] = bid !== undefined && bid !== null && bid !== '' ? 1 : 0;
      if (this.hHasBuildingId[i]) this.hBuilding[i] = byId.get(typeof bid === 'string' ? bid : String(bid));
    }
  }

  private assignHousehold(i: number, x: number, y: number) {
    assignHousehold(i, x, y, this.hBuilding[i], this.hHasBuildingId[i] === 1, this.b, this.bPacked, this.locator, this.settings.misplacedM, this.h);
  }

  private buildingIndex(): Flatbush {
    if (!this.bIndex) {
      const { bbox } = this.bPacked;
      const n = this.buildings.length;
      this.bIndex = new Flatbush(Math.max(1, n));
      for (let i = 0; i < n; i++) this.bIndex.add(bbox[4 * i], bbox[4 * i + 1], bbox[4 * i + 2], bbox[4 * i + 3]);
      if (n === 0) this.bIndex.add(0, 0, 0, 0);
      this.bIndex.finish();
    }
    return this.bIndex;
  }

  /** Households with points, indexed (built on the first update, not for a one-off check). */
  private householdIndex(): Flatbush {
    if (!this.hIndex) {
      const { positions } = this.households;
      const n = positions.length / 2;
      this.hIndex = new Flatbush(Math.max(1, n));
      for (let i = 0; i < n; i++) {
        const x = positions[2 * i], y = positions[2 * i + 1];
        if (x === x && y === y) this.hIndex.add(x, y, x, y);
        else this.hIndex.add(Infinity, Infinity, Infinity, Infinity); // never found
      }
      if (n === 0) this.hIndex.add(0, 0, 0, 0);
      this.hIndex.finish();
    }
    return this.hIndex;
  }

  /** Households of each building (CSR: list[start[b]..start[b+1]]). */
  private householdsByBuilding() {
    if (!this.hByBuilding) {
      const nb = this.buildings.length;
      const start = new Int32Array(nb + 1);
      for (const b of this.hBuilding) if (b >= 0) start[b + 1]++;
      for (let i = 0; i < nb; i++) start[i + 1] += start[i];
      const fill = start.slice(0, nb);
      const list = new Int32Array(start[nb]);
      this.hBuilding.forEach((b, i) => { if (b >= 0) list[fill[b]++] = i; });
      this.hByBuilding = { start, list };
    }
    return this.hByBuilding;
  }
}

/**
 * The report's parts kept between edits: findings per kind in the report's order, the per-grid
 * counts and the totals. replaceGrids keeps the counts up to date and marks the buildings and
 * households it worked out again; report() replaces their findings.
 */
interface KeptReport {
  /** per kind of a building's or a household's finding, in the report's order */
  byKind: Map<FindingKind, Finding[]>;
  /** the building or household each of those findings is about (ties keep the full report's order) */
  origin: Map<Finding, number>;
  bFinding: Map<number, Finding>;
  hFinding: Map<number, Finding>;
  gBuildings: Int32Array;
  gHouseholds: Int32Array;
  gResidents: Int32Array;
  /** 1 where a building is counted clean */
  bClean: Uint8Array;
  cleanBuildings: number;
  householdsOk: number;
  /** these do not change with the grids */
  kept: number;
  peopleOk: number;
  residentsTotal: number;
  residential: number;
  empty: number;
  communityBand: Map<string, [number, number]>;
  communities: Set<string>;
  /** worked out again since the last report */
  dirtyB: Set<number>;
  dirtyH: Set<number>;
}

/** Kinds in the report's order (compareFindings: by rule, then kind). */
const KINDS_IN_ORDER = [...FINDING_KINDS].sort((a, b) => RULES.indexOf(FINDING_RULE[a]) - RULES.indexOf(FINDING_RULE[b]) || FINDING_KINDS.indexOf(a) - FINDING_KINDS.indexOf(b));

/** A point on each grid outline (pointOnFeature), by the geometry object: outlines are not changed in place. */
const pointOn = new WeakMap<AreaGeometry, number[]>();

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** One full check: the report, per-item results and stage timings. */
/**
 * The grids a check would use, in its order: usable ones kept (invalid rings repaired as the
 * check repairs them), in code order. An edit history applies to these.
 */
export function usableGrids(grids: GridFeature[]): GridFeature[] {
  return [...validAreas('grids', grids, 'code', { unique: false }).kept].sort(byCodeOrder);
}

const byCodeOrder = (a: GridFeature, b: GridFeature) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0);

export function runChecks(input: CheckInput, settings: CheckSettings = DEFAULT_SETTINGS, onStage?: (stage: string) => void) {
  const checker = new CoverageChecker(input, settings, onStage);
  const t = performance.now();
  const report = checker.report();
  return { report, assignment: checker.assignment(), timings: { ...checker.timings, report: performance.now() - t } };
}

function stopwatch(into: Record<string, number>, onStage?: (stage: string) => void) {
  let t0 = performance.now();
  return (name: string) => { const t = performance.now(); into[name] = t - t0; t0 = t; onStage?.(name); };
}

const boxesMeet = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function isBand(min: unknown, max: unknown): boolean {
  return min !== null && max !== null && min !== undefined && max !== undefined && min !== '' && max !== ''
    && Number.isFinite(Number(min)) && Number.isFinite(Number(max)) && Number(max) > 0;
}

function isResidential(b: BuildingFeature): boolean {
  const r = b.properties.residential as unknown;
  return r === true || r === 'true' || r === 1 || r === '1';
}
