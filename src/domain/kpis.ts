// Case KPIs for an area and a time window (DESIGN "Cases"): received, closed, closure rate
// (办结率), on-time rate, open and overdue now, satisfaction rate (满意率), by dispatch level.
// One pass over the case table's columns: hundreds of thousands of cases in milliseconds.
import type { CaseTable } from './district';
import { CaseStatus, DISPATCH_LEVELS, type CaseStatusCode } from './cases';

/** Which cases count: the map and the lists also filter by status; the KPIs do not (they are about statuses). */
export interface CaseFilter {
  /** statuses shown on the map and in the lists */
  statuses: CaseStatusCode[];
  /** index into the table's categoryNames, or -1 for all */
  category: number;
  /** index into DISPATCH_LEVELS, or -1 for all */
  level: number;
  /** reported in [from, to) (epoch ms); NaN = open-ended */
  from: number;
  to: number;
}

export const ALL_CASES: CaseFilter = { statuses: [CaseStatus.overdue, CaseStatus.inProgress], category: -1, level: -1, from: NaN, to: NaN };

/** Whether case i passes the filter's category, level and time window, and is in the area. */
export function caseMatches(t: CaseTable, i: number, f: CaseFilter, inArea: (grid: number) => boolean): boolean {
  if (f.category >= 0 && t.category[i] !== f.category) return false;
  if (f.level >= 0 && t.level[i] !== f.level) return false;
  const r = t.requested[i];
  if (Number.isFinite(f.from) && !(r >= f.from)) return false;
  if (Number.isFinite(f.to) && !(r < f.to)) return false;
  return inArea(t.grid[i]);
}

/** Which cases the map and the lists show: matching, and of a shown status (1 = shown). */
export function caseMask(t: CaseTable, f: CaseFilter, inArea: (grid: number) => boolean): Uint8Array {
  const shown = new Uint8Array(3);
  for (const s of f.statuses) shown[s] = 1;
  const mask = new Uint8Array(t.count);
  for (let i = 0; i < t.count; i++) mask[i] = shown[t.status[i]] && caseMatches(t, i, f, inArea) ? 1 : 0;
  return mask;
}

export interface LevelCounts {
  received: number;
  open: number;
  overdue: number;
}

export interface CaseKpis {
  received: number;
  closed: number;
  /** closed / received; NaN when none received */
  closureRate: number;
  /** closed cases with a deadline, and those closed by it */
  closedWithDeadline: number;
  closedOnTime: number;
  onTimeRate: number;
  open: number;
  overdue: number;
  /** rated cases, and those satisfied or fairly satisfied (满意 + 基本满意) */
  rated: number;
  satisfied: number;
  satisfactionRate: number;
  /** per DISPATCH_LEVELS, then unknown */
  byLevel: LevelCounts[];
}

export function caseKpis(t: CaseTable, f: CaseFilter, inArea: (grid: number) => boolean): CaseKpis {
  const k: CaseKpis = {
    received: 0, closed: 0, closureRate: NaN, closedWithDeadline: 0, closedOnTime: 0, onTimeRate: NaN,
    open: 0, overdue: 0, rated: 0, satisfied: 0, satisfactionRate: NaN,
    byLevel: Array.from({ length: DISPATCH_LEVELS.length + 1 }, () => ({ received: 0, open: 0, overdue: 0 })),
  };
  for (let i = 0; i < t.count; i++) {
    if (!caseMatches(t, i, f, inArea)) continue;
    k.received++;
    const level = k.byLevel[Math.min(t.level[i], DISPATCH_LEVELS.length)];
    level.received++;
    if (t.open[i]) {
      k.open++;
      level.open++;
      if (t.status[i] === CaseStatus.overdue) { k.overdue++; level.overdue++; }
    } else {
      k.closed++;
      if (Number.isFinite(t.deadline[i]) && Number.isFinite(t.closed[i])) {
        k.closedWithDeadline++;
        if (t.closed[i] <= t.deadline[i]) k.closedOnTime++;
      }
    }
    if (t.satisfaction[i] !== 255) {
      k.rated++;
      if (t.satisfaction[i] <= 1) k.satisfied++;
    }
  }
  k.closureRate = k.received ? k.closed / k.received : NaN;
  k.onTimeRate = k.closedWithDeadline ? k.closedOnTime / k.closedWithDeadline : NaN;
  k.satisfactionRate = k.rated ? k.satisfied / k.rated : NaN;
  return k;
}

/** Open cases of the mask, overdue first, then by time left to the deadline (none last). */
export function openCasesByUrgency(t: CaseTable, mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.count; i++) if (mask[i] && t.open[i]) out.push(i);
  const key = (i: number) => (Number.isFinite(t.deadline[i]) ? t.deadline[i] : Infinity);
  return out.sort((a, b) => key(a) - key(b) || t.ids[a].localeCompare(t.ids[b]));
}

export interface GridCaseLoad {
  open: Int32Array;
  overdue: Int32Array;
  /** open cases per 100 households; NaN for a grid without households */
  per100: Float32Array;
}

/** Per grid: open and overdue cases among those of the mask, and open cases per 100 households. */
export function gridCaseLoad(t: CaseTable, mask: Uint8Array, households: Int32Array): GridCaseLoad {
  const n = households.length;
  const load: GridCaseLoad = { open: new Int32Array(n), overdue: new Int32Array(n), per100: new Float32Array(n) };
  for (let i = 0; i < t.count; i++) {
    const g = t.grid[i];
    if (!mask[i] || g < 0 || !t.open[i]) continue;
    load.open[g]++;
    if (t.status[i] === CaseStatus.overdue) load.overdue[g]++;
  }
  for (let g = 0; g < n; g++) load.per100[g] = households[g] > 0 ? (100 * load.open[g]) / households[g] : NaN;
  return load;
}
