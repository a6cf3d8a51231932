// Raw canonical features → the District the console holds: columnar tables, the coverage
// report, each building, household and case in its effective grid, per-grid totals. Pure;
// runs in the worker.
import { parseTime } from '../domain/cases';
import type { District, GridStats, HouseholdTable } from '../domain/district';
import { caseBuffers, casesAt, type CaseColumns } from './caseTable';
import { withCaseFindings } from '../checks/cases';
import { buildingBuffers, buildingCentres, buildingTable } from './buildingTable';
import type { DistrictPreview } from './preview';
import { densityGrid } from './density';
import { CoverageChecker, type CheckInput } from '../checks/engine';
import type { Report } from '../checks/report';
import { householdsFromFeatures, isPersonalKey } from '../io/layers';
import type {
  BoundaryFeature, BuildingFeature, DemoMeta, GridFeature,
  HouseholdFeature, RoadFeature, WaterFeature,
} from '../domain/types';

export interface RawLayers {
  meta: DemoMeta;
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  roads: RoadFeature[];
  water: WaterFeature[];
  buildings: BuildingFeature[];
  households: HouseholdFeature[];
  /** cases as columns (a district may hold hundreds of thousands) */
  cases: CaseColumns;
}

/** "Now" for overdue: a snapshot's as_of time if it has one, else the clock. */
export function nowFor(meta: DemoMeta, clockMs: number): number {
  const asOf = parseTime(meta.as_of);
  return Number.isFinite(asOf) ? asOf : clockMs;
}

/**
 * The grids, buildings and households the console shows are those the coverage engine
 * could use (what it skipped is listed in the report); per-grid totals come from its report.
 */
export function assembleDistrict(raw: RawLayers, clockMs: number, onStage?: (stage: string) => void, caseLimits?: Record<string, number>,
  checker = new CoverageChecker(checkInputOf(raw), undefined, onStage), preview?: DistrictPreview): District {
  const columns = householdsFromFeatures(raw.households);
  const report = checker.report();
  const assignment = checker.assignment();
  const grids = assignment.grids.slice();
  const { cases, openCases, overdueCases } = casesAt(raw.cases, grids, nowFor(raw.meta, clockMs), caseLimits);
  const stats = statsOf(report, openCases, overdueCases);
  const households: HouseholdTable = {
    count: columns.ids.length,
    ids: columns.ids,
    buildingIds: columns.buildingIds,
    rooms: raw.households.map((f) => String(f.properties.room ?? '')),
    units: Int16Array.from(raw.households, (f) => Number(f.properties.unit) || 0),
    residents: Int16Array.from(columns.residents),
    positions: columns.positions,
    // copies: the checker lives on in the worker's session, and these go to the page
    building: assignment.householdBuilding.slice(),
    grid: assignment.householdGrid.slice(),
    heads: personalColumn(raw.households, 'head_name'),
    phones: personalColumn(raw.households, 'phone'),
    otherPersonal: otherPersonal(raw.households),
  };
  const bHouseholds = new Int32Array(assignment.buildings.length);
  for (const b of households.building) if (b >= 0) bHouseholds[b]++;
  // The preview's table (made from the stored columns) when the checks kept every building as it was.
  const same = preview && preview.buildings.count === raw.buildings.length && assignment.buildings.length === raw.buildings.length
    && assignment.buildings.every((b, i) => b === raw.buildings[i]);
  const buildings = same
    ? { ...preview.buildings, grid: assignment.buildingGrid.slice(), households: bHouseholds }
    : buildingTable(assignment.buildings, assignment.buildingGrid.slice(), bHouseholds);

  return {
    meta: raw.meta,
    boundaries: raw.boundaries,
    grids,
    roads: raw.roads,
    water: raw.water,
    buildings,
    households,
    cases,
    gridStats: stats,
    density: preview && same ? preview.density : { households: densityGrid(households.positions), buildings: densityGrid(buildingCentres(buildings)) },
    report: withCaseFindings(report, cases),
  };
}

/** Per-grid totals (positions in code order, as the report lists the grids). */
export function statsOf(report: Report, openCases: Int32Array, overdueCases: Int32Array): GridStats {
  return {
    households: Int32Array.from(report.grids, (g) => g.households),
    buildings: Int32Array.from(report.grids, (g) => g.buildings),
    residents: Int32Array.from(report.grids, (g) => g.residents),
    openCases,
    overdueCases,
  };
}

function personalColumn(fs: HouseholdFeature[], key: 'head_name' | 'phone'): string[] | null {
  const props = (f: HouseholdFeature) => f.properties as unknown as Record<string, unknown>;
  if (!fs.some((f) => props(f)[key])) return null;
  return fs.map((f) => String(props(f)[key] ?? ''));
}

function otherPersonal(fs: HouseholdFeature[]): { key: string; values: string[] }[] {
  const keys = new Set<string>();
  for (const f of fs) for (const k of Object.keys(f.properties)) if (isPersonalKey(k) && k !== 'head_name' && k !== 'phone') keys.add(k);
  return [...keys].map((key) => ({ key, values: fs.map((f) => String((f.properties as unknown as Record<string, unknown>)[key] ?? '')) }));
}

/** What the coverage engine checks, from the raw layers. */
export function checkInputOf(raw: RawLayers, columns = householdsFromFeatures(raw.households)): CheckInput {
  return { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: columns };
}

/** The typed arrays of a district, for transfer from the worker without copying. */
export function transferablesOf(d: District): ArrayBuffer[] {
  const arrays = [
    d.density.households.level, d.density.buildings.level,
    d.households.units, d.households.residents, d.households.positions, d.households.building, d.households.grid,
    d.gridStats.households, d.gridStats.buildings, d.gridStats.residents, d.gridStats.openCases, d.gridStats.overdueCases,
  ];
  return [...arrays.map((a) => a.buffer as ArrayBuffer), ...buildingBuffers(d.buildings), ...caseBuffers(d.cases)];
}
