// What the map shows and what is selected: plain values shared by the map and the panels.
export interface LayerVisibility {
  baseGrids: boolean;
  dedicatedGrids: boolean;
  buildings: boolean;
  buildings3d: boolean;
  households: boolean;
  cases: boolean;
  /** a heat map of the shown cases */
  caseHeat: boolean;
  /** base grids shaded by open cases per 100 households */
  caseLoad: boolean;
  labels: boolean;
  /** coverage findings: gaps, overlaps, straddling buildings… */
  findings: boolean;
  /** base grids coloured by household band status instead of alternating tints */
  bandColors: boolean;
}

export const DEFAULT_VISIBILITY: LayerVisibility = {
  baseGrids: true,
  dedicatedGrids: true,
  buildings: true,
  buildings3d: false,
  households: true,
  cases: true,
  caseHeat: false,
  caseLoad: false,
  labels: true,
  findings: true,
  bandColors: false,
};

export type SelectionKind = 'grid' | 'building' | 'household' | 'case' | 'boundary' | 'finding';

/** A selected thing: its kind and its index in the district's layer or table (findings: in the current report). */
export interface Selection {
  kind: SelectionKind;
  index: number;
}
