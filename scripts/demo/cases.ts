// Cases (事件) over the twelve months before AS_OF, Open311-style, with the closed-loop
// timeline: reported → dispatched → handled → checked (supervised) → closed → return visit.
import type { CaseProps, DispatchLevel, Satisfaction } from '../../src/domain/types';
import { CASE_CATEGORIES } from '../../src/domain/case-categories';
import type { Admin } from './admin';
import type { GridLayout } from './grids';
import type { Plan } from './defects';
import type { Population } from './buildings';
import type { RoadNet } from './roads';
import { cellQuad, type Lattice } from './lattice';
import { toLonLat, type XY } from './projection';
import { rngFor } from './rng';
import { add, bilinear, dot, insideConvex, perp, scale, sub, type Rect } from './geom';
import { riverClearance, type River } from './water';

export const AS_OF = '2026-11-01T09:00:00+08:00';
export const AS_OF_MS = Date.UTC(2026, 10, 1, 1, 0, 0);
const HOUR = 3600e3;
const DAY = 24 * HOUR;

export interface Case {
  props: CaseProps;
  pt: [number, number];
  grid: number;
}

const WEIGHTS: Record<string, number> = {
  HJWS: 22, ZDJY: 12, MDJF: 10, AQYH: 9, SZSS: 12, WZDJ: 6, ZYRM: 8, WYFW: 10, MSSQ: 8, XFTD: 3,
};

const TEMPLATES: Record<string, string[]> = {
  HJWS: ['{p}垃圾桶满溢，未及时清运', '{p}楼道内堆放杂物', '{p}路面有积存垃圾', '{p}绿化带内有建筑垃圾', '{p}有小广告乱贴乱画'],
  ZDJY: ['{p}流动摊贩占道经营', '{p}商户店外经营，占用人行道', '{p}早市摊点占道，影响通行'],
  MDJF: ['{p}邻里因漏水问题发生纠纷', '{p}居民因停车位产生矛盾', '{p}租户与房东因押金产生纠纷', '{p}家庭矛盾，需要调解'],
  AQYH: ['{p}电动车楼道内充电', '{p}窨井盖缺失', '{p}外墙瓷砖有脱落风险', '{p}私拉电线，存在隐患'],
  SZSS: ['{p}路灯不亮', '{p}人行道板破损', '{p}雨水井堵塞', '{p}供暖管道漏水'],
  WZDJ: ['{p}楼顶私搭乱建', '{p}住户私自扩建院落', '{p}绿地内违规搭建彩钢房'],
  ZYRM: ['{p}夜间施工噪音扰民', '{p}广场舞音量过大', '{p}商铺音响外放扰民'],
  WYFW: ['{p}电梯故障未及时修复', '{p}门禁损坏', '{p}物业未及时清理化粪池', '{p}小区监控损坏'],
  MSSQ: ['{p}居民咨询低保办理', '{p}老年人申请居家养老服务', '{p}居民反映自来水水压不足', '{p}居民咨询医保缴费'],
  XFTD: ['{p}消防通道被车辆占用', '{p}消防通道堆放杂物'],
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601 in China Standard Time, e.g. 2026-03-14T10:22:05+08:00. */
export function isoCst(ms: number): string {
  const t = new Date(ms + 8 * HOUR);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+08:00`;
}

export function buildCases(
  seed: number,
  admin: Admin,
  L: Lattice,
  layout: GridLayout,
  plan: Plan,
  river: River,
  pop: Population,
  roads: RoadNet,
  count: number,
): Case[] {
  const rng = rngFor(seed, 'cases');
  const { nx, ny } = admin.dims;
  const quads: XY[][] = [];
  for (let c = 0; c < nx * ny; c++) quads.push(cellQuad(L, c));
  const rectsIn = new Map<number, Rect[]>();
  const addRect = (cell: number, r: Rect) => {
    if (!rectsIn.has(cell)) rectsIn.set(cell, []);
    rectsIn.get(cell)!.push(r);
  };
  for (const b of pop.buildings) addRect(b.cell, b.rect);
  for (const s of plan.straddlers) addRect(s.cellB, s.rect);
  const tops = new Map<number, number[]>(); // host cell → on-top dedicated grids
  for (const g of layout.grids) if (g.rect) tops.set(g.hostCell, [...(tops.get(g.hostCell) ?? []), g.index]);
  const inRect = (r: Rect, p: XY, pad = 0) => {
    const d = sub(p, r.c);
    return Math.abs(dot(d, r.ex)) <= r.a + pad && Math.abs(dot(d, perp(r.ex))) <= r.b + pad;
  };
  /** The grid a point in `cell` falls in, or -1 when the point is not a good case location. */
  const gridAt = (cell: number, p: XY): number => {
    if (plan.wideMargin.has(cell)) return -1;
    if (!insideConvex(quads[cell], [p], 3)) return -1;
    for (const r of rectsIn.get(cell) ?? []) if (inRect(r, p, 1)) return -1;
    if (riverClearance(river, p) < 3) return -1;
    for (const gi of tops.get(cell) ?? []) {
      const r = layout.grids[gi].rect!;
      if (inRect(r, p, 3)) return inRect(r, p, -3) ? gi : -1;
    }
    return layout.gridOf[cell];
  };

  const anchors = pop.buildings.map((b, k) => ({ b, k })).filter((x) => !x.b.straddles);
  const anchorW = anchors.map((x) => (x.b.residential ? Math.min(12, Math.sqrt(x.b.households)) : 3));
  const total = anchorW.reduce((s, w) => s + w, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of anchorW) cum.push((acc += w));
  const pickAnchor = () => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return anchors[lo];
  };

  const place = (): { p: XY; grid: number; address: string; place: string } => {
    for (;;) {
      if (rng.chance(0.8)) {
        const { b } = pickAnchor();
        const r = b.rect;
        const d = rng.range(3, 22);
        const side = rng.int(0, 3);
        const ey = perp(r.ex);
        const along = side < 2 ? rng.range(-r.a, r.a) : rng.range(-r.b, r.b);
        const p =
          side < 2
            ? add(add(r.c, scale(r.ex, along)), scale(ey, (side === 0 ? 1 : -1) * (r.b + d)))
            : add(add(r.c, scale(ey, along)), scale(r.ex, (side === 2 ? 1 : -1) * (r.a + d)));
        const grid = gridAt(b.cell, p);
        if (grid < 0) continue;
        const place = b.address.replace(/^[^\d]+\d+号/, '') || b.address;
        return { p, grid, address: b.address, place };
      }
      const cell = rng.pick(admin.districtCells);
      const p = bilinear(quads[cell], rng.range(0.03, 0.97), rng.range(0.03, 0.97));
      const grid = gridAt(cell, p);
      if (grid < 0) continue;
      const address = roads.addressFor(cell, rng.int(0, 3));
      return { p, grid, address: `${address}附近`, place: address.replace(/\d+号$/, '') };
    }
  };

  // a mild seasonal swing: more cases in summer
  const startDay = Date.UTC(2025, 10, 1) - 8 * HOUR; // 2025-11-01 00:00 +08:00
  const sampleRequested = (): number => {
    for (;;) {
      const day = rng.int(0, 364);
      const w = 1 + 0.25 * Math.sin((2 * Math.PI * (day - 150)) / 365);
      if (rng.next() * 1.25 > w) continue;
      const hour = rng.weighted(
        [...Array(24).keys()],
        [1, 0.5, 0.3, 0.3, 0.4, 1, 2, 5, 9, 10, 10, 8, 6, 7, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5],
      );
      return startDay + day * DAY + hour * HOUR + rng.int(0, 59) * 60e3 + rng.int(0, 59) * 1e3;
    }
  };
  const sec = (ms: number) => Math.round(ms / 1e3) * 1e3;

  const raw: Case[] = [];
  const levels: DispatchLevel[] = ['community', 'street', 'district'];
  for (let n = 0; n < count; n++) {
    const cat = rng.weighted(CASE_CATEGORIES, CASE_CATEGORIES.map((c) => WEIGHTS[c.code]));
    const limit = cat.limitHours * HOUR;
    const open = rng.chance(0.1);
    const overdue = open && rng.chance(0.42);
    let req: number;
    let dispatched = 0;
    let handled = 0;
    let supervised = 0;
    let closed = 0;
    let visited = 0;
    let satisfaction: Satisfaction = '';
    if (!open) {
      const late = rng.chance(0.13);
      for (;;) {
        req = sampleRequested();
        const totalMs = limit * (late ? rng.range(1.05, 2.2) : rng.range(0.12, 0.95));
        closed = sec(req + totalMs);
        if (closed <= AS_OF_MS - 60e3) {
          dispatched = sec(req + Math.min(rng.range(3, 45) * 60e3, 0.15 * totalMs));
          handled = sec(dispatched + (closed - dispatched) * rng.range(0.5, 0.85));
          supervised = sec(handled + (closed - handled) * rng.range(0.3, 0.8));
          visited = sec(closed + rng.range(2, 48) * HOUR);
          if (visited > AS_OF_MS) visited = 0;
          break;
        }
      }
      satisfaction = rng.weighted<Satisfaction>(
        ['satisfied', 'basic', 'unsatisfied'],
        late ? [0.55, 0.3, 0.15] : [0.86, 0.1, 0.04],
      );
    } else if (overdue) {
      req = sec(AS_OF_MS - limit * rng.range(1.05, 3.5));
      dispatched = sec(req + rng.range(3, 40) * 60e3);
      if (rng.chance(0.55)) {
        supervised = sec(req + limit + rng.range(1, 20) * HOUR); // 督办 after the deadline
        if (supervised > AS_OF_MS) supervised = 0;
      }
    } else {
      req = sec(AS_OF_MS - limit * rng.range(0.02, 0.9));
      dispatched = sec(req + rng.range(3, 30) * 60e3);
      if (dispatched > AS_OF_MS) dispatched = 0;
      if (dispatched && rng.chance(0.3)) {
        handled = sec(dispatched + (AS_OF_MS - dispatched) * rng.range(0.3, 0.9));
      }
    }
    const updated = Math.max(req!, dispatched, handled, supervised, closed, visited);
    const where = place();
    const ll = toLonLat(where.p);
    const tpl = rng.pick(TEMPLATES[cat.code]);
    raw.push({
      props: {
        service_request_id: '',
        status: open ? 'open' : 'closed',
        service_name: cat.name,
        service_code: cat.code,
        description: tpl.replace('{p}', where.place),
        address: where.address,
        requested_datetime: isoCst(req!),
        updated_datetime: isoCst(updated),
        expected_datetime: isoCst(req! + limit),
        closed_datetime: closed ? isoCst(closed) : '',
        dispatched_datetime: dispatched ? isoCst(dispatched) : '',
        handled_datetime: handled ? isoCst(handled) : '',
        supervised_datetime: supervised ? isoCst(supervised) : '',
        visited_datetime: visited ? isoCst(visited) : '',
        dispatch_level: rng.weighted(levels, [0.7, 0.22, 0.08]),
        satisfaction,
        lat: ll[1],
        long: ll[0],
      },
      pt: ll,
      grid: where.grid,
    });
  }
  // number by year in the order reported
  raw.sort((a, b) => (a.props.requested_datetime < b.props.requested_datetime ? -1 : a.props.requested_datetime > b.props.requested_datetime ? 1 : 0));
  const perYear = new Map<string, number>();
  for (const c of raw) {
    const y = c.props.requested_datetime.slice(0, 4);
    const k = (perYear.get(y) ?? 0) + 1;
    perYear.set(y, k);
    c.props.service_request_id = `SJ${y}-${String(k).padStart(6, '0')}`;
  }
  return raw;
}
