// Cases → the columnar case table the console holds: categories as indices, the closed-loop
// times as typed arrays, the deadline, the grid each case is in, the status at a time.
import type { GridLocator } from '../checks/locate';
import type { CaseTable } from '../domain/district';
import type { CaseFeature } from '../domain/types';
import { CaseStatus, DISPATCH_LEVELS, SATISFACTION, caseStatus, deadlineOf, parseTime } from '../domain/cases';

export function buildCaseTable(fs: CaseFeature[], locator: GridLocator, nowMs: number, limits?: Record<string, number>): CaseTable {
  const n = fs.length;
  const times = () => new Float64Array(n);
  const t: CaseTable = {
    count: n,
    ids: new Array(n),
    category: new Uint16Array(n),
    categoryNames: [],
    addresses: new Array(n),
    descriptions: new Array(n),
    status: new Uint8Array(n),
    open: new Uint8Array(n),
    level: new Uint8Array(n),
    satisfaction: new Uint8Array(n),
    positions: new Float64Array(2 * n),
    requested: times(), dispatched: times(), handled: times(), supervised: times(), closed: times(), visited: times(), updated: times(),
    deadline: times(),
    deadlineFromLimit: new Uint8Array(n),
    grid: new Int32Array(n),
    asOf: nowMs,
  };
  const categoryIndex = new Map<string, number>();
  fs.forEach((f, i) => {
    const p = f.properties;
    const name = String(p.service_name ?? '');
    let c = categoryIndex.get(name);
    if (c === undefined) {
      c = t.categoryNames.length;
      categoryIndex.set(name, c);
      t.categoryNames.push(name);
    }
    t.ids[i] = String(p.service_request_id);
    t.category[i] = c;
    t.addresses[i] = String(p.address ?? '');
    t.descriptions[i] = String(p.description ?? '');
    t.open[i] = p.status === 'closed' ? 0 : 1;
    t.requested[i] = parseTime(p.requested_datetime);
    t.dispatched[i] = parseTime(p.dispatched_datetime);
    t.handled[i] = parseTime(p.handled_datetime);
    t.supervised[i] = parseTime(p.supervised_datetime);
    t.closed[i] = parseTime(p.closed_datetime);
    t.visited[i] = parseTime(p.visited_datetime);
    t.updated[i] = parseTime(p.updated_datetime);
    const d = deadlineOf(parseTime(p.expected_datetime), t.requested[i], String(p.service_code ?? ''), name, limits);
    t.deadline[i] = d.ms;
    t.deadlineFromLimit[i] = d.fromLimit ? 1 : 0;
    const lvl = DISPATCH_LEVELS.indexOf(p.dispatch_level);
    t.level[i] = lvl >= 0 ? lvl : 255;
    const sat = SATISFACTION.indexOf(p.satisfaction as (typeof SATISFACTION)[number]);
    t.satisfaction[i] = sat >= 0 ? sat : 255;
    const xy = f.geometry?.coordinates;
    t.positions[2 * i] = xy ? xy[0] : Number(p.long);
    t.positions[2 * i + 1] = xy ? xy[1] : Number(p.lat);
  });
  restatus(t, nowMs);
  t.grid = locator.locateAll(t.positions);
  return t;
}

/** Works the statuses out again for another time (the clock moved on): cases turn overdue. */
export function restatus(t: CaseTable, nowMs: number): void {
  for (let i = 0; i < t.count; i++) t.status[i] = caseStatus(t.open[i] === 1, t.deadline[i], nowMs);
  t.asOf = nowMs;
}

/** The typed arrays of a case table, for transfer between threads without copying. */
export function caseBuffers(t: CaseTable): ArrayBuffer[] {
  return [
    t.category, t.status, t.open, t.level, t.satisfaction, t.positions, t.requested, t.dispatched, t.handled,
    t.supervised, t.closed, t.visited, t.updated, t.deadline, t.deadlineFromLimit, t.grid,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** Open and overdue cases per grid (the per-grid totals the console shows). */
export function openByGrid(t: CaseTable, nGrids: number): { open: Int32Array; overdue: Int32Array } {
  const open = new Int32Array(nGrids);
  const overdue = new Int32Array(nGrids);
  for (let i = 0; i < t.count; i++) {
    const g = t.grid[i];
    if (g < 0 || t.status[i] === CaseStatus.closed) continue;
    open[g]++;
    if (t.status[i] === CaseStatus.overdue) overdue[g]++;
  }
  return { open, overdue };
}
