// Buildings (楼栋) and households (户).
//
// Urban base grids get residential compounds (小区) of slab buildings laid out in rows,
// aligned with their cell, plus a few shops and offices; village grids get clusters of small
// houses. Each building lies inside one cell of its grid, at least `margin` metres from the
// cell's edges (so at least that far from any grid edge), except the planted straddlers.
// Household totals per grid are drawn inside the grid's band, then the buildings are filled
// until the total is reached.
import type { Admin } from './admin';
import type { Grid, GridLayout } from './grids';
import type { Plan } from './defects';
import type { RoadNet } from './roads';
import { cellCenter, cellQuad, type Lattice } from './lattice';
import { COMPOUND_PREFIX, COMPOUND_SUFFIX } from './names';
import { toLonLat, type XY } from './projection';
import { rngFor, type Rng } from './rng';
import { bilinear, insideConvex, quadAxisU, rectCorners, rectPoint, rectsOverlap, type Rect } from './geom';
import { riverClearance, type River } from './water';

export type BuildingUse =
  | 'residential'
  | 'house'
  | 'shop'
  | 'office'
  | 'school'
  | 'hospital'
  | 'market'
  | 'factory'
  | 'park';

export interface Building {
  id: string;
  rect: Rect;
  address: string;
  levels: number;
  units: number;
  residential: boolean;
  use: BuildingUse;
  /** Grid holding the building (the dedicated grid where one holds it; the larger share for straddlers). */
  grid: number;
  cell: number;
  households: number;
  straddles: boolean;
}

export interface Household {
  id: string;
  building: number; // index into buildings, -1 for a dangling roster row
  buildingId: string;
  unit: number;
  room: string;
  residents: number | null;
  pt: [number, number]; // lon/lat
}

export interface Population {
  buildings: Building[];
  households: Household[];
  /** Households per grid, by building. */
  perGrid: Map<number, number>;
  noResidents: string[];
  dangling: { id: string; building_id: string }[];
}

const MARGIN = 8;
const WIDE_MARGIN = 30;

interface Config {
  levels: number;
  units: number;
}

const ALL_CONFIGS: Config[] = [];
for (let levels = 6; levels <= 18; levels++) for (let units = 2; units <= 4; units++) ALL_CONFIGS.push({ levels, units });

const STYLES: { levels: number[]; units: number[]; rowPitch: number }[] = [
  { levels: [6, 6, 7], units: [2, 2, 3], rowPitch: 34 }, // walk-ups
  { levels: [9, 11, 11], units: [2, 3], rowPitch: 42 }, // mid-rise
  { levels: [15, 16, 18], units: [2, 2, 3], rowPitch: 50 }, // high-rise
];

export function buildPopulation(
  seed: number,
  admin: Admin,
  L: Lattice,
  layout: GridLayout,
  plan: Plan,
  river: River,
  roads: RoadNet,
): Population {
  const rng = rngFor(seed, 'buildings');
  const { grids } = layout;
  const nCells = admin.dims.nx * admin.dims.ny;
  const quads: XY[][] = [];
  const riverNear = new Uint8Array(nCells);
  for (let c = 0; c < nCells; c++) {
    quads.push(cellQuad(L, c));
    if (admin.mask[c] === 0) riverNear[c] = riverClearance(river, cellCenter(L, c)) < 230 ? 1 : 0;
  }
  const obstacles = new Map<number, { rect: Rect; gap: number }[]>();
  const addObstacle = (cell: number, rect: Rect, gap: number) => {
    if (!obstacles.has(cell)) obstacles.set(cell, []);
    obstacles.get(cell)!.push({ rect, gap });
  };
  const marginOf = (cell: number) => (plan.wideMargin.has(cell) ? WIDE_MARGIN : MARGIN);
  /** Is `rect` inside `cell` with the cell's margin, clear of other buildings by `gap` and of the river? */
  const free = (cell: number, rect: Rect, gap: number): boolean => {
    const corners = rectCorners(rect);
    if (!insideConvex(quads[cell], corners, marginOf(cell))) return false;
    for (const o of obstacles.get(cell) ?? []) if (rectsOverlap(o.rect, rect, Math.max(gap, o.gap))) return false;
    if (riverNear[cell]) for (const p of [...corners, rect.c]) if (riverClearance(river, p) < 12) return false;
    return true;
  };

  const buildings: Building[] = [];
  const add = (b: Omit<Building, 'id'>) => {
    buildings.push({ id: `B${String(buildings.length + 1).padStart(6, '0')}`, ...b });
    addObstacle(b.cell, b.rect, 0);
  };

  // reserve the planted straddlers and the drawn-on-top dedicated grids
  for (const s of plan.straddlers) {
    addObstacle(s.cellA, s.rect, 10);
    addObstacle(s.cellB, s.rect, 10);
  }
  for (const g of grids) if (g.rect) addObstacle(g.hostCell, g.rect, 10);

  // household targets
  const target = new Map<number, number>();
  for (const g of grids) {
    if (g.kind !== 'base') continue;
    const t = plan.bandTargets.get(g.index) ?? (g.village ? rng.int(330, 470) : rng.int(176, 262));
    target.set(g.index, t);
  }

  const usedCompound = new Set<string>();
  const PHASES = ['', '二期', '三期', '四期', '五期', '六期'];
  const compoundName = () => {
    for (let attempt = 0; ; attempt++) {
      const phase = PHASES[Math.min(PHASES.length - 1, Math.floor(attempt / 30))];
      const n = rng.pick(COMPOUND_PREFIX) + rng.pick(COMPOUND_SUFFIX) + phase;
      if (!usedCompound.has(n)) {
        usedCompound.add(n);
        return n;
      }
      if (attempt > 1000) throw new Error('out of compound names');
    }
  };
  let salt = 0;
  const addressOf = (cell: number) => roads.addressFor(cell, salt++);

  const pickConfig = (r: Rng, style: (typeof STYLES)[number], remaining: number): Config => {
    const maxHh = Math.max(...style.levels) * Math.max(...style.units) * 2;
    if (remaining > maxHh + 30) return { levels: r.pick(style.levels), units: r.pick(style.units) };
    let best: Config[] = [];
    let bestOver = Infinity;
    for (const c of ALL_CONFIGS) {
      const hh = c.levels * c.units * 2;
      if (hh < remaining) continue;
      const over = hh - remaining;
      if (over < bestOver) {
        bestOver = over;
        best = [c];
      } else if (over === bestOver) best.push(c);
    }
    return r.pick(best);
  };

  /** Place rows of slab buildings in one cell until `remaining` households are housed. */
  const fillCompound = (g: Grid, cell: number, remaining: number, cap: number): number => {
    const style = g.village ? STYLES[0] : rng.weighted(STYLES, [0.55, 0.28, 0.17]);
    const compound = compoundName();
    const gate = addressOf(cell);
    const q = quads[cell];
    const C = L.cell;
    let n = 0;
    let housed = 0;
    let config = pickConfig(rng, style, remaining - housed);
    const goal = Math.min(remaining, cap);
    const rows: number[] = [];
    for (let vm = 20; vm < C - 18; vm += style.rowPitch + rng.range(-2, 3)) rows.push(vm);
    // a compound fills a band of rows somewhere in the cell, not always the south edge
    const skip = rng.int(0, Math.max(0, rows.length - 3));
    for (const vm of [...rows.slice(skip), ...rows.slice(0, skip)]) {
      if (housed >= goal) break;
      let um = 12 + rng.range(0, 30);
      while (um < C - 20 && housed < goal) {
        const len = config.units * 15 + 4;
        const v = vm / C;
        const ex = quadAxisU(q, v);
        const rect: Rect = { c: bilinear(q, (um + len / 2) / C, v), ex, a: len / 2, b: 6 };
        if (free(cell, rect, 12)) {
          n++;
          const hh = config.levels * config.units * 2;
          add({
            rect,
            address: `${gate}${compound}${n}号楼`,
            levels: config.levels,
            units: config.units,
            residential: true,
            use: 'residential',
            grid: g.index,
            cell,
            households: hh,
            straddles: false,
          });
          housed += hh;
          um += len + rng.range(12, 22);
          if (housed < goal) config = pickConfig(rng, style, remaining - housed);
        } else um += 10;
      }
    }
    return housed;
  };

  const addNonResidential = (g: Grid, cells: number[], use: 'shop' | 'office', count: number) => {
    for (let k = 0; k < count; k++) {
      for (let attempt = 0; attempt < 40; attempt++) {
        const cell = rng.pick(cells);
        const q = quads[cell];
        const v = rng.range(0.08, 0.92);
        const rect: Rect =
          use === 'shop'
            ? { c: bilinear(q, rng.range(0.08, 0.92), v), ex: quadAxisU(q, v), a: rng.range(8, 15), b: rng.range(5, 7) }
            : { c: bilinear(q, rng.range(0.15, 0.85), v), ex: quadAxisU(q, v), a: rng.range(16, 22), b: rng.range(9, 12) };
        if (!free(cell, rect, 8)) continue;
        add({
          rect,
          address: `${addressOf(cell)}${use === 'shop' ? '沿街商铺' : '写字楼'}`,
          levels: use === 'shop' ? rng.int(1, 3) : rng.int(8, 22),
          units: 1,
          residential: false,
          use,
          grid: g.index,
          cell,
          households: 0,
          straddles: false,
        });
        break;
      }
    }
  };

  const villageNo = new Map<number, number>();
  const villageHouses = (g: Grid, remaining: number) => {
    const cm = admin.communities[g.community];
    const vname = cm.name;
    // cluster: cells nearest the grid's middle, away from the river
    const cx = g.cells.reduce((s, c) => s + cellCenter(L, c)[0], 0) / g.cells.length;
    const cy = g.cells.reduce((s, c) => s + cellCenter(L, c)[1], 0) / g.cells.length;
    const order = g.cells
      .slice()
      .sort((a, b) => {
        const pa = cellCenter(L, a);
        const pb = cellCenter(L, b);
        return riverNear[a] - riverNear[b] || Math.hypot(pa[0] - cx, pa[1] - cy) - Math.hypot(pb[0] - cx, pb[1] - cy) || a - b;
      });
    let housed = 0;
    const C = L.cell;
    for (const cell of order) {
      if (housed >= remaining) break;
      const q = quads[cell];
      const rowPitch = rng.range(18, 21);
      for (let vm = 16; vm < C - 14 && housed < remaining; vm += rowPitch) {
        for (let um = 14 + rng.range(0, 4); um < C - 14 && housed < remaining; um += rng.range(16, 19)) {
          if (rng.chance(0.08)) continue; // a yard, a threshing floor
          const v = vm / C;
          const rect: Rect = { c: bilinear(q, um / C, v), ex: quadAxisU(q, v), a: rng.range(5, 6.5), b: rng.range(4.2, 5.2) };
          if (!free(cell, rect, 4)) continue;
          let hh = rng.weighted([1, 2, 3, 4], [0.4, 0.38, 0.16, 0.06]);
          hh = Math.min(hh, remaining - housed);
          const no = (villageNo.get(g.community) ?? 0) + 1;
          villageNo.set(g.community, no);
          add({
            rect,
            address: `${vname}${no}号`,
            levels: hh > 2 || rng.chance(0.45) ? 2 : 1,
            units: 1,
            residential: true,
            use: 'house',
            grid: g.index,
            cell,
            households: hh,
            straddles: false,
          });
          housed += hh;
        }
      }
    }
    return housed;
  };

  const dedicatedBuildings = (g: Grid) => {
    const inst = g.institution;
    type Spec = { use: BuildingUse; a: [number, number]; b: [number, number]; levels: [number, number]; label: string };
    const specs: Spec[] = [];
    const big = !g.rect;
    switch (g.dedicatedType) {
      case 'school':
        specs.push({ use: 'school', a: big ? [26, 32] : [18, 24], b: [6, 8], levels: [4, 5], label: '1号教学楼' });
        specs.push({ use: 'school', a: big ? [26, 32] : [18, 24], b: [6, 8], levels: [4, 5], label: '2号教学楼' });
        if (big) specs.push({ use: 'school', a: [14, 18], b: [10, 12], levels: [1, 2], label: '体育馆' });
        break;
      case 'hospital':
        specs.push({ use: 'hospital', a: big ? [25, 32] : [18, 24], b: [9, 11], levels: [5, 12], label: '门诊楼' });
        specs.push({ use: 'hospital', a: big ? [25, 32] : [16, 20], b: [9, 11], levels: [8, 16], label: '住院楼' });
        if (big) specs.push({ use: 'hospital', a: [14, 18], b: [8, 10], levels: [3, 5], label: '医技楼' });
        break;
      case 'market':
        specs.push({ use: 'market', a: big ? [35, 45] : [18, 24], b: big ? [16, 22] : [10, 13], levels: [1, 2], label: '交易大厅' });
        specs.push({ use: 'shop', a: [8, 12], b: [5, 6], levels: [1, 2], label: '管理用房' });
        break;
      case 'enterprise':
        specs.push({ use: 'factory', a: big ? [40, 55] : [18, 24], b: big ? [18, 24] : [8, 11], levels: [1, 2], label: '1号厂房' });
        specs.push({ use: 'factory', a: big ? [40, 55] : [12, 16], b: big ? [18, 24] : [6, 8], levels: [1, 2], label: '2号厂房' });
        specs.push({ use: 'office', a: big ? [12, 16] : [8, 10], b: big ? [7, 9] : [5, 6], levels: [4, 6], label: '办公楼' });
        break;
      case 'park':
        specs.push({ use: 'park', a: [6, 9], b: [4, 6], levels: [1, 1], label: '管理用房' });
        specs.push({ use: 'park', a: [4, 5], b: [3, 4], levels: [1, 1], label: '公厕' });
        break;
      default:
        break;
    }
    let count = 0;
    for (const s of specs) {
      let placed = false;
      for (let attempt = 0; attempt < 500 && !placed; attempt++) {
        let cell: number;
        let rect: Rect;
        if (g.rect) {
          cell = g.hostCell;
          const hr = g.rect;
          const p = count === 0 ? rectPoint(hr, rng.range(0.05, 0.4), rng.range(0.2, 0.8)) : rectPoint(hr, rng.range(0.1, 0.9), rng.range(0.1, 0.9));
          rect = { c: p, ex: hr.ex, a: rng.range(s.a[0], s.a[1]), b: rng.range(s.b[0], s.b[1]) };
          if (!insideConvex(rectCorners(hr), rectCorners(rect), 6)) continue;
          if ((obstacles.get(cell) ?? []).some((o) => o.rect !== hr && rectsOverlap(o.rect, rect, 8))) continue;
        } else {
          cell = rng.pick(g.cells);
          const q = quads[cell];
          const v = rng.range(0.15, 0.85);
          rect = { c: bilinear(q, rng.range(0.15, 0.85), v), ex: quadAxisU(q, v), a: rng.range(s.a[0], s.a[1]), b: rng.range(s.b[0], s.b[1]) };
          if (!free(cell, rect, 10)) continue;
        }
        const gate = addressOf(cell);
        add({
          rect,
          address: `${gate}${inst}${s.label}`,
          levels: rng.int(s.levels[0], s.levels[1]),
          units: 1,
          residential: false,
          use: s.use,
          grid: g.index,
          cell,
          households: 0,
          straddles: false,
        });
        placed = true;
        count++;
      }
    }
    if (count < 2) throw new Error(`could not place the buildings of ${g.name}`);
  };

  const perGrid = new Map<number, number>();
  for (const g of grids) {
    if (g.kind === 'dedicated') {
      dedicatedBuildings(g);
      continue;
    }
    let remaining = target.get(g.index)!;
    // planted straddlers whose larger share is in this grid come first
    for (const s of plan.straddlers.filter((x) => x.a === g.index)) {
      const hh = s.residential ? 4 : 0;
      buildings.push({
        id: `B${String(buildings.length + 1).padStart(6, '0')}`,
        rect: s.rect,
        address: `${addressOf(s.cellA)}${s.residential ? '沿街商住楼' : '沿街商铺'}`,
        levels: s.residential ? 2 : rng.int(1, 2),
        units: 1,
        residential: s.residential,
        use: s.residential ? 'residential' : 'shop',
        grid: g.index,
        cell: s.cellA,
        households: hh,
        straddles: true,
      });
      remaining -= hh;
    }
    let housed = 0;
    if (g.village) {
      housed = villageHouses(g, remaining);
    } else {
      const cells = rng.shuffle(g.cells.slice()).sort((a, b) => riverNear[a] - riverNear[b]);
      const big = remaining > 400;
      for (let pass = 0; pass < 4 && housed < remaining; pass++) {
        for (const cell of cells) {
          if (housed >= remaining) break;
          housed += fillCompound(g, cell, remaining - housed, big ? 400 : rng.int(70, 150));
        }
      }
    }
    if (housed < remaining) throw new Error(`${g.name}: housed ${housed} of ${remaining}`);
    perGrid.set(g.index, target.get(g.index)! - remaining + housed);
    if (g.village) {
      if (!villageNo.has(-1 - g.community)) {
        villageNo.set(-1 - g.community, 1);
        addNonResidentialNamed(g, `${admin.communities[g.community].name}村民委员会`, 'office');
      }
      if (rng.chance(0.5)) addNonResidential(g, g.cells, 'shop', 1);
    } else {
      addNonResidential(g, g.cells, 'shop', rng.int(1, 4));
      if (rng.chance(0.3)) addNonResidential(g, g.cells, 'office', 1);
    }
  }

  function addNonResidentialNamed(g: Grid, address: string, use: 'office') {
    for (let attempt = 0; attempt < 100; attempt++) {
      const cell = rng.pick(g.cells);
      const q = quads[cell];
      const v = rng.range(0.1, 0.9);
      const rect: Rect = { c: bilinear(q, rng.range(0.1, 0.9), v), ex: quadAxisU(q, v), a: rng.range(10, 13), b: rng.range(6, 7) };
      if (!free(cell, rect, 6)) continue;
      add({ rect, address, levels: 2, units: 1, residential: false, use, grid: g.index, cell, households: 0, straddles: false });
      return;
    }
    throw new Error(`no room for ${address}`);
  }

  // households
  const hrng = rngFor(seed, 'households');
  const households: Household[] = [];
  const residentsOf = () => hrng.weighted([1, 2, 3, 4, 5], [12, 30, 33, 17, 8]);
  buildings.forEach((b, bi) => {
    if (!b.residential) return;
    let made = 0;
    for (let u = 1; u <= b.units && made < b.households; u++) {
      for (let f = 1; f <= b.levels && made < b.households; f++) {
        for (let door = 1; door <= 2 && made < b.households; door++) {
          const s = (u - 1 + hrng.range(0.12, 0.88)) / b.units;
          const t = door === 1 ? hrng.range(0.12, 0.46) : hrng.range(0.54, 0.88);
          households.push({
            id: `H${String(households.length + 1).padStart(7, '0')}`,
            building: bi,
            buildingId: b.id,
            unit: u,
            room: String(f * 100 + door),
            residents: residentsOf(),
            pt: toLonLat(rectPoint(b.rect, s, t)),
          });
          made++;
        }
      }
    }
    if (made !== b.households) throw new Error(`${b.id}: made ${made} of ${b.households} households`);
  });

  // planted: households with no resident count (null) or zero residents, in plain grids
  const plain = grids.filter((g) => g.kind === 'base' && !plan.special.has(g.index)).map((g) => g.index);
  const chosenGrids = hrng.shuffle(plain.slice()).slice(0, 12);
  const noResidents: string[] = [];
  chosenGrids.forEach((gi, k) => {
    const hs = households.filter((h) => buildings[h.building].grid === gi && !buildings[h.building].straddles);
    const h = hrng.pick(hs);
    h.residents = k % 2 === 0 ? 0 : null;
    noResidents.push(h.id);
  });
  noResidents.sort();

  // planted: roster rows pointing at buildings that do not exist
  const dangling: { id: string; building_id: string }[] = [];
  const danglingGrids = hrng.shuffle(plain.filter((g) => !chosenGrids.includes(g) && !grids[g].village)).slice(0, 2);
  const maxId = buildings.length;
  danglingGrids.forEach((gi, k) => {
    const g = grids[gi];
    for (let attempt = 0; attempt < 200; attempt++) {
      const cell = hrng.pick(g.cells);
      const p = bilinear(quads[cell], hrng.range(0.2, 0.8), hrng.range(0.2, 0.8));
      const probe: Rect = { c: p, ex: [1, 0], a: 0.5, b: 0.5 };
      if (!free(cell, probe, 3)) continue;
      const id = `H${String(households.length + 1).padStart(7, '0')}`;
      const buildingId = `B${String(maxId + 37 + 211 * k).padStart(6, '0')}`;
      households.push({ id, building: -1, buildingId, unit: 1, room: String(hrng.int(2, 6) * 100 + hrng.int(1, 2)), residents: hrng.int(1, 4), pt: toLonLat(p) });
      dangling.push({ id, building_id: buildingId });
      return;
    }
    throw new Error('no room for a dangling household');
  });

  return { buildings, households, perGrid, noResidents, dangling };
}
