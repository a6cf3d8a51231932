// The loaded district as the console holds it: small editable layers as GeoJSON, large
// read-only tables as columns in typed arrays (DESIGN "Architecture").
import type { Report } from '../checks/report';
import type { PackedPolygons } from '../checks/rings';
import type { DensityGrid } from '../workspace/density';
import type {
  BoundaryFeature, DemoMeta, GridFeature, RoadFeature, WaterFeature,
} from './types';

/**
 * The buildings as columns (made by src/workspace/buildingTable.ts in the worker): no object
 * per building on the page; a feature is made for the few looked at (buildingFeature).
 */
export interface BuildingTable {
  count: number;
  ids: string[];
  addresses: string[];
  /** number of levels, NaN when not given */
  levels: Float32Array;
  /** 1 for a residential building */
  residential: Uint8Array;
  /** the footprints packed (src/checks/rings.ts): rings of x, y in one Float64Array, ring and building offsets, a box per building */
  shapes: PackedPolygons;
  /** the footprints cut into triangles (indices of points in shapes.coords), for the map */
  triangles: Uint32Array;
  /** building i's triangles are triangles[triangleStart[i] .. triangleStart[i + 1]) */
  triangleStart: Uint32Array;
  /** effective grid index per building, -1 when none */
  grid: Int32Array;
  /** households per building */
  households: Int32Array;
}

export interface HouseholdTable {
  count: number;
  ids: string[];
  buildingIds: string[];
  rooms: string[];
  units: Int16Array;
  /** -1 when unknown */
  residents: Int16Array;
  /** lon, lat pairs; NaN when the household has no point */
  positions: Float64Array;
  /** index into buildings, -1 when the building id is unknown */
  building: Int32Array;
  grid: Int32Array;
  /** 户主 and phone from a roster, '' where not given; null when the roster has none. Shown masked. */
  heads: string[] | null;
  phones: string[] | null;
  /** any other personal column (ID numbers, contacts, a remarks column with phone numbers): its key and values */
  otherPersonal: { key: string; values: string[] }[];
}

export interface CaseTable {
  count: number;
  ids: string[];
  /** index into categoryNames (fast filters over hundreds of thousands of cases) */
  category: Uint16Array;
  categoryNames: string[];
  addresses: string[];
  descriptions: string[];
  /** CaseStatus code, as of `asOf` */
  status: Uint8Array;
  /** whether the source says open (status is that and the deadline, at a time) */
  open: Uint8Array;
  /** index into DISPATCH_LEVELS, 255 when unknown */
  level: Uint8Array;
  /** index into SATISFACTION, 255 when not rated */
  satisfaction: Uint8Array;
  positions: Float64Array;
  /** times in epoch ms, NaN when absent: the closed loop and the deadline */
  requested: Float64Array;
  dispatched: Float64Array;
  handled: Float64Array;
  supervised: Float64Array;
  closed: Float64Array;
  visited: Float64Array;
  updated: Float64Array;
  /** expected_datetime, or reported + the category's time limit; NaN = none */
  deadline: Float64Array;
  /** whether the deadline came from the category's time limit (no expected_datetime) */
  deadlineFromLimit: Uint8Array;
  grid: Int32Array;
  /** the time statuses were worked out for */
  asOf: number;
}

export interface GridStats {
  households: Int32Array;
  buildings: Int32Array;
  residents: Int32Array;
  openCases: Int32Array;
  overdueCases: Int32Array;
}

export interface District {
  meta: DemoMeta;
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  roads: RoadFeature[];
  water: WaterFeature[];
  buildings: BuildingTable;
  households: HouseholdTable;
  cases: CaseTable;
  gridStats: GridStats;
  /** households and buildings counted into rasters, drawn where there are too many to draw one by one */
  density: { households: DensityGrid; buildings: DensityGrid };
  /** the coverage report (src/checks) */
  report: Report;
}

export interface Totals {
  grids: number;
  buildings: number;
  households: number;
  residents: number;
  openCases: number;
  overdueCases: number;
}

/** Sums the stats of the grids selected by `keep` (a grid index predicate). */
export function totalsOf(d: District, keep: (gridIndex: number) => boolean): Totals {
  const t: Totals = { grids: 0, buildings: 0, households: 0, residents: 0, openCases: 0, overdueCases: 0 };
  const s = d.gridStats;
  for (let i = 0; i < d.grids.length; i++) {
    if (!keep(i)) continue;
    t.grids++;
    t.buildings += s.buildings[i];
    t.households += s.households[i];
    t.residents += s.residents[i];
    t.openCases += s.openCases[i];
    t.overdueCases += s.overdueCases[i];
  }
  return t;
}
