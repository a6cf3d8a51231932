// The report the engine produces (documented in the README, stable: version 1).
import type { Geometry } from 'geojson';

export const RULES = ['land', 'buildings', 'households', 'people', 'size', 'codes', 'shape'] as const;
export type RuleName = (typeof RULES)[number];

export const FINDING_RULE = {
  gap: 'land',
  overlap: 'land',
  spill: 'land',
  /** a case reported where no grid is: land the grids do not cover (区不漏地) */
  orphan_case: 'land',
  straddling_building: 'buildings',
  orphan_building: 'buildings',
  orphan_household: 'households',
  double_household: 'households',
  dangling_household: 'households',
  misplaced_household: 'households',
  empty_building: 'households',
  no_residents: 'people',
  under_band: 'size',
  over_band: 'size',
  bad_code: 'codes',
  duplicate_code: 'codes',
  code_prefix_mismatch: 'codes',
  no_community: 'codes',
  islands: 'shape',
  invalid_edges: 'shape',
} as const satisfies Record<string, RuleName>;
export type FindingKind = keyof typeof FINDING_RULE;
export const FINDING_KINDS = Object.keys(FINDING_RULE) as FindingKind[];

export interface Measure {
  area_m2?: number;
  /** share of a building's footprint held by its grid */
  share?: number;
  count?: number;
  /** distance in metres (misplaced households) */
  distance_m?: number;
  band?: [number, number];
}

export interface Finding {
  kind: FindingKind;
  rule: RuleName;
  /** ids involved: grid codes, building ids, household ids */
  ids: string[];
  measure: Measure;
  geometry: Geometry | null;
}

export type BandStatus = 'under' | 'in' | 'over' | 'none';

export interface GridReport {
  code: string;
  name: string;
  kind: 'base' | 'dedicated';
  households: number;
  buildings: number;
  residents: number;
  band: [number, number] | null;
  band_status: BandStatus;
}

export interface Skipped {
  layer: 'boundaries' | 'grids' | 'buildings' | 'households' | 'cases';
  /** the feature's id or code, else its position in the file (#1 = first) */
  id: string;
  /** what is wrong, as a code (translated in the UI) with its values */
  code: string;
  params: Record<string, string | number>;
  /** the same in plain English */
  reason: string;
}

export interface Summary {
  totals: { grids: number; base_grids: number; dedicated_grids: number; buildings: number; households: number; residents: number; land_m2: number };
  /** share (0..1) of land / buildings / households / … that is clean, per rule */
  scores: Record<RuleName, number>;
  counts: Record<FindingKind, number>;
  slivers: { count: number; area_m2: number };
  skipped: number;
  /** true when every rule is clean */
  clean: boolean;
}

export interface Report {
  version: 1;
  summary: Summary;
  grids: GridReport[];
  findings: Finding[];
  skipped: Skipped[];
}
