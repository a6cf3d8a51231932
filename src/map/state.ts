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

/**
 * A selected thing. A grid by its code (positions shift when an edit splits or merges grids);
 * anything else by its index in the district's layer or table (findings: in the current report).
 */
export type Selection = { kind: 'grid'; code: string } | { kind: Exclude<SelectionKind, 'grid'>; index: number };

/** The position of a grid in the district's grids (code order), -1 when there is none with that code. */
export function gridIndex(grids: { properties: { code: string } }[], code: string): number {
  let lo = 0, hi = grids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = grids[mid].properties.code;
    if (c === code) {
      let k = mid;
      while (k > 0 && grids[k - 1].properties.code === code) k--;
      return k;
    }
    if (c < code) lo = mid + 1; else hi = mid - 1;
  }
  return grids.findIndex((g) => g.properties.code === code); // not in code order: look through
}
