// The report's summary from what the rules found: counts, what each rule could check, the
// scores, the totals; findings in the report's order. One writer for both engines (the one
// in the page and the CLI, and the one in PostgreSQL/PostGIS), so their reports compare
// field for field.
import { FINDING_KINDS, RULES, type Finding, type FindingKind, type GridReport, type Report, type RuleCheck, type RuleName, type Skipped } from './report';

export interface ReportParts {
  grids: GridReport[];
  findings: Finding[];
  skipped: Skipped[];
  repaired: Skipped[];
  /** buildings kept, and those whose grid holds enough of them */
  buildings: number;
  cleanBuildings: number;
  /** households kept, placed cleanly, with residents; residents in all */
  households: number;
  householdsOk: number;
  peopleOk: number;
  residents: number;
  residential: number;
  emptyBuildings: number;
  /** grids with a code finding, grids with a shape finding */
  codesBad: number;
  shapeBad: number;
  /** boundary polygons checked (the boundaries rule: those named by its findings are not clean) */
  boundaries: number;
  /** m² of gaps, overlaps and spill; m² of the boundaries (null: none loaded) */
  landBad: number;
  landArea: number | null;
  slivers: { count: number; area_m2: number };
  /**
   * the findings already in the report's order, counted (the engine's report kept per kind
   * between edits): a million of them are then neither sorted nor counted again
   */
  ordered?: { counts: Record<FindingKind, number>; boundariesBad: number };
}

export function finishReport(p: ReportParts): Report {
  const { grids, findings } = p;
  const counts = p.ordered ? { ...p.ordered.counts } : Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  if (!p.ordered) for (const f of findings) counts[f.kind]++;
  const baseGrids = grids.filter((g) => g.kind === 'base');
  const checks = ruleChecks(grids.length, p.buildings, p.households, baseGrids.length, p.landArea === null, p.boundaries);
  const boundariesBad = p.ordered ? p.ordered.boundariesBad : new Set(findings.filter((f) => f.rule === 'boundaries').flatMap((f) => f.ids)).size;
  const share = (rule: RuleName, ok: number, all: number) => (checks[rule].status !== 'checked' || all === 0 ? null : shareOf(ok / all));
  const scores: Record<RuleName, number | null> = {
    land: checks.land.status === 'checked' && (p.landArea ?? 0) > 0 ? shareOf(Math.max(0, 1 - p.landBad / p.landArea!)) : null,
    buildings: share('buildings', p.cleanBuildings, p.buildings),
    // households placed cleanly, and residential buildings that have households
    households: checks.households.status === 'checked' && p.households > 0
      ? shareOf((p.householdsOk / p.households) * (p.residential ? 1 - p.emptyBuildings / p.residential : 1)) : null,
    people: share('people', p.peopleOk, p.households),
    size: share('size', baseGrids.filter((g) => g.band_status === 'in').length, baseGrids.length),
    codes: share('codes', grids.length - p.codesBad, grids.length),
    shape: share('shape', grids.length - p.shapeBad, grids.length),
    boundaries: share('boundaries', p.boundaries - boundariesBad, p.boundaries),
  };
  if (!p.ordered) sortFindings(findings);
  return withSkipped({
    version: 2,
    summary: {
      totals: {
        grids: grids.length, base_grids: baseGrids.length, dedicated_grids: grids.length - baseGrids.length,
        buildings: p.buildings, households: p.households, residents: p.residents,
        land_m2: p.landArea === null ? null : round(p.landArea, 1),
      },
      scores,
      checks,
      counts,
      slivers: { count: p.slivers.count, area_m2: round(p.slivers.area_m2, 3) },
      skipped: 0,
      repaired: 0,
      clean: findings.length === 0,
    },
    grids,
    findings,
    skipped: [],
    repaired: [],
  }, p.skipped, p.repaired);
}

/**
 * The report with what was set aside (skipped) and mended (repaired) before or during the
 * check put in front of its own lists, and the summary saying so: a report with anything
 * skipped is not clean, and a skipped grid leaves the land it should cover unjudged, so the
 * land score is no number (its check "partial", note skipped_grids).
 */
export function withSkipped(r: Report, skipped: Skipped[], repaired: Skipped[]): Report {
  const all = [...skipped, ...r.skipped];
  const mended = [...repaired, ...r.repaired];
  const gridSkipped = all.some((x) => x.layer === 'grids');
  const land = r.summary.checks.land;
  return {
    ...r,
    skipped: all,
    repaired: mended,
    summary: {
      ...r.summary,
      checks: { ...r.summary.checks, land: gridSkipped && land.status === 'checked' ? { status: 'partial', note: 'skipped_grids' } : land },
      scores: { ...r.summary.scores, land: gridSkipped ? null : r.summary.scores.land },
      skipped: all.length,
      repaired: mended.length,
      clean: r.findings.length === 0 && all.length === 0,
    },
  };
}

/**
 * A share to 6 digits that rounding never makes what it is not: below 1 it stays below 1
 * (2 households in 61,867 wrong is not 100 %), above 0 above 0.
 */
function shareOf(x: number): number {
  const r = round(x, 6);
  return x < 1 && r >= 1 ? 0.999999 : x > 0 && r <= 0 ? 0.000001 : r;
}

/** What each rule could check with the data loaded. */
function ruleChecks(grids: number, buildings: number, households: number, baseGrids: number, noBoundary: boolean, boundaries: number): Record<RuleName, RuleCheck> {
  const ok: RuleCheck = { status: 'checked' };
  const none = (note: RuleCheck['note']): RuleCheck => ({ status: 'no_data', note });
  return {
    land: grids === 0 ? none('no_grids') : noBoundary ? { status: 'partial', note: 'no_boundary' } : ok,
    buildings: grids === 0 ? none('no_grids') : buildings === 0 ? none('no_buildings') : ok,
    households: grids === 0 ? none('no_grids') : households === 0 ? none('no_households') : ok,
    people: households === 0 ? none('no_households') : ok,
    size: baseGrids === 0 ? none('no_base_grids') : households === 0 ? none('no_households') : ok,
    codes: grids === 0 ? none('no_grids') : ok,
    shape: grids === 0 ? none('no_grids') : ok,
    boundaries: boundaries === 0 ? none('no_boundary') : ok,
  };
}

const RULE_ORDER = Object.fromEntries(RULES.map((r, i) => [r, i]));
const KIND_ORDER = Object.fromEntries(FINDING_KINDS.map((k, i) => [k, i])) as Record<FindingKind, number>;
export function compareFindings(a: Finding, b: Finding): number {
  return RULE_ORDER[a.rule] - RULE_ORDER[b.rule] || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    || String(a.ids[0] ?? '').localeCompare(String(b.ids[0] ?? '')) || String(a.ids[1] ?? '').localeCompare(String(b.ids[1] ?? ''));
}

/**
 * Sorts findings in place exactly as compareFindings does, faster for a million of them: by
 * rule and kind into buckets (keeping their order), then each bucket by its ids, compared by
 * code point where every id in it is digits with letters of one case — collation puts those
 * in code-point order too — and by locale otherwise (Chinese names, mixed case, punctuation).
 */
export function sortFindings(findings: Finding[]): void {
  const buckets = new Map<number, Finding[]>();
  for (const f of findings) {
    const key = RULE_ORDER[f.rule] * 1000 + KIND_ORDER[f.kind];
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    b.push(f);
  }
  let k = 0;
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    const b = buckets.get(key)!;
    const plain = b.every((f) => isPlain(f.ids[0]) && isPlain(f.ids[1]));
    b.sort(plain ? byCodePoint : byLocale);
    for (const f of b) findings[k++] = f;
  }
}

const PLAIN = /^(?:[0-9A-Z]*|[0-9a-z]*)$/;
const isPlain = (id: unknown) => id === undefined || id === null || PLAIN.test(String(id));
const idAt = (f: Finding, k: number) => String(f.ids[k] ?? '');
const byCodePoint = (a: Finding, b: Finding) => {
  const a0 = idAt(a, 0), b0 = idAt(b, 0);
  if (a0 !== b0) return a0 < b0 ? -1 : 1;
  const a1 = idAt(a, 1), b1 = idAt(b, 1);
  return a1 === b1 ? 0 : a1 < b1 ? -1 : 1;
};
const byLocale = (a: Finding, b: Finding) => idAt(a, 0).localeCompare(idAt(b, 0)) || idAt(a, 1).localeCompare(idAt(b, 1));

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
