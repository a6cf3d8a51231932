// The report the engine produces (documented in the README with its changelog: version 2).
import type { Geometry } from 'geojson';

export const RULES = ['land', 'buildings', 'households', 'people', 'size', 'codes', 'shape', 'boundaries'] as const;
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
  /** the boundary layer's own polygons: two of one level over each other, or a strip of their parent none covers */
  boundary_overlap: 'boundaries',
  boundary_gap: 'boundaries',
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

/**
 * What a rule could check: all of it, part of it (land without a boundary: overlaps and the
 * holes the grids enclose, not the outer edge), or nothing for want of data.
 */
export type RuleStatus = 'checked' | 'partial' | 'no_data';
export type RuleNote = 'no_boundary' | 'no_grids' | 'no_base_grids' | 'no_buildings' | 'no_households' | 'skipped_grids';
export interface RuleCheck {
  status: RuleStatus;
  /** why it is not fully checked */
  note?: RuleNote;
}

export interface Summary {
  /** land_m2: the area of the boundaries checked against; null without a boundary */
  totals: { grids: number; base_grids: number; dedicated_grids: number; buildings: number; households: number; residents: number; land_m2: number | null };
  /** share (0..1) of land / buildings / households / … that is clean, per rule; null when the rule was not (fully) checked */
  scores: Record<RuleName, number | null>;
  checks: Record<RuleName, RuleCheck>;
  counts: Record<FindingKind, number>;
  slivers: { count: number; area_m2: number };
  skipped: number;
  repaired: number;
  /** true when no rule found anything and nothing was skipped (see checks for what could be checked) */
  clean: boolean;
}

export interface Report {
  version: 2;
  summary: Summary;
  grids: GridReport[];
  findings: Finding[];
  skipped: Skipped[];
  /** features that were invalid (rings crossing or touching themselves…) and were made valid before the checks */
  repaired: Skipped[];
}
