// Raw canonical features → the District the console holds: columnar tables, each building,
// household and case placed in its effective grid, per-grid totals. Pure; runs in the worker.
import { GridLocator } from '../checks/locate';
import { CaseStatus, DISPATCH_LEVELS, caseStatus, parseTime } from '../domain/cases';
import type { CaseTable, District, GridStats, HouseholdTable } from '../domain/district';
import type {
  AreaGeometry, BoundaryFeature, BuildingFeature, CaseFeature, DemoMeta, GridFeature,
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
  cases: CaseFeature[];
}

/** "Now" for overdue: a snapshot's as_of time if it has one, else the clock. */
export function nowFor(meta: DemoMeta, clockMs: number): number {
  const asOf = parseTime(meta.as_of);
  return Number.isFinite(asOf) ? asOf : clockMs;
}

export function assembleDistrict(raw: RawLayers, clockMs: number): District {
  const locator = new GridLocator(raw.grids);
  const nGrids = raw.grids.length;
  const stats: GridStats = {
    households: new Int32Array(nGrids),
    buildings: new Int32Array(nGrids),
    residents: new Int32Array(nGrids),
    openCases: new Int32Array(nGrids),
    overdueCases: new Int32Array(nGrids),
  };

  // Buildings: placed by a point inside the footprint (the vertex mean of its outer ring).
  // TODO(issue 3): largest-share assignment replaces this once the coverage engine lands.
  const bGrid = new Int32Array(raw.buildings.length);
  const bIndex = new Map<string, number>();
  raw.buildings.forEach((b, i) => {
    bIndex.set(String(b.properties.id), i);
    const [x, y] = ringMean(b.geometry);
    bGrid[i] = locator.locate(x, y);
    if (bGrid[i] >= 0) stats.buildings[bGrid[i]]++;
  });

  const households = householdTable(raw.households, bIndex, bGrid, locator);
  const bHouseholds = new Int32Array(raw.buildings.length);
  for (let i = 0; i < households.count; i++) {
    const b = households.building[i];
    if (b >= 0) bHouseholds[b]++;
    const g = households.grid[i];
    if (g < 0) continue;
    stats.households[g]++;
    if (households.residents[i] > 0) stats.residents[g] += households.residents[i];
  }

  const cases = caseTable(raw.cases, nowFor(raw.meta, clockMs), locator);
  for (let i = 0; i < cases.count; i++) {
    const g = cases.grid[i];
    if (g < 0 || cases.status[i] === CaseStatus.closed) continue;
    stats.openCases[g]++;
    if (cases.status[i] === CaseStatus.overdue) stats.overdueCases[g]++;
  }

  return {
    meta: raw.meta,
    boundaries: raw.boundaries,
    grids: raw.grids,
    roads: raw.roads,
    water: raw.water,
    buildings: { features: raw.buildings, grid: bGrid, households: bHouseholds },
    households,
    cases,
    gridStats: stats,
  };
}

function householdTable(
  fs: HouseholdFeature[], bIndex: Map<string, number>, bGrid: Int32Array, locator: GridLocator,
): HouseholdTable {
  const n = fs.length;
  const t: HouseholdTable = {
    count: n,
    ids: new Array(n),
    buildingIds: new Array(n),
    rooms: new Array(n),
    units: new Int16Array(n),
    residents: new Int16Array(n),
    positions: new Float64Array(2 * n),
    building: new Int32Array(n),
    grid: new Int32Array(n),
  };
  fs.forEach((f, i) => {
    const p = f.properties;
    t.ids[i] = String(p.id);
    t.buildingIds[i] = String(p.building_id ?? '');
    t.rooms[i] = String(p.room ?? '');
    t.units[i] = Number(p.unit) || 0;
    const r = p.residents;
    t.residents[i] = typeof r === 'number' && Number.isFinite(r) ? r : -1;
    const c = f.geometry?.coordinates;
    t.positions[2 * i] = c ? c[0] : NaN;
    t.positions[2 * i + 1] = c ? c[1] : NaN;
    t.building[i] = bIndex.get(t.buildingIds[i]) ?? -1;
  });
  // A household with a point is in the grid holding the point; one given only by building
  // id takes its building's grid (DESIGN rule 3).
  const byPoint = locator.locateAll(t.positions);
  for (let i = 0; i < n; i++) {
    const b = t.building[i];
    t.grid[i] = Number.isFinite(t.positions[2 * i]) ? byPoint[i] : b >= 0 ? bGrid[b] : -1;
  }
  return t;
}

function caseTable(fs: CaseFeature[], nowMs: number, locator: GridLocator): CaseTable {
  const n = fs.length;
  const t: CaseTable = {
    count: n,
    ids: new Array(n),
    categories: new Array(n),
    addresses: new Array(n),
    status: new Uint8Array(n),
    level: new Uint8Array(n),
    positions: new Float64Array(2 * n),
    requested: new Float64Array(n),
    expected: new Float64Array(n),
    closed: new Float64Array(n),
    grid: new Int32Array(n),
  };
  fs.forEach((f, i) => {
    const p = f.properties;
    t.ids[i] = String(p.service_request_id);
    t.categories[i] = String(p.service_name ?? '');
    t.addresses[i] = String(p.address ?? '');
    t.requested[i] = parseTime(p.requested_datetime);
    t.expected[i] = parseTime(p.expected_datetime);
    t.closed[i] = parseTime(p.closed_datetime);
    t.status[i] = caseStatus(p.status !== 'closed', t.expected[i], nowMs);
    const lvl = DISPATCH_LEVELS.indexOf(p.dispatch_level);
    t.level[i] = lvl >= 0 ? lvl : 255;
    const c = f.geometry?.coordinates;
    t.positions[2 * i] = c ? c[0] : Number(p.long);
    t.positions[2 * i + 1] = c ? c[1] : Number(p.lat);
  });
  t.grid = locator.locateAll(t.positions);
  return t;
}

function ringMean(g: AreaGeometry): [number, number] {
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
  const n = ring.length - 1; // closed ring: skip the repeated first vertex
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) { x += ring[i][0]; y += ring[i][1]; }
  return [x / n, y / n];
}

/** The typed arrays of a district, for transfer from the worker without copying. */
export function transferablesOf(d: District): ArrayBuffer[] {
  const arrays = [
    d.buildings.grid, d.buildings.households,
    d.households.units, d.households.residents, d.households.positions, d.households.building, d.households.grid,
    d.cases.status, d.cases.level, d.cases.positions, d.cases.requested, d.cases.expected, d.cases.closed, d.cases.grid,
    d.gridStats.households, d.gridStats.buildings, d.gridStats.residents, d.gridStats.openCases, d.gridStats.overdueCases,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
