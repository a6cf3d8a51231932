// Canonical layer schemas (DESIGN.md "Canonical fields"). Importers map onto these; the
// demo generator and the CLI use them as they are.
import type { Feature, MultiPolygon, Point, Polygon, LineString, MultiLineString } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

export type BoundaryLevel = 'district' | 'street' | 'community';

export interface BoundaryProps {
  code: string; // 6 (district), 9 (street) or 12 (community) digits
  name: string;
  level: BoundaryLevel;
  parent_code: string; // '' for the district
}

export type GridKind = 'base' | 'dedicated';
export type DedicatedType = 'school' | 'hospital' | 'market' | 'enterprise' | 'park' | '';

export interface GridProps {
  code: string; // 15 digits: district 6 + street 3 + community 3 + grid 3
  name: string;
  kind: GridKind;
  community_code: string;
  dedicated_type: DedicatedType;
  band_min: number | null; // households band of this grid; null = community/workspace default
  band_max: number | null;
  level?: 2 | 3 | null;
  parent_code?: string;
  /** Staff, names separated by '、' (synthetic in the demo). */
  grid_head?: string;
  full_time?: string;
  part_time?: string;
}

export interface BuildingProps {
  id: string;
  address: string;
  levels: number;
  residential: boolean;
  units?: number; // stairwells (单元)
  /** What the building is used for (demo data: residential, house, shop, office, school,
   *  hospital, market, factory, park); lets a map style them and count shops. */
  use?: string;
}

export interface HouseholdProps {
  id: string;
  building_id: string;
  unit: number;
  room: string;
  residents: number | null;
}

/** Open311 GeoReport v2 names plus the extras a grid case system records. */
export interface CaseProps {
  service_request_id: string;
  status: 'open' | 'closed';
  service_name: string; // category
  service_code: string;
  description: string;
  address: string;
  requested_datetime: string; // ISO 8601 with offset
  updated_datetime: string;
  expected_datetime: string; // deadline
  closed_datetime: string; // '' while open
  /** Closed-loop timeline (reported → dispatched → handled → supervised → closed → visited);
   *  '' for a stage not reached. supervised = checked/督办 before closing. */
  dispatched_datetime?: string;
  handled_datetime?: string;
  supervised_datetime?: string;
  visited_datetime?: string;
  dispatch_level: DispatchLevel;
  satisfaction: Satisfaction;
  lat: number;
  long: number;
}

export type DispatchLevel = 'community' | 'street' | 'district';
export type Satisfaction = 'satisfied' | 'basic' | 'unsatisfied' | '';

export interface RoadProps {
  name: string;
  class: 'arterial' | 'secondary' | 'local';
}

export interface WaterProps {
  name: string;
}

export type BoundaryFeature = Feature<AreaGeometry, BoundaryProps>;
export type GridFeature = Feature<AreaGeometry, GridProps>;
export type BuildingFeature = Feature<AreaGeometry, BuildingProps>;
export type HouseholdFeature = Feature<Point, HouseholdProps>;
export type CaseFeature = Feature<Point, CaseProps>;
export type RoadFeature = Feature<LineString | MultiLineString, RoadProps>;
export type WaterFeature = Feature<AreaGeometry, WaterProps>;

/** data/demo/meta.json */
export interface DemoMeta {
  district_code: string;
  district_name: string;
  /** The snapshot time of the demo: "now" for overdue when the data is a snapshot. */
  as_of: string;
  seed: number;
  counts: Record<string, number>;
}

/** data/demo/planted.json: defects the generator planted on purpose (issue 3 must find exactly these). */
export interface PlantedDefects {
  gaps: { grids: [string, string]; approx_area_m2: number }[];
  overlaps: { grids: [string, string]; approx_area_m2: number }[];
  straddling_buildings: { building_id: string; grids: string[] }[];
  grids_outside_band: { grid: string; households: number; band: [number, number] }[];
  households_without_residents: string[];
  dangling_households: { id: string; building_id: string }[];
}
