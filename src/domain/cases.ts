// Case status as the console shows it (DESIGN "Cases"): overdue = still open past its
// deadline, which is the case's expected_datetime or, without one, its category's time limit.
import { caseCategoryByCode, caseCategoryByName } from './case-categories';

export const CaseStatus = { closed: 0, inProgress: 1, overdue: 2 } as const;
export type CaseStatusCode = (typeof CaseStatus)[keyof typeof CaseStatus];
export const CASE_STATUS_NAMES = ['closed', 'inProgress', 'overdue'] as const;
export type CaseStatusName = (typeof CASE_STATUS_NAMES)[number];

/** Times in epoch ms; NaN when absent. A case with no deadline is never overdue. */
export function caseStatus(open: boolean, deadlineMs: number, nowMs: number): CaseStatusCode {
  if (!open) return CaseStatus.closed;
  return Number.isFinite(deadlineMs) && nowMs > deadlineMs ? CaseStatus.overdue : CaseStatus.inProgress;
}

export const DISPATCH_LEVELS = ['community', 'street', 'district'] as const;
export const SATISFACTION = ['satisfied', 'basic', 'unsatisfied'] as const;

/** The closed loop, in order: reported → dispatched → handled → supervised → closed → return visit. */
export const CASE_STAGES = ['requested', 'dispatched', 'handled', 'supervised', 'closed', 'visited'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** Parses an ISO 8601 time; '' or garbage gives NaN. */
export function parseTime(s: unknown): number {
  if (typeof s !== 'string' || s === '') return NaN;
  return Date.parse(s);
}

const HOUR = 3_600_000;

/**
 * The deadline of a case: its expected_datetime, else reported + its category's time limit
 * (by service_code, then by name); NaN when neither is known.
 */
export function deadlineOf(expectedMs: number, requestedMs: number, code: string, name: string, limits: Record<string, number> = {}): { ms: number; fromLimit: boolean } {
  if (Number.isFinite(expectedMs)) return { ms: expectedMs, fromLimit: false };
  const hours = limits[code] ?? limits[name] ?? caseCategoryByCode(code)?.limitHours ?? caseCategoryByName(name)?.limitHours;
  return hours !== undefined && Number.isFinite(requestedMs) ? { ms: requestedMs + hours * HOUR, fromLimit: true } : { ms: NaN, fromLimit: false };
}
