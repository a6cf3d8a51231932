// Cases in no grid: each is a finding of its own (orphan_case, under the land rule: a case
// was reported on land that no grid covers). Added to the coverage report once the cases
// have been located.
import type { Finding, Report } from './report';
import { FINDING_RULE } from './report';
import { compareFindings } from './finish';

export function withCaseFindings(report: Report, cases: { ids: string[]; positions: Float64Array; grid: Int32Array }): Report {
  const found: Finding[] = [];
  for (let i = 0; i < cases.ids.length; i++) {
    const x = cases.positions[2 * i];
    if (cases.grid[i] >= 0 || !Number.isFinite(x)) continue;
    found.push({ kind: 'orphan_case', rule: FINDING_RULE.orphan_case, ids: [cases.ids[i]], measure: {}, geometry: { type: 'Point', coordinates: [x, cases.positions[2 * i + 1]] } });
  }
  const findings = [...report.findings.filter((f) => f.kind !== 'orphan_case'), ...found].sort(compareFindings);
  return {
    ...report,
    findings,
    summary: { ...report.summary, counts: { ...report.summary.counts, orphan_case: found.length }, clean: findings.length === 0 && report.skipped.length === 0 },
  };
}
