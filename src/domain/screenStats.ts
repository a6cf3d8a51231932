// What the command-centre wall shows for an area (the district, a street, a community): case
// KPIs, the coverage scores, a ranking of its streets or communities by overdue cases and by
// closure rate, cases received and closed per day over the last 30 days and by category, and
// the newest cases — category, grid, time and status only (a wall is seen by visitors).
import type { District } from './district';
import type { Report } from '../checks/report';
import { ALL_CASES, caseKpis, type CaseKpis } from './kpis';
import { CaseStatus } from './cases';
import { streetOf } from './codes';

const DAY = 86_400_000;

export interface AreaRank {
  code: string;
  name: string;
  overdue: number;
  open: number;
  closureRate: number;
}

export interface ScreenStats {
  grids: number;
  households: number;
  kpis: CaseKpis;
  scores: Report['summary']['scores'];
  ranking: AreaRank[];
  /** per day, oldest first: its start (epoch ms), received, closed */
  days: { day: number; received: number; closed: number }[];
  /** open cases by category, most first */
  categories: { name: string; open: number }[];
  /** newest cases first: index into the case table */
  newest: number[];
}

/** Grids of an area: '' the district, 9 digits a street, 12 a community. */
export function inArea(d: District, area: string): (grid: number) => boolean {
  if (!area) return () => true;
  const codes = d.grids.map((g) => (area.length === 9 ? streetOf(g.properties.community_code) : g.properties.community_code));
  return (i) => i >= 0 && codes[i] === area;
}

export function screenStats(d: District, report: Report, area: string, nowMs: number, newest = 12): ScreenStats {
  const keep = inArea(d, area);
  let grids = 0, households = 0;
  for (let i = 0; i < d.grids.length; i++) if (keep(i)) { grids++; households += d.gridStats.households[i]; }
  const c = d.cases;
  const kpis = caseKpis(c, ALL_CASES, keep);

  // ranking: the district's streets, a street's communities (a community: its grids)
  const level = area.length === 0 ? 'street' : 'community';
  const units = area.length === 12
    ? d.grids.map((g, i) => ({ code: g.properties.code, name: g.properties.name, test: (k: number) => k === i })).filter((u) => keep(d.grids.findIndex((g) => g.properties.code === u.code)))
    : d.boundaries.filter((b) => b.properties.level === level && (area === '' || b.properties.parent_code === area))
      .map((b) => ({ code: b.properties.code, name: b.properties.name, test: inArea(d, b.properties.code) }));
  const ranking = units.map((u) => {
    const k = caseKpis(c, ALL_CASES, u.test);
    return { code: u.code, name: u.name, overdue: k.overdue, open: k.open, closureRate: k.closureRate };
  });

  const start = Math.floor(nowMs / DAY) * DAY - 29 * DAY;
  const days = Array.from({ length: 30 }, (_, k) => ({ day: start + k * DAY, received: 0, closed: 0 }));
  const open = new Map<number, number>();
  const order: number[] = [];
  for (let i = 0; i < c.count; i++) {
    if (!keep(c.grid[i])) continue;
    const r = Math.floor((c.requested[i] - start) / DAY);
    if (r >= 0 && r < 30) days[r].received++;
    const cl = Math.floor((c.closed[i] - start) / DAY);
    if (!c.open[i] && cl >= 0 && cl < 30) days[cl].closed++;
    if (c.status[i] !== CaseStatus.closed) open.set(c.category[i], (open.get(c.category[i]) ?? 0) + 1);
    if (Number.isFinite(c.requested[i]) && c.requested[i] <= nowMs) order.push(i);
  }
  order.sort((a, b) => c.requested[b] - c.requested[a] || a - b);
  return {
    grids, households, kpis, scores: report.summary.scores, ranking, days,
    categories: [...open].map(([k, n]) => ({ name: c.categoryNames[k], open: n })).sort((a, b) => b.open - a.open),
    newest: order.slice(0, newest),
  };
}
