// The coverage engine: 区不漏地、地不漏房、房不漏户、户不漏人 (DESIGN "The coverage rules").
// Plain TypeScript, no DOM: the same code runs in the page's worker and in the CLI.
import Flatbush from 'flatbush';
import { area, difference, featureCollection, intersect, pointOnFeature, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry, BoundaryFeature, BuildingFeature, GridFeature } from '../domain/types';
import { CODE_LENGTH, communityOf, isWellFormedGridCode } from '../domain/codes';
import { DEFAULT_BAND } from '../domain/bands';
import { GridLocator } from './locate';
import { packPolygons, pointInPacked, type PackedPolygons } from './rings';
import { checkLandRegion, geomBBox, type LandMember, type LandRegion } from './land';
import { pointProblem, validAreas } from './validate';
import { markRepeats } from './ids';
import {
  FINDING_KINDS, FINDING_RULE, RULES, type BandStatus, type Finding, type FindingKind, type GridReport,
  type Report, type RuleName, type Skipped,
} from './report';

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

/** What the engine worked out, beyond the report: per-item assignments for the map. */
export interface Assignment {
  /** kept grids, in report order */
  grids: GridFeature[];
  buildings: BuildingFeature[];
  /** effective grid per kept building, -1 = orphan */
  buildingGrid: Int32Array;
  /** share of each building's footprint held by its grid */
  buildingShare: Float64Array;
  /** effective grid per household (input order), -1 = none */
  householdGrid: Int32Array;
}

const M_PER_DEG_LAT = 111_320;

export function runChecks(input: CheckInput, settings: CheckSettings = DEFAULT_SETTINGS): { report: Report; assignment: Assignment; timings: Record<string, number> } {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const stage = (name: string) => { const t = performance.now(); timings[name] = t - t0; t0 = t; };
  const skipped: Skipped[] = [];
  const boundariesV = validAreas('boundaries', input.boundaries, 'code');
  const gridsV = validAreas('grids', input.grids, 'code', { unique: false });
  const buildingsV = validAreas('buildings', input.buildings, 'id');
  skipped.push(...boundariesV.skipped, ...gridsV.skipped, ...buildingsV.skipped);
  // Grids in code order: every "lowest index wins" tie-break below then means "lowest code",
  // so results do not depend on the order of the input.
  const grids = [...gridsV.kept].sort((a, b) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0));
  const buildings = buildingsV.kept;
  const boundaries = boundariesV.kept;
  const findings: Finding[] = [];
  const add = (kind: FindingKind, ids: string[], measure: Finding['measure'], geometry: Finding['geometry']) =>
    findings.push({ kind, rule: FINDING_RULE[kind], ids, measure, geometry });

  const locator = new GridLocator(grids);
  stage('validate');

  // ---- Rule 1 and 7 (edges): land, per community (or per district without communities).
  const land = checkLand(boundaries, grids, locator, settings);
  for (const f of land.findings) {
    add(f.kind, f.ids, f.kind === 'invalid_edges' ? {} : { area_m2: round(f.area_m2, 2) }, f.geometry);
  }

  stage('land');
  // ---- Rule 2: buildings, by the largest share of their footprint.
  const b = assignBuildings(buildings, grids, locator);
  for (let i = 0; i < buildings.length; i++) {
    const id = String(buildings[i].properties.id);
    if (b.grid[i] < 0) add('orphan_building', [id], {}, buildings[i].geometry);
    else if (b.share[i] < settings.cleanShare) {
      add('straddling_building', [id, ...[b.grid[i], ...b.others[i]].map((g) => grids[g].properties.code)], { share: round(b.share[i], 4) }, buildings[i].geometry);
    }
  }

  stage('buildings');
  // ---- Rules 3 and 4: households and people.
  const h = assignHouseholds(input.households, buildings, b, locator, settings, skipped);
  stage('households');
  const bHouseholds = new Int32Array(buildings.length);
  const gHouseholds = new Int32Array(grids.length);
  const gResidents = new Int32Array(grids.length);
  const gBuildings = new Int32Array(grids.length);
  for (let i = 0; i < buildings.length; i++) if (b.grid[i] >= 0) gBuildings[b.grid[i]]++;
  const { ids, residents, positions } = input.households;
  const pointOf = (i: number) => (Number.isFinite(positions[2 * i])
    ? { type: 'Point' as const, coordinates: [positions[2 * i], positions[2 * i + 1]] } : null);
  let residentsTotal = 0;
  let householdsOk = 0;
  let peopleOk = 0;
  for (const i of h.kept) {
    const g = h.grid[i];
    const r = Number(residents[i]);
    const hasResidents = Number.isFinite(r) && r > 0;
    if (h.building[i] >= 0) bHouseholds[h.building[i]]++;
    if (g >= 0) {
      gHouseholds[g]++;
      if (hasResidents) gResidents[g] += r;
    }
    if (hasResidents) { residentsTotal += r; peopleOk++; }
    else add('no_residents', [ids[i]], { count: Number.isFinite(r) ? r : 0 }, pointOf(i));
    const outcome = h.outcome[i];
    if (outcome === 'ok') householdsOk++;
    else if (outcome === 'dangling') add('dangling_household', [ids[i], input.households.buildingIds[i]], {}, pointOf(i));
    else if (outcome === 'orphan') add('orphan_household', [ids[i]], {}, pointOf(i));
    else if (outcome === 'double') add('double_household', [ids[i], ...h.doubleGrids.get(i)!.map((k) => grids[k].properties.code)], { count: h.doubleGrids.get(i)!.length }, pointOf(i));
    else if (outcome === 'misplaced') add('misplaced_household', [ids[i], input.households.buildingIds[i]], { distance_m: round(h.distance[i], 1) }, pointOf(i));
  }
  let residentialBuildings = 0;
  for (let i = 0; i < buildings.length; i++) {
    if (!isResidential(buildings[i])) continue;
    residentialBuildings++;
    if (bHouseholds[i] === 0) add('empty_building', [String(buildings[i].properties.id)], { count: 0 }, buildings[i].geometry);
  }

  stage('people');
  // ---- Rule 5: size. A grid's own band, else its community's, else the default.
  const communityBand = new Map<string, [number, number]>();
  for (const c of boundaries) {
    const p = c.properties as unknown as Record<string, unknown>;
    if (isBand(p.band_min, p.band_max)) communityBand.set(c.properties.code, [Number(p.band_min), Number(p.band_max)]);
  }
  const gridReports: GridReport[] = grids.map((g, i) => {
    const p = g.properties;
    const band: [number, number] | null = p.kind !== 'base' ? null
      : isBand(p.band_min, p.band_max) ? [Number(p.band_min), Number(p.band_max)]
        : communityBand.get(p.community_code) ?? settings.defaultBand;
    const n = gHouseholds[i];
    const status: BandStatus = !band ? 'none' : n < band[0] ? 'under' : n > band[1] ? 'over' : 'in';
    if (status === 'under' || status === 'over') add(status === 'under' ? 'under_band' : 'over_band', [p.code], { count: n, band: band! }, g.geometry);
    return {
      code: p.code, name: p.name, kind: p.kind, households: n, buildings: gBuildings[i], residents: gResidents[i],
      band, band_status: status,
    };
  });

  // ---- Rule 6: codes.
  const communities = new Set(boundaries.filter((c) => c.properties.level === 'community').map((c) => c.properties.code));
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
  });
  for (const [code, n] of codeCount) {
    if (n > 1) {
      add('duplicate_code', [code], { count: n }, null);
      grids.forEach((g, i) => { if (g.properties.code === code) codesBad.add(i); });
    }
  }

  // ---- Rule 7: shape. A base grid in several separate pieces.
  const shapeBad = new Set<string>();
  for (const g of grids) {
    if (g.properties.kind === 'base' && g.geometry.type === 'MultiPolygon' && g.geometry.coordinates.length > 1) {
      add('islands', [g.properties.code], { count: g.geometry.coordinates.length }, g.geometry);
      shapeBad.add(g.properties.code);
    }
  }
  for (const f of findings) if (f.kind === 'invalid_edges') f.ids.forEach((c) => shapeBad.add(c));

  // ---- Summary.
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) counts[f.kind]++;
  const baseGrids = gridReports.filter((g) => g.kind === 'base');
  const landBad = findings.filter((f) => f.rule === 'land').reduce((s, f) => s + (f.measure.area_m2 ?? 0), 0);
  const share = (ok: number, all: number) => (all === 0 ? 1 : round(ok / all, 6));
  const cleanBuildings = buildings.length - counts.orphan_building - counts.straddling_building;
  const scores: Record<RuleName, number> = {
    land: land.area_m2 > 0 ? round(Math.max(0, 1 - landBad / land.area_m2), 6) : 1,
    buildings: share(cleanBuildings, buildings.length),
    households: share(householdsOk, h.kept.length),
    people: share(peopleOk, h.kept.length),
    size: share(baseGrids.filter((g) => g.band_status === 'in').length, baseGrids.length),
    codes: share(grids.length - codesBad.size, grids.length),
    shape: share(grids.length - shapeBad.size, grids.length),
  };
  // empty buildings count against the household rule's cleanliness too
  if (counts.empty_building > 0 && residentialBuildings > 0) scores.households = round(scores.households * (1 - counts.empty_building / residentialBuildings), 6);
  findings.sort(compareFindings);
  stage('summary');
  const report: Report = {
    version: 1,
    summary: {
      totals: {
        grids: grids.length, base_grids: baseGrids.length, dedicated_grids: grids.length - baseGrids.length,
        buildings: buildings.length, households: h.kept.length, residents: residentsTotal, land_m2: round(land.area_m2, 1),
      },
      scores,
      counts,
      slivers: { count: land.slivers.count, area_m2: round(land.slivers.area_m2, 3) },
      skipped: skipped.length,
      clean: findings.length === 0,
    },
    grids: gridReports,
    findings,
    skipped,
  };
  return {
    report,
    assignment: { grids, buildings, buildingGrid: b.grid, buildingShare: b.share, householdGrid: h.grid },
    timings,
  };
}

const RULE_ORDER = Object.fromEntries(RULES.map((r, i) => [r, i]));
function compareFindings(a: Finding, b: Finding): number {
  return RULE_ORDER[a.rule] - RULE_ORDER[b.rule] || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind)
    || (a.ids[0] ?? '').localeCompare(b.ids[0] ?? '') || (a.ids[1] ?? '').localeCompare(b.ids[1] ?? '');
}

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

// ---------------------------------------------------------------- land

function checkLand(boundaries: BoundaryFeature[], grids: GridFeature[], locator: GridLocator, settings: CheckSettings) {
  const communities = boundaries.filter((c) => c.properties.level === 'community');
  const regionsFrom = communities.length > 0 ? communities : boundaries.filter((c) => c.properties.level === 'district');
  const byCode = new Map<string, LandRegion>();
  for (const r of regionsFrom) byCode.set(r.properties.code, { code: r.properties.code, geometry: r.geometry, members: [], onTop: [] });
  const single = communities.length === 0 && byCode.size === 1 ? [...byCode.values()][0] : null;

  grids.forEach((g, i) => {
    const region = single ?? byCode.get(g.properties.community_code);
    if (!region) return; // no community: a codes finding; its land is not part of any tiling
    const member: LandMember = { grid: i, code: g.properties.code, kind: g.properties.kind, geometry: g.geometry };
    if (g.properties.kind === 'dedicated' && isOnTop(g, locator)) region.onTop.push(member);
    else region.members.push(member);
  });

  const findings: ReturnType<typeof checkLandRegion>['findings'] = [];
  const slivers = { count: 0, area_m2: 0 };
  let landArea = 0;
  for (const region of byCode.values()) {
    landArea += area(region.geometry);
    const r = checkLandRegion(region, { sliverM2: settings.sliverM2 });
    findings.push(...r.findings);
    slivers.count += r.slivers.count;
    slivers.area_m2 += r.slivers.area_m2;
  }
  return { findings, slivers, area_m2: landArea };
}

/** A dedicated grid drawn on top of base grids (rather than carved out of them). */
function isOnTop(g: GridFeature, locator: GridLocator): boolean {
  const [x, y] = pointOnFeature(g).geometry.coordinates;
  return locator.hits(x, y).baseHits > 0;
}

// ---------------------------------------------------------------- buildings

interface BuildingAssignment {
  grid: Int32Array;
  share: Float64Array;
  /** other grids holding part of a straddling building */
  others: number[][];
  packed: PackedPolygons;
  /** a building wholly inside one grid, away from every grid edge */
  simple: Uint8Array;
}

function assignBuildings(buildings: BuildingFeature[], grids: GridFeature[], locator: GridLocator): BuildingAssignment {
  const n = buildings.length;
  const packed = packPolygons(buildings.map((b) => b.geometry));
  const edges = gridEdgeIndex(locator.packed);
  const grid = new Int32Array(n).fill(-1);
  const share = new Float64Array(n);
  const simple = new Uint8Array(n);
  const others: number[][] = new Array(n);
  const { coords, ringStart, polyRings, bbox } = packed;
  for (let i = 0; i < n; i++) {
    others[i] = [];
    const [x0, y0, x1, y1] = [bbox[4 * i], bbox[4 * i + 1], bbox[4 * i + 2], bbox[4 * i + 3]];
    // Fast path: no grid edge comes near the footprint, and its first vertex is in exactly
    // one grid of its kind: the whole footprint is in that grid.
    if (edges.search(x0, y0, x1, y1).length === 0) {
      const c = ringStart[polyRings[i]];
      const hit = locator.hits(coords[2 * c], coords[2 * c + 1]);
      if (hit.effective < 0) { grid[i] = -1; share[i] = 0; simple[i] = 1; continue; }
      if (hit.dedicated || hit.baseHits === 1) { grid[i] = hit.effective; share[i] = 1; simple[i] = 1; continue; }
    }
    // Slow path (near grid edges): clip the footprint with each candidate grid. Dedicated
    // grids take precedence: a base grid's share is what is left after them.
    const fp: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: buildings[i].geometry };
    const total = area(fp);
    if (total <= 0) continue;
    const parts = locator.candidates(x0, y0, x1, y1).map((g) => ({
      g, part: intersect(featureCollection([fp, grids[g] as Feature<Polygon | MultiPolygon>])),
    })).filter((x): x is { g: number; part: Feature<Polygon | MultiPolygon> } => x.part !== null);
    const dedicatedParts = parts.filter((x) => locator.isDedicated(x.g)).map((x) => x.part);
    const dedicatedUnion = dedicatedParts.length > 1 ? union(featureCollection(dedicatedParts)) : dedicatedParts[0] ?? null;
    const shares = parts.map(({ g, part }) => {
      const effective = !locator.isDedicated(g) && dedicatedUnion ? difference(featureCollection([part, dedicatedUnion])) : part;
      return { g, s: effective ? area(effective) / total : 0 };
    }).filter((x) => x.s > 1e-6).sort((a, b) => b.s - a.s || a.g - b.g);
    if (shares.length === 0) continue;
    grid[i] = shares[0].g;
    share[i] = Math.min(1, shares[0].s);
    others[i] = shares.slice(1).map((x) => x.g);
  }
  return { grid, share, others, packed, simple };
}

/** A flatbush over every grid edge's bounding box. */
function gridEdgeIndex(P: PackedPolygons): Flatbush {
  const { coords, ringStart } = P;
  const nRings = ringStart.length - 1;
  let nEdges = 0;
  for (let r = 0; r < nRings; r++) nEdges += Math.max(0, ringStart[r + 1] - ringStart[r] - 1);
  const index = new Flatbush(Math.max(1, nEdges));
  for (let r = 0; r < nRings; r++) {
    for (let k = ringStart[r]; k + 1 < ringStart[r + 1]; k++) {
      const ax = coords[2 * k], ay = coords[2 * k + 1], bx = coords[2 * k + 2], by = coords[2 * k + 3];
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
  }
  if (nEdges === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

// ---------------------------------------------------------------- households

type Outcome = 'ok' | 'orphan' | 'double' | 'dangling' | 'misplaced';

function assignHouseholds(
  hh: HouseholdColumns, buildings: BuildingFeature[], b: BuildingAssignment, locator: GridLocator,
  settings: CheckSettings, skipped: Skipped[],
) {
  const n = hh.ids.length;
  const grid = new Int32Array(n).fill(-1);
  const building = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const outcome: Outcome[] = new Array(n);
  const doubleGrids = new Map<number, number[]>();
  const kept: number[] = [];
  const bIndex = new Map<string, number>();
  buildings.forEach((f, i) => bIndex.set(String(f.properties.id), i));
  const repeats = markRepeats(hh.ids);
  const { positions } = hh;

  for (let i = 0; i < n; i++) {
    const id = hh.ids[i];
    if (id === undefined || id === null || id === '') { skipped.push({ layer: 'households', id: `#${i + 1}`, reason: 'missing property "id"' }); continue; }
    if (repeats[i]) { skipped.push({ layer: 'households', id, reason: `duplicate id "${id}" (the first one is kept)` }); continue; }
    const x = positions[2 * i];
    const y = positions[2 * i + 1];
    const hasPoint = Number.isFinite(x) && Number.isFinite(y);
    if (hasPoint) {
      const problem = pointProblem(x, y);
      if (problem) { skipped.push({ layer: 'households', id, reason: problem }); continue; }
    }
    kept.push(i);
    const bi = bIndex.get(String(hh.buildingIds[i] ?? '')) ?? -1;
    building[i] = bi;
    const hasBuildingId = hh.buildingIds[i] !== undefined && hh.buildingIds[i] !== null && hh.buildingIds[i] !== '';

    if (!hasPoint) {
      // Roster form: the household takes its building's grid.
      if (bi < 0) { outcome[i] = hasBuildingId ? 'dangling' : 'orphan'; continue; }
      grid[i] = b.grid[bi];
      outcome[i] = grid[i] < 0 ? 'orphan' : 'ok';
      continue;
    }
    // Fast path: the point is inside its own building, which lies wholly inside one grid.
    if (bi >= 0 && b.simple[bi] && pointInPacked(b.packed, bi, x, y)) {
      grid[i] = b.grid[bi];
      outcome[i] = grid[i] < 0 ? 'orphan' : 'ok';
      continue;
    }
    const hit = locator.hits(x, y);
    grid[i] = hit.effective;
    if (hit.effective < 0) outcome[i] = 'orphan';
    else if (!hit.dedicated && hit.baseHits > 1) {
      outcome[i] = 'double';
      doubleGrids.set(i, locator.candidates(x, y, x, y).filter((g) => !locator.isDedicated(g) && pointInPacked(locator.packed, g, x, y)).sort((p, q) => p - q));
    } else outcome[i] = 'ok';
    if (outcome[i] === 'ok' && hasBuildingId && bi < 0) outcome[i] = 'dangling';
    if (outcome[i] === 'ok' && bi >= 0 && !pointInPacked(b.packed, bi, x, y)) {
      distance[i] = distanceToBox(x, y, b.packed.bbox, bi);
      if (distance[i] > settings.misplacedM) outcome[i] = 'misplaced';
    }
  }
  return { grid, building, outcome, doubleGrids, distance, kept };
}

/** Metres from a point to a bounding box (0 inside): enough to tell "far outside". */
function distanceToBox(x: number, y: number, bbox: Float64Array, i: number): number {
  const dx = Math.max(bbox[4 * i] - x, 0, x - bbox[4 * i + 2]);
  const dy = Math.max(bbox[4 * i + 1] - y, 0, y - bbox[4 * i + 3]);
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((y * Math.PI) / 180);
  return Math.hypot(dx * mPerDegLon, dy * M_PER_DEG_LAT);
}

export { geomBBox };
export type { AreaGeometry };
