// Case status as the console shows it (DESIGN "Cases"): overdue = still open past its deadline.
export const CaseStatus = { closed: 0, inProgress: 1, overdue: 2 } as const;
export type CaseStatusCode = (typeof CaseStatus)[keyof typeof CaseStatus];
export const CASE_STATUS_NAMES = ['closed', 'inProgress', 'overdue'] as const;
export type CaseStatusName = (typeof CASE_STATUS_NAMES)[number];

/** Times in epoch ms; NaN when absent. A case with no deadline is never overdue. */
export function caseStatus(open: boolean, expectedMs: number, nowMs: number): CaseStatusCode {
  if (!open) return CaseStatus.closed;
  return Number.isFinite(expectedMs) && nowMs > expectedMs ? CaseStatus.overdue : CaseStatus.inProgress;
}

export const DISPATCH_LEVELS = ['community', 'street', 'district'] as const;

/** Parses an ISO 8601 time; '' or garbage gives NaN. */
export function parseTime(s: unknown): number {
  if (typeof s !== 'string' || s === '') return NaN;
  return Date.parse(s);
}
