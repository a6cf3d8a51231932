import { describe, expect, it } from 'vitest';
import { CaseStatus, caseStatus, parseTime } from '../../src/domain/cases';

describe('case status', () => {
  const deadline = parseTime('2026-10-30T09:00:00+08:00');
  it('is overdue only when still open past its deadline', () => {
    expect(caseStatus(true, deadline, parseTime('2026-10-30T09:00:01+08:00'))).toBe(CaseStatus.overdue);
    expect(caseStatus(true, deadline, parseTime('2026-10-30T08:59:59+08:00'))).toBe(CaseStatus.inProgress);
    expect(caseStatus(false, deadline, parseTime('2026-11-30T00:00:00+08:00'))).toBe(CaseStatus.closed);
  });
  it('never calls a case without a deadline overdue', () => {
    expect(caseStatus(true, parseTime(''), Date.now())).toBe(CaseStatus.inProgress);
  });
  it('reads ISO 8601 times with offsets', () => {
    expect(parseTime('2026-10-30T09:00:00+08:00')).toBe(Date.UTC(2026, 9, 30, 1));
    expect(parseTime('not a date')).toBeNaN();
  });
});
