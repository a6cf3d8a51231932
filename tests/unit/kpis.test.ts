// Case status, deadlines, KPIs and the urgency list against hand-computed cases
// (tests/fixtures/cases, worked out in its README).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseFeature, GridFeature } from '../../src/domain/types';
import { GridLocator } from '../../src/checks/locate';
import { buildCaseTable, caseColumns, restatus } from '../../src/workspace/caseTable';
import { ALL_CASES, caseKpis, caseMask, openCasesByUrgency, type CaseFilter } from '../../src/domain/kpis';
import { CASE_STATUS_NAMES, CaseStatus, parseTime } from '../../src/domain/cases';
import { withCaseFindings } from '../../src/checks/cases';
import { runChecks } from '../../src/checks/engine';

const fc = JSON.parse(readFileSync('tests/fixtures/cases/kpis.geojson', 'utf8'));
const expected = JSON.parse(readFileSync('tests/fixtures/cases/kpis.expected.json', 'utf8'));
const grids = fc.features.filter((f: any) => f.properties.layer === 'grids') as GridFeature[];
const cases = fc.features.filter((f: any) => f.properties.layer === 'cases') as CaseFeature[];
const now = parseTime(expected.now);
const table = () => buildCaseTable(caseColumns(cases), new GridLocator(grids), now);
const everywhere = () => true;
const pick = (k: ReturnType<typeof caseKpis>) => ({
  received: k.received, closed: k.closed, closedWithDeadline: k.closedWithDeadline, closedOnTime: k.closedOnTime,
  open: k.open, overdue: k.overdue, rated: k.rated, satisfied: k.satisfied,
});

describe('cases', () => {
  it('get their status from the deadline (expected_datetime, else the category limit) and their grid', () => {
    const t = table();
    expect(Object.fromEntries(t.ids.map((id, i) => [id, CASE_STATUS_NAMES[t.status[i]]]))).toEqual(expected.status);
    expect(Object.fromEntries(t.ids.map((id, i) => [id, t.grid[i]]))).toEqual(expected.grid);
  });

  it('turn overdue when the clock passes their deadline', () => {
    const t = table();
    const c5 = t.ids.indexOf('C5');
    expect(t.status[c5]).toBe(CaseStatus.inProgress);
    restatus(t, now + 1000);
    expect(t.status[c5]).toBe(CaseStatus.overdue);
  });

  it('take the time limits from settings over the built-in ones (cases without expected_datetime only)', () => {
    // C4 (环境卫生, reported 10-31 20:00) is in progress with the built-in 24 h; with 12 h it is overdue.
    const t = buildCaseTable(caseColumns(cases), new GridLocator(grids), now, { 环境卫生: 12 });
    expect(CASE_STATUS_NAMES[t.status[t.ids.indexOf('C4')]]).toBe('overdue');
    expect(t.deadline[t.ids.indexOf('C4')]).toBe(parseTime('2026-11-01T08:00:00+08:00'));
    // C1 has its own expected_datetime: the setting does not move it.
    expect(t.deadline[t.ids.indexOf('C1')]).toBe(parseTime('2026-10-29T09:00:00+08:00'));
    // By service_code too.
    const byCode = buildCaseTable(caseColumns(cases), new GridLocator(grids), now, { HJWS: 12 });
    expect(byCode.status[byCode.ids.indexOf('C4')]).toBe(CaseStatus.overdue);
  });

  it('in no grid are findings of their own', () => {
    const t = table();
    const { report } = runChecks({ boundaries: [], grids, buildings: [], households: { ids: [], buildingIds: [], residents: [], positions: new Float64Array(0) } });
    const r = withCaseFindings(report, t);
    expect(r.findings.filter((f) => f.kind === 'orphan_case').map((f) => f.ids[0])).toEqual(expected.orphan_cases);
    expect(r.summary.counts.orphan_case).toBe(1);
    expect(r.summary.clean).toBe(false);
  });
});

describe('case KPIs', () => {
  const t = table();
  const k = caseKpis(t, ALL_CASES, everywhere);
  it('over the whole district', () => {
    expect(pick(k)).toEqual(Object.fromEntries(Object.entries(expected.kpis.all).filter(([key]) => key !== 'byLevel')));
    expect(k.byLevel).toEqual(expected.kpis.all.byLevel);
    expect(k.closureRate).toBeCloseTo(4 / 9, 12);
    expect(k.onTimeRate).toBeCloseTo(2 / 3, 12);
    expect(k.satisfactionRate).toBeCloseTo(3 / 4, 12);
  });
  it('for one grid, a time window and a category', () => {
    expect(pick(caseKpis(t, ALL_CASES, (g) => g === 0))).toEqual(expected.kpis.gridA);
    const october: CaseFilter = { ...ALL_CASES, from: parseTime('2026-10-01T00:00:00+08:00'), to: parseTime('2026-11-01T00:00:00+08:00') };
    expect(pick(caseKpis(t, october, everywhere))).toEqual(expected.kpis.october);
    expect(pick(caseKpis(t, { ...ALL_CASES, category: t.categoryNames.indexOf('环境卫生') }, everywhere))).toEqual(expected.kpis['环境卫生']);
  });
  it('rates are NaN, not 0, when there is nothing to rate', () => {
    const none = caseKpis(t, ALL_CASES, () => false);
    expect(none.received).toBe(0);
    expect(none.closureRate).toBeNaN();
  });
  it('list open cases overdue first, then by time left', () => {
    expect(openCasesByUrgency(t, caseMask(t, ALL_CASES, everywhere)).map((i) => t.ids[i])).toEqual(expected.openByUrgency);
    const onlyOverdue = caseMask(t, { ...ALL_CASES, statuses: [CaseStatus.overdue] }, everywhere);
    expect(openCasesByUrgency(t, onlyOverdue).map((i) => t.ids[i])).toEqual(['C9', 'C8', 'C3']);
  });
});
