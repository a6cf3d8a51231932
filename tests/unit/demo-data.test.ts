// The embedded demo district (data/demo): regenerating it gives the same bytes, and the
// data keep the promises the generator makes — clean everywhere except the planted defects
// listed in planted.json. Checked here from the files as written, with Turf and plain
// geometry, independently of the generator's internals and of src/checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, LineString, Point, Polygon } from 'geojson';
import { area, booleanPointInPolygon, intersect, kinks, featureCollection, polygon as turfPolygon } from '@turf/turf';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { DEMO_FILES, generateDemo } from '../../scripts/demo/index';
import { CASE_CATEGORIES } from '../../src/domain/case-categories';
import type {
  BoundaryProps, BuildingProps, CaseProps, DemoMeta, GridProps, HouseholdProps, PlantedDefects, RoadProps, WaterProps,
} from '../../src/domain/types';

const DATA = fileURLToPath(new URL('../../data/demo/', import.meta.url));

type Pt = [number, number];
type PolyF<P> = Feature<Polygon, P>;

async function readFgb<F>(file: string): Promise<F[]> {
  const out: F[] = [];
  for await (const f of deserialize(new Uint8Array(readFileSync(join(DATA, file))))) out.push(f as unknown as F);
  return out;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(DATA, file), 'utf8')) as T;

// local metric approximation around the district (for margins only; areas use Turf)
const M_LAT = 110_990;
const M_LON = 89_360;
const toM = (p: Pt): Pt => [p[0] * M_LON, p[1] * M_LAT];
function distToSegM(p: Pt, a: Pt, b: Pt): number {
  const [px, py] = toM(p);
  const [ax, ay] = toM(a);
  const [bx, by] = toM(b);
  const ex = bx - ax;
  const ey = by - ay;
  const l2 = ex * ex + ey * ey;
  const t = l2 ? Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / l2)) : 0;
  return Math.hypot(px - ax - t * ex, py - ay - t * ey);
}
const distM = (a: Pt, b: Pt) => Math.hypot(toM(a)[0] - toM(b)[0], toM(a)[1] - toM(b)[1]);
const distToRingM = (p: Pt, ring: Pt[]) => {
  let d = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) d = Math.min(d, distToSegM(p, ring[i], ring[i + 1]));
  return d;
};
const signedArea = (ring: Pt[]) => {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
};
const is7 = (v: number) => Math.round(v * 1e7) / 1e7 === v;
const key = (a: Pt, b: Pt) => `${a[0]},${a[1]};${b[0]},${b[1]}`;
const ringOf = (f: PolyF<unknown>) => f.geometry.coordinates[0] as Pt[];

/** Bounding-box bucket index over polygons, for point and box lookups. */
class BoxIndex<T> {
  private cells = new Map<string, number[]>();
  private boxes: [number, number, number, number][] = [];
  constructor(private items: T[], ringOfItem: (t: T) => Pt[], private size = 0.01) {
    items.forEach((t, k) => {
      const r = ringOfItem(t);
      const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of r) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
      this.boxes.push(b);
      for (let i = Math.floor(b[0] / size); i <= Math.floor(b[2] / size); i++)
        for (let j = Math.floor(b[1] / size); j <= Math.floor(b[3] / size); j++) {
          const c = `${i},${j}`;
          if (!this.cells.has(c)) this.cells.set(c, []);
          this.cells.get(c)!.push(k);
        }
    });
  }
  near(p: Pt): T[] {
    const ids = this.cells.get(`${Math.floor(p[0] / this.size)},${Math.floor(p[1] / this.size)}`) ?? [];
    return ids.filter((k) => {
      const b = this.boxes[k];
      return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
    }).map((k) => this.items[k]);
  }
}

describe('demo district: regeneration', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gridscope-demo-'));
    generateDemo(tmp);
    return () => rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it.each([...DEMO_FILES])('%s is byte-identical to the committed file', (file) => {
    const fresh = readFileSync(join(tmp, file));
    const committed = readFileSync(join(DATA, file));
    expect(fresh.length).toBe(committed.length);
    expect(fresh.equals(committed)).toBe(true);
  });
});

describe('demo district: invariants', () => {
  let meta: DemoMeta;
  let planted: PlantedDefects;
  let boundaries: PolyF<BoundaryProps>[];
  let grids: PolyF<GridProps>[];
  let buildings: PolyF<BuildingProps>[];
  let households: Feature<Point, HouseholdProps>[];
  let cases: Feature<Point, CaseProps>[];
  let roads: Feature<LineString, RoadProps>[];
  let water: PolyF<WaterProps>[];
  // derived
  let district: PolyF<BoundaryProps>;
  let streets: PolyF<BoundaryProps>[];
  let communities: PolyF<BoundaryProps>[];
  let baseGrids: PolyF<GridProps>[];
  let onTop: Set<string>; // dedicated grids drawn on top of a base grid
  let tiling: PolyF<GridProps>[]; // base grids + carved dedicated grids
  let plantedGridPairs: Set<string>;
  let holderCache: Map<string, string> | null = null;
  /** Building id → code of the grid holding it (a dedicated grid before a base grid; the larger share for straddlers). */
  function holders(): Map<string, string> {
    if (holderCache) return holderCache;
    const tilingIndex = new BoxIndex(tiling, ringOf);
    const tops = grids.filter((g) => onTop.has(g.properties.code));
    const straddle = new Map(planted.straddling_buildings.map((s) => [s.building_id, s.grids[0]]));
    holderCache = new Map();
    for (const b of buildings) {
      const p = ringOf(b)[0];
      const code =
        straddle.get(b.properties.id) ??
        tops.find((t) => booleanPointInPolygon(p, t))?.properties.code ??
        tilingIndex.near(p).find((g) => booleanPointInPolygon(p, g))?.properties.code;
      if (code) holderCache.set(b.properties.id, code);
    }
    return holderCache;
  }

  beforeAll(async () => {
    meta = readJson('meta.json');
    planted = readJson('planted.json');
    [boundaries, grids, buildings, households, cases, roads, water] = await Promise.all([
      readFgb<PolyF<BoundaryProps>>('boundaries.fgb'),
      readFgb<PolyF<GridProps>>('grids.fgb'),
      readFgb<PolyF<BuildingProps>>('buildings.fgb'),
      readFgb<Feature<Point, HouseholdProps>>('households.fgb'),
      readFgb<Feature<Point, CaseProps>>('cases.fgb'),
      readFgb<Feature<LineString, RoadProps>>('roads.fgb'),
      readFgb<PolyF<WaterProps>>('water.fgb'),
    ]);
    district = boundaries.find((b) => b.properties.level === 'district')!;
    streets = boundaries.filter((b) => b.properties.level === 'street');
    communities = boundaries.filter((b) => b.properties.level === 'community');
    baseGrids = grids.filter((g) => g.properties.kind === 'base');
    const baseIndex = new BoxIndex(baseGrids, ringOf);
    onTop = new Set(
      grids
        .filter((g) => g.properties.kind === 'dedicated')
        .filter((g) => {
          const p = ringOf(g)[0];
          return baseIndex.near(p).some((b) => booleanPointInPolygon(p, b, { ignoreBoundary: true }));
        })
        .map((g) => g.properties.code),
    );
    tiling = grids.filter((g) => !onTop.has(g.properties.code));
    plantedGridPairs = new Set([...planted.gaps, ...planted.overlaps].flatMap((d) => d.grids));
  }, 120_000);

  it('meta matches the layers', () => {
    expect(meta.district_code).toBe('370705');
    expect(meta.district_name).toBe('奎文区（示范）');
    expect(meta.as_of).toBe('2026-11-01T09:00:00+08:00');
    expect(meta.counts.boundaries).toBe(boundaries.length);
    expect(meta.counts.grids).toBe(grids.length);
    expect(meta.counts.buildings).toBe(buildings.length);
    expect(meta.counts.households).toBe(households.length);
    expect(meta.counts.cases).toBe(cases.length);
    expect(meta.counts.roads).toBe(roads.length);
    expect(meta.counts.water).toBe(water.length);
  });

  it('every layer has the same properties, with the same types, on every feature', () => {
    const layers: [string, Feature[], Record<string, string>, string[]][] = [
      ['boundaries', boundaries, { code: 'string', name: 'string', level: 'string', parent_code: 'string' }, []],
      ['grids', grids, {
        code: 'string', name: 'string', kind: 'string', community_code: 'string', dedicated_type: 'string',
        band_min: 'number', band_max: 'number', grid_head: 'string', full_time: 'string', part_time: 'string',
      }, ['band_min', 'band_max']],
      ['buildings', buildings, { id: 'string', address: 'string', levels: 'number', residential: 'boolean', units: 'number', use: 'string' }, []],
      ['households', households, { id: 'string', building_id: 'string', unit: 'number', room: 'string', residents: 'number' }, ['residents']],
      ['cases', cases, Object.fromEntries([
        'service_request_id', 'status', 'service_name', 'service_code', 'description', 'address', 'requested_datetime',
        'updated_datetime', 'expected_datetime', 'closed_datetime', 'dispatched_datetime', 'handled_datetime',
        'supervised_datetime', 'visited_datetime', 'dispatch_level', 'satisfaction',
      ].map((k) => [k, 'string']).concat([['lat', 'number'], ['long', 'number']])), []],
      ['roads', roads, { name: 'string', class: 'string' }, []],
      ['water', water, { name: 'string' }, []],
    ];
    const errors: string[] = [];
    for (const [name, fs, schema, nullable] of layers) {
      fs.forEach((f, n) => {
        const p = f.properties as Record<string, unknown>;
        for (const k of Object.keys(p)) if (!(k in schema)) errors.push(`${name}[${n}]: unexpected ${k}`);
        for (const [k, t] of Object.entries(schema)) {
          // a null is stored as an absent value: only nullable columns may lack it
          if (p[k] === undefined && nullable.includes(k)) continue;
          if (typeof p[k] !== t) errors.push(`${name}[${n}].${k}: ${typeof p[k]}, expected ${t}`);
        }
      });
    }
    expect(errors.slice(0, 10)).toEqual([]);
  });

  it('administrative hierarchy: district, ≥5 streets of 4–6 communities, ≥24 communities', () => {
    expect(boundaries.filter((b) => b.properties.level === 'district')).toHaveLength(1);
    expect(district.properties).toMatchObject({ code: '370705', parent_code: '' });
    expect(streets.length).toBeGreaterThanOrEqual(5);
    streets.forEach((s, k) => {
      expect(s.properties.code).toBe(`370705${String(k + 1).padStart(3, '0')}`);
      expect(s.properties.parent_code).toBe('370705');
      expect(s.properties.name).toMatch(/街道$/);
      const members = communities.filter((c) => c.properties.parent_code === s.properties.code);
      expect(members.length).toBeGreaterThanOrEqual(4);
      expect(members.length).toBeLessThanOrEqual(6);
      members.forEach((c, n) => expect(c.properties.code).toBe(`${s.properties.code}${String(n + 1).padStart(3, '0')}`));
    });
    expect(communities.length).toBeGreaterThanOrEqual(24);
    for (const c of communities) expect(c.properties.name).toMatch(/(社区|村)$/);
    expect(communities.some((c) => c.properties.name.endsWith('村'))).toBe(true);
    expect(new Set(communities.map((c) => c.properties.name)).size).toBe(communities.length);
  });

  it('polygons: closed, counter-clockwise, simple, 7-decimal coordinates inside the Weifang box', () => {
    const polys: PolyF<unknown>[] = [...boundaries, ...grids, ...water, ...buildings];
    for (const f of polys) {
      expect(f.geometry.type).toBe('Polygon');
      expect(f.geometry.coordinates).toHaveLength(1);
      const r = ringOf(f);
      expect(r[0]).toEqual(r[r.length - 1]);
      expect(signedArea(r)).toBeGreaterThan(0);
      for (const [x, y] of r) {
        expect(is7(x) && is7(y)).toBe(true);
        expect(x > 119.06 && x < 119.22 && y > 36.64 && y < 36.77).toBe(true);
      }
    }
    for (const f of [...boundaries, ...grids, ...water]) expect(kinks(f).features, JSON.stringify(f.properties)).toHaveLength(0);
    const db = ringOf(district).reduce((b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)], [Infinity, Infinity, -Infinity, -Infinity]);
    // an irregular outline: clearly less than its bounding box
    const boxArea = area(turfPolygon([[[db[0], db[1]], [db[2], db[1]], [db[2], db[3]], [db[0], db[3]], [db[0], db[1]]]]));
    expect(area(district) / boxArea).toBeLessThan(0.9);
  });

  /** Directed segments of `children` that neither meet a reversed twin nor lie on the parent ring. */
  function unmatched(parent: PolyF<unknown>, children: PolyF<unknown>[], label: (f: PolyF<unknown>) => string): string[] {
    const onParent = new Set<string>();
    const pr = ringOf(parent);
    for (let i = 0; i + 1 < pr.length; i++) onParent.add(key(pr[i], pr[i + 1]));
    const count = new Map<string, number>();
    for (const c of children) {
      const r = ringOf(c);
      for (let i = 0; i + 1 < r.length; i++) {
        const k = key(r[i], r[i + 1]);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
    const out: string[] = [];
    for (const c of children) {
      const r = ringOf(c);
      for (let i = 0; i + 1 < r.length; i++) {
        const k = key(r[i], r[i + 1]);
        const twin = key(r[i + 1], r[i]);
        const ok = count.get(k) === 1 && (onParent.has(k) ? !count.has(twin) : count.get(twin) === 1);
        if (!ok) out.push(label(c));
      }
    }
    return out;
  }

  it('streets tile the district and communities tile their street, segment for segment', () => {
    expect(unmatched(district, streets, (f) => String((f.properties as BoundaryProps).code))).toEqual([]);
    for (const s of streets) {
      const members = communities.filter((c) => c.properties.parent_code === s.properties.code);
      expect(unmatched(s, members, (f) => String((f.properties as BoundaryProps).code))).toEqual([]);
      const sum = members.reduce((a, c) => a + area(c), 0);
      expect(Math.abs(sum - area(s))).toBeLessThan(1);
    }
  });

  it('base + carved dedicated grids tile each community, except exactly the planted gaps and overlaps', () => {
    const bad: string[] = [];
    for (const c of communities) {
      const members = tiling.filter((g) => g.properties.community_code === c.properties.code);
      bad.push(...unmatched(c, members, (f) => (f.properties as GridProps).code));
      const diff = members.reduce((a, g) => a + area(g), 0) - area(c);
      const gap = planted.gaps.find((d) => d.grids[0].startsWith(c.properties.code));
      const overlap = planted.overlaps.find((d) => d.grids[0].startsWith(c.properties.code));
      if (gap) expect(Math.abs(-diff - gap.approx_area_m2) / gap.approx_area_m2).toBeLessThan(0.01);
      else if (overlap) expect(Math.abs(diff - overlap.approx_area_m2) / overlap.approx_area_m2).toBeLessThan(0.01);
      else expect(Math.abs(diff), c.properties.code).toBeLessThan(1);
    }
    // each planted gap/overlap leaves two segments of each of its two grids unmatched, nothing else
    const expected = [...planted.gaps, ...planted.overlaps].flatMap((d) => [d.grids[0], d.grids[0], d.grids[1], d.grids[1]]);
    expect(bad.sort()).toEqual(expected.sort());
    expect(planted.gaps.length).toBeGreaterThanOrEqual(3);
    expect(planted.overlaps.length).toBeGreaterThanOrEqual(3);
    for (const d of [...planted.gaps, ...planted.overlaps]) {
      expect(d.grids[0].slice(0, 12)).toBe(d.grids[1].slice(0, 12));
      expect(d.approx_area_m2).toBeGreaterThan(500);
      expect(d.approx_area_m2).toBeLessThan(10_000);
    }
  });

  it('grid codes, kinds, names, bands and staff', () => {
    const codes = new Set<string>();
    const communityCodes = new Set(communities.map((c) => c.properties.code));
    for (const g of grids) {
      const p = g.properties;
      expect(p.code).toMatch(/^\d{15}$/);
      expect(codes.has(p.code)).toBe(false);
      codes.add(p.code);
      expect(communityCodes.has(p.community_code)).toBe(true);
      expect(p.code.slice(0, 12)).toBe(p.community_code);
      const n = Number(p.code.slice(12));
      if (p.kind === 'base') {
        expect(n).toBeLessThan(900);
        expect(p.dedicated_type).toBe('');
        expect(p.name).toMatch(new RegExp(`第${n}网格$`));
      } else {
        expect(p.kind).toBe('dedicated');
        expect(n).toBeGreaterThanOrEqual(901);
        expect(['school', 'hospital', 'market', 'enterprise', 'park']).toContain(p.dedicated_type);
        expect(p.name).toMatch(/专属网格$/);
      }
      expect(p.band_min === undefined).toBe(p.band_max === undefined);
      if (p.band_min !== undefined) expect(p.band_min).toBeLessThan(p.band_max!);
      for (const s of [p.grid_head, p.full_time, p.part_time]) expect(s).toMatch(/^[\u4e00-\u9fff]{2,3}(、[\u4e00-\u9fff]{2,3})*$/);
    }
    // base grids numbered 001… without holes in each community
    for (const c of communities) {
      const nums = baseGrids.filter((g) => g.properties.community_code === c.properties.code).map((g) => Number(g.properties.code.slice(12))).sort((a, b) => a - b);
      expect(nums.length).toBeGreaterThan(0);
      nums.forEach((n, k) => expect(n).toBe(k + 1));
    }
    expect(baseGrids.length).toBeGreaterThanOrEqual(150);
    const dedicated = grids.filter((g) => g.properties.kind === 'dedicated');
    expect(dedicated.length).toBeGreaterThanOrEqual(20);
    expect(onTop.size).toBeGreaterThanOrEqual(8);
    expect(dedicated.length - onTop.size).toBeGreaterThanOrEqual(8);
    // a drawn-on-top dedicated grid lies inside one base grid of its own community
    for (const g of dedicated.filter((d) => onTop.has(d.properties.code))) {
      const hosts = baseGrids.filter((b) => ringOf(g).every((p) => booleanPointInPolygon(p, b, { ignoreBoundary: true })));
      expect(hosts).toHaveLength(1);
      expect(hosts[0].properties.community_code).toBe(g.properties.community_code);
    }
  });

  it('buildings: inside one grid with a 5 m margin, except the planted straddlers; none in the river', () => {
    const ids = new Set<string>();
    for (const b of buildings) {
      expect(b.properties.id).toMatch(/^B\d{6}$/);
      expect(ids.has(b.properties.id)).toBe(false);
      ids.add(b.properties.id);
      const { use, residential, levels, units } = b.properties;
      expect(residential).toBe(use === 'residential' || use === 'house');
      if (use === 'house') expect(levels >= 1 && levels <= 2).toBe(true);
      expect(units! >= 1 && units! <= 4).toBe(true);
    }
    const straddlers = new Map(planted.straddling_buildings.map((s) => [s.building_id, s.grids]));
    expect(straddlers.size).toBeGreaterThanOrEqual(4);
    const tilingIndex = new BoxIndex(tiling, ringOf);
    const topGrids = grids.filter((g) => onTop.has(g.properties.code));
    const river = water.find((w) => w.properties.name === '虞河')!;
    const holder = holders();
    const errors: string[] = [];
    for (const b of buildings) {
      const id = b.properties.id;
      const r = ringOf(b).slice(0, -1);
      if (r.some((p) => booleanPointInPolygon(p, river))) errors.push(`${id} in the river`);
      if (!booleanPointInPolygon(r[0], district)) errors.push(`${id} outside the district`);
      const split = straddlers.get(id);
      if (split) {
        const shares = split.map((code) => {
          const g = grids.find((x) => x.properties.code === code)!;
          const i = intersect(featureCollection([turfPolygon(b.geometry.coordinates), turfPolygon(g.geometry.coordinates)]));
          return i ? area(i) / area(b) : 0;
        });
        expect(shares[0] + shares[1]).toBeGreaterThan(0.999);
        expect(shares[0]).toBeGreaterThan(0.5);
        expect(shares[0]).toBeLessThan(0.8);
        continue;
      }
      const inside = tilingIndex.near(r[0]).filter((g) => r.every((p) => booleanPointInPolygon(p, g, { ignoreBoundary: true })));
      if (inside.length !== 1) {
        errors.push(`${id} inside ${inside.length} grids`);
        continue;
      }
      const g = inside[0];
      const m = Math.min(...r.map((p) => distToRingM(p, ringOf(g))));
      if (m < 5) errors.push(`${id} ${m.toFixed(1)} m from the edge of ${g.properties.code}`);
      let code = g.properties.code;
      // a drawn-on-top dedicated grid holds a building entirely, with margin, or not at all
      for (const t of topGrids) {
        const tin = r.filter((p) => booleanPointInPolygon(p, t)).length;
        const mt = Math.min(...r.map((p) => distToRingM(p, ringOf(t))));
        if (mt < 5) errors.push(`${id} ${mt.toFixed(1)} m from the edge of ${t.properties.code}`);
        if (tin === 4) code = t.properties.code;
        else if (tin !== 0) errors.push(`${id} partly in ${t.properties.code}`);
      }
      if (holder.get(id) !== code) errors.push(`${id} held by ${holder.get(id)}, expected ${code}`);
    }
    expect(errors.slice(0, 10)).toEqual([]);
    // dedicated grids hold a few non-residential buildings
    for (const g of grids.filter((x) => x.properties.kind === 'dedicated')) {
      const held = buildings.filter((b) => holder.get(b.properties.id) === g.properties.code);
      expect(held.length, g.properties.name).toBeGreaterThanOrEqual(2);
      for (const b of held) expect(b.properties.residential).toBe(false);
    }
  });

  it('households: ids, rooms, points inside their own building, no empty residential building', () => {
    expect(households.length).toBeGreaterThanOrEqual(60_000);
    const byId = new Map(buildings.map((b) => [b.properties.id, b]));
    const ids = new Set<string>();
    const perBuilding = new Map<string, number>();
    const dangling: { id: string; building_id: string }[] = [];
    const noResidents: string[] = [];
    const errors: string[] = [];
    for (const h of households) {
      const p = h.properties;
      const fail = (what: string) => errors.push(`${p.id}: ${what}`);
      if (!/^H\d{7}$/.test(p.id)) fail('id');
      if (ids.has(p.id)) fail('duplicate id');
      ids.add(p.id);
      if (p.residents === undefined || p.residents === null || p.residents === 0) noResidents.push(p.id);
      else if (!(p.residents >= 1 && p.residents <= 5)) fail(`residents ${p.residents}`);
      const b = byId.get(p.building_id);
      if (!b) {
        dangling.push({ id: p.id, building_id: p.building_id });
        continue;
      }
      if (!b.properties.residential) fail('in a non-residential building');
      perBuilding.set(p.building_id, (perBuilding.get(p.building_id) ?? 0) + 1);
      if (!(p.unit >= 1 && p.unit <= b.properties.units!)) fail(`unit ${p.unit}`);
      const floor = Math.floor(Number(p.room) / 100);
      const door = Number(p.room) % 100;
      if (!/^\d{3,4}$/.test(p.room) || floor < 1 || floor > b.properties.levels || (door !== 1 && door !== 2)) fail(`room ${p.room}`);
      const pt = h.geometry.coordinates as Pt;
      if (!is7(pt[0]) || !is7(pt[1])) fail('coordinates not rounded to 7 decimals');
      if (!booleanPointInPolygon(pt, b, { ignoreBoundary: true })) fail(`point outside ${b.properties.id}`);
    }
    expect(errors.slice(0, 10)).toEqual([]);
    expect(dangling).toEqual(planted.dangling_households);
    expect(dangling.length).toBeGreaterThanOrEqual(1);
    expect(noResidents).toEqual(planted.households_without_residents);
    expect(noResidents.length).toBeGreaterThanOrEqual(10);
    // both forms of "no residents": a zero and a missing value
    const flagged = households.filter((h) => noResidents.includes(h.properties.id));
    expect(flagged.some((h) => h.properties.residents === 0)).toBe(true);
    expect(flagged.some((h) => h.properties.residents === undefined)).toBe(true);
    for (const b of buildings) {
      const n = perBuilding.get(b.properties.id) ?? 0;
      if (!b.properties.residential) expect(n).toBe(0);
      else expect(n, b.properties.id).toBeGreaterThanOrEqual(1);
      if (b.properties.use === 'residential') {
        expect(n).toBe(b.properties.levels * b.properties.units! * 2);
        if (!planted.straddling_buildings.some((s) => s.building_id === b.properties.id)) {
          expect(b.properties.levels >= 6 && b.properties.levels <= 18).toBe(true);
        }
      }
    }
  });

  it('households per base grid sit inside the band, except the planted ones', () => {
    const holder = holders();
    const count = new Map<string, number>();
    for (const h of households) {
      const g = holder.get(h.properties.building_id);
      if (g) count.set(g, (count.get(g) ?? 0) + 1);
    }
    const outside = new Map(planted.grids_outside_band.map((x) => [x.grid, x]));
    let under = 0;
    let over = 0;
    for (const g of baseGrids) {
      const n = count.get(g.properties.code) ?? 0;
      const band: [number, number] = [g.properties.band_min ?? 150, g.properties.band_max ?? 500];
      const o = outside.get(g.properties.code);
      if (o) {
        expect(n).toBe(o.households);
        expect(o.band).toEqual(band);
        if (n < band[0] / 2) under++;
        else if (n > band[1] * 1.5) over++;
        else throw new Error(`${g.properties.code} is not far outside its band`);
      } else {
        expect(n, g.properties.code).toBeGreaterThanOrEqual(band[0]);
        expect(n, g.properties.code).toBeLessThanOrEqual(band[1]);
      }
    }
    expect(under).toBeGreaterThanOrEqual(2);
    expect(over).toBeGreaterThanOrEqual(2);
    // village grids use 300–500 and are mostly filled to it
    const village = baseGrids.filter((g) => g.properties.name.includes('村第'));
    expect(village.length).toBeGreaterThan(0);
    for (const g of village) expect([g.properties.band_min, g.properties.band_max]).toEqual([300, 500]);
  });

  it('planted defects stay apart: no grid takes part in two of them', () => {
    const seen = new Map<string, string>();
    const mark = (grid: string, what: string) => {
      expect(seen.get(grid), `${grid} in ${what} and ${seen.get(grid)}`).toBeUndefined();
      seen.set(grid, what);
    };
    planted.gaps.forEach((d, k) => d.grids.forEach((g) => mark(g, `gap ${k}`)));
    planted.overlaps.forEach((d, k) => d.grids.forEach((g) => mark(g, `overlap ${k}`)));
    planted.straddling_buildings.forEach((d) => d.grids.forEach((g) => mark(g, d.building_id)));
    planted.grids_outside_band.forEach((d) => mark(d.grid, 'band'));
    expect(plantedGridPairs.size).toBe(2 * (planted.gaps.length + planted.overlaps.length));
  });

  it('cases: Open311 fields, closed loop in order, inside a grid', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5000);
    const asOf = Date.parse(meta.as_of);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;
    const ids = new Set<string>();
    const levels = { community: 0, street: 0, district: 0 };
    let open = 0;
    let overdue = 0;
    const tilingIndex = new BoxIndex(tiling, ringOf);
    let prev = '';
    for (const c of cases) {
      const p = c.properties;
      expect(p.service_request_id).toMatch(/^SJ(2025|2026)-\d{6}$/);
      expect(p.service_request_id.slice(2, 6)).toBe(p.requested_datetime.slice(0, 4));
      expect(ids.has(p.service_request_id)).toBe(false);
      ids.add(p.service_request_id);
      expect(p.requested_datetime >= prev).toBe(true);
      prev = p.requested_datetime;
      const cat = CASE_CATEGORIES.find((x) => x.code === p.service_code)!;
      expect(cat).toBeDefined();
      expect(p.service_name).toBe(cat.name);
      expect(p.description.length).toBeGreaterThan(4);
      expect(p.address.length).toBeGreaterThan(3);
      for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime'] as const) expect(p[k]).toMatch(iso);
      const req = Date.parse(p.requested_datetime);
      expect(req).toBeGreaterThanOrEqual(asOf - 366 * 86_400_000);
      expect(req).toBeLessThanOrEqual(asOf);
      expect(Date.parse(p.expected_datetime) - req).toBe(cat.limitHours * 3_600_000);
      const stages = [p.requested_datetime, p.dispatched_datetime, p.handled_datetime, p.supervised_datetime, p.closed_datetime, p.visited_datetime]
        .filter((s) => s !== '' && s !== undefined) as string[];
      for (const s of stages) {
        expect(s).toMatch(iso);
        expect(Date.parse(s)).toBeLessThanOrEqual(asOf);
      }
      for (let k = 1; k < stages.length; k++) expect(Date.parse(stages[k])).toBeGreaterThanOrEqual(Date.parse(stages[k - 1]));
      expect(p.updated_datetime).toBe(stages.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)));
      if (p.status === 'open') {
        open++;
        expect(p.closed_datetime).toBe('');
        expect(p.satisfaction).toBe('');
        if (Date.parse(p.expected_datetime) < asOf) overdue++;
      } else {
        expect(p.status).toBe('closed');
        expect(p.closed_datetime).toMatch(iso);
        expect(['satisfied', 'basic', 'unsatisfied']).toContain(p.satisfaction);
      }
      levels[p.dispatch_level]++;
      const pt = c.geometry.coordinates as Pt;
      expect([p.long, p.lat]).toEqual(pt);
      expect(booleanPointInPolygon(pt, district)).toBe(true);
      expect(tilingIndex.near(pt).filter((g) => booleanPointInPolygon(pt, g)).length, p.service_request_id).toBe(1);
    }
    const n = cases.length;
    expect(open / n).toBeGreaterThan(0.06);
    expect(open / n).toBeLessThan(0.14);
    expect(overdue).toBeGreaterThan(0);
    expect(open - overdue).toBeGreaterThan(0);
    expect(meta.counts.cases_open).toBe(open);
    expect(meta.counts.cases_overdue).toBe(overdue);
    expect(Math.abs(levels.community / n - 0.7)).toBeLessThan(0.04);
    expect(Math.abs(levels.street / n - 0.22)).toBeLessThan(0.04);
    expect(Math.abs(levels.district / n - 0.08)).toBeLessThan(0.03);
    // closed mostly on time, some late
    const closed = cases.filter((c) => c.properties.status === 'closed');
    const late = closed.filter((c) => c.properties.closed_datetime > c.properties.expected_datetime).length;
    expect(late / closed.length).toBeGreaterThan(0.05);
    expect(late / closed.length).toBeLessThan(0.25);
  });

  it('roads run along lattice vertices; the river is a 40–80 m wide polygon', () => {
    const vertices = new Set<string>();
    for (const f of [...boundaries, ...tiling]) for (const [x, y] of ringOf(f)) vertices.add(`${x},${y}`);
    const classes = new Set<string>();
    let total = 0;
    let onRing = 0;
    for (const r of roads) {
      expect(r.geometry.type).toBe('LineString');
      expect(r.properties.name).toMatch(/(路|街|巷)$/);
      classes.add(r.properties.class);
      const on = r.geometry.coordinates.filter(([x, y]) => vertices.has(`${x},${y}`)).length;
      // secondary roads and lanes follow community and grid borders; arterials mostly do
      // (a border leaves its arterial here and there, and the road then crosses a grid)
      if (r.properties.class === 'arterial') expect(on / r.geometry.coordinates.length).toBeGreaterThan(0.7);
      else expect(on).toBe(r.geometry.coordinates.length);
      total += r.geometry.coordinates.length;
      onRing += on;
    }
    expect(onRing / total).toBeGreaterThan(0.9);
    expect([...classes].sort()).toEqual(['arterial', 'local', 'secondary']);
    expect(water).toHaveLength(1);
    const river = water[0];
    expect(river.properties.name).toBe('虞河');
    // area / length of the centreline ≈ mean width
    const r = ringOf(river);
    const half = (r.length - 1) / 2;
    let len = 0;
    for (let i = 0; i + 1 < half; i++) len += distM(r[i], r[i + 1]);
    const width = area(river) / len;
    expect(width).toBeGreaterThan(40);
    expect(width).toBeLessThan(80);
  });
});
