// The demo district generator: 奎文区（示范）, a synthetic county-level district around
// Weifang, Shandong. Deterministic: the same seed gives the same bytes.
//
//   layout    admin.ts (streets, communities), grids.ts (base + dedicated grids)
//   geometry  lattice.ts (jittered lattice, rings), polygons.ts, water.ts, roads.ts
//   content   buildings.ts (buildings, households), cases.ts
//   defects   defects.ts (planted on purpose, listed in planted.json)
//   output    writer.ts (FlatGeobuf with explicit schemas)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoMeta, PlantedDefects } from '../../src/domain/types';
import { buildAdmin, CELL, NX, NY } from './admin';
import { buildGrids } from './grids';
import { buildLattice } from './lattice';
import { buildRiver } from './water';
import { planDefects } from './defects';
import { buildRings } from './polygons';
import { buildRoads } from './roads';
import { buildPopulation } from './buildings';
import { AS_OF, buildCases } from './cases';
import { DISTRICT_CODE, DISTRICT_NAME } from './names';
import { toLonLat } from './projection';
import { rectCorners } from './geom';
import { rngFor } from './rng';
import { writeFgb, writeJson, type Column, type OutFeature } from './writer';

export const DEMO_SEED = 370705;
export const CASE_COUNT = 5200;

export const DEMO_FILES = [
  'boundaries.fgb',
  'grids.fgb',
  'buildings.fgb',
  'households.fgb',
  'cases.fgb',
  'roads.fgb',
  'water.fgb',
  'meta.json',
  'planted.json',
] as const;

const S = (name: string): Column => ({ name, kind: 'string' });

export const COLUMNS: Record<string, Column[]> = {
  boundaries: [S('code'), S('name'), S('level'), S('parent_code')],
  grids: [
    S('code'),
    S('name'),
    S('kind'),
    S('community_code'),
    S('dedicated_type'),
    { name: 'band_min', kind: 'int', nullable: true },
    { name: 'band_max', kind: 'int', nullable: true },
    S('grid_head'),
    S('full_time'),
    S('part_time'),
  ],
  buildings: [S('id'), S('address'), { name: 'levels', kind: 'short' }, { name: 'residential', kind: 'bool' }, { name: 'units', kind: 'short' }, S('use')],
  households: [S('id'), S('building_id'), { name: 'unit', kind: 'short' }, S('room'), { name: 'residents', kind: 'short', nullable: true }],
  cases: [
    S('service_request_id'),
    S('status'),
    S('service_name'),
    S('service_code'),
    S('description'),
    S('address'),
    S('requested_datetime'),
    S('updated_datetime'),
    S('expected_datetime'),
    S('closed_datetime'),
    S('dispatched_datetime'),
    S('handled_datetime'),
    S('supervised_datetime'),
    S('visited_datetime'),
    S('dispatch_level'),
    S('satisfaction'),
    { name: 'lat', kind: 'double' },
    { name: 'long', kind: 'double' },
  ],
  roads: [S('name'), S('class')],
  water: [S('name')],
};

export interface DemoSummary {
  meta: DemoMeta;
  planted: PlantedDefects;
  bytes: Record<string, number>;
}

const closeRing = (pts: [number, number][]): [number, number][] => [...pts, [pts[0][0], pts[0][1]]];

export function generateDemo(outDir: string, seed = DEMO_SEED): DemoSummary {
  const admin = buildAdmin(seed);
  const L = buildLattice(rngFor(seed, 'lattice'), NX, NY, CELL, new Set(admin.arterialI), new Set(admin.arterialJ));
  const river = buildRiver(rngFor(seed, 'river'), NX * CELL, NY * CELL);
  const layout = buildGrids(seed, admin, L, river);
  const plan = planDefects(seed, admin, L, layout, river);
  const rings = buildRings(admin, L, layout, plan);
  const riverI = river.cx.reduce((a, x) => a + x, 0) / river.cx.length / CELL;
  const roads = buildRoads(seed, admin, L, layout, riverI);
  const pop = buildPopulation(seed, admin, L, layout, plan, river, roads);
  const cases = buildCases(seed, admin, L, layout, plan, river, pop, roads, CASE_COUNT);

  const poly = (ring: [number, number][]) => ({ type: 'Polygon' as const, coordinates: [ring] });
  const boundaries: OutFeature[] = [
    { geometry: poly(rings.district), properties: { code: DISTRICT_CODE, name: DISTRICT_NAME, level: 'district', parent_code: '' } },
    ...admin.streets.map((s, k) => ({
      geometry: poly(rings.streets[k]),
      properties: { code: s.code, name: s.name, level: 'street', parent_code: DISTRICT_CODE },
    })),
    ...admin.communities.map((c, k) => ({
      geometry: poly(rings.communities[k]),
      properties: { code: c.code, name: c.name, level: 'community', parent_code: admin.streets[c.street].code },
    })),
  ];
  const grids: OutFeature[] = layout.grids.map((g) => ({
    geometry: poly(rings.grids[g.index]),
    properties: {
      code: g.code,
      name: g.name,
      kind: g.kind,
      community_code: admin.communities[g.community].code,
      dedicated_type: g.dedicatedType,
      band_min: g.band ? g.band[0] : null,
      band_max: g.band ? g.band[1] : null,
      grid_head: g.gridHead,
      full_time: g.fullTime,
      part_time: g.partTime,
    },
  }));
  const buildings: OutFeature[] = pop.buildings.map((b) => ({
    geometry: poly(closeRing(rectCorners(b.rect).map(toLonLat))),
    properties: { id: b.id, address: b.address, levels: b.levels, residential: b.residential, units: b.units, use: b.use },
  }));
  const households: OutFeature[] = pop.households.map((h) => ({
    geometry: { type: 'Point', coordinates: h.pt },
    properties: { id: h.id, building_id: h.buildingId, unit: h.unit, room: h.room, residents: h.residents },
  }));
  const caseFeatures: OutFeature[] = cases.map((c) => ({
    geometry: { type: 'Point', coordinates: c.pt },
    properties: { ...c.props } as OutFeature['properties'],
  }));
  const roadFeatures: OutFeature[] = roads.roads.map((r) => ({
    geometry: { type: 'LineString', coordinates: r.path.map((v) => [L.lon[v], L.lat[v]]) },
    properties: { name: r.name, class: r.class },
  }));
  const water: OutFeature[] = [
    { geometry: poly(river.ring.map(toLonLat)), properties: { name: river.name } },
  ];

  // planted defects
  const code = (g: number) => layout.grids[g].code;
  const planted: PlantedDefects = {
    gaps: [],
    overlaps: [],
    straddling_buildings: [],
    grids_outside_band: [],
    households_without_residents: pop.noResidents,
    dangling_households: pop.dangling,
  };
  plan.moved.forEach((m, k) => {
    const entry = { grids: [code(m.grid), code(m.other)] as [string, string], approx_area_m2: Math.round(rings.movedArea[k] * 10) / 10 };
    (m.kind === 'gap' ? planted.gaps : planted.overlaps).push(entry);
  });
  for (const b of pop.buildings) {
    if (!b.straddles) continue;
    const s = plan.straddlers.find((x) => x.rect === b.rect)!;
    planted.straddling_buildings.push({ building_id: b.id, grids: [code(s.a), code(s.b)] });
  }
  for (const [g, n] of [...plan.bandTargets.entries()].sort((a, b) => a[0] - b[0])) {
    const band = layout.grids[g].band ?? [150, 500];
    planted.grids_outside_band.push({ grid: code(g), households: pop.perGrid.get(g)!, band: [band[0], band[1]] });
    const got = pop.perGrid.get(g)!;
    if (got < n || got > n + 23) throw new Error(`band target ${n} missed: ${got}`);
  }

  const open = cases.filter((c) => c.props.status === 'open');
  const asOfMs = Date.parse(AS_OF);
  const overdue = open.filter((c) => Date.parse(c.props.expected_datetime) < asOfMs);
  const meta: DemoMeta = {
    district_code: DISTRICT_CODE,
    district_name: DISTRICT_NAME,
    as_of: AS_OF,
    seed,
    counts: {
      boundaries: boundaries.length,
      streets: admin.streets.length,
      communities: admin.communities.length,
      villages: admin.communities.filter((c) => c.village).length,
      grids: grids.length,
      base_grids: layout.grids.filter((g) => g.kind === 'base').length,
      dedicated_grids: layout.grids.filter((g) => g.kind === 'dedicated').length,
      dedicated_carved: layout.grids.filter((g) => g.kind === 'dedicated' && !g.rect).length,
      dedicated_on_top: layout.grids.filter((g) => g.kind === 'dedicated' && !!g.rect).length,
      buildings: buildings.length,
      residential_buildings: pop.buildings.filter((b) => b.residential).length,
      households: households.length,
      residents: pop.households.reduce((s, h) => s + (h.residents ?? 0), 0),
      cases: cases.length,
      cases_open: open.length,
      cases_overdue: overdue.length,
      roads: roadFeatures.length,
      water: water.length,
    },
  };

  mkdirSync(outDir, { recursive: true });
  const bytes: Record<string, number> = {};
  bytes['boundaries.fgb'] = writeFgb(join(outDir, 'boundaries.fgb'), 'boundaries', COLUMNS.boundaries, boundaries);
  bytes['grids.fgb'] = writeFgb(join(outDir, 'grids.fgb'), 'grids', COLUMNS.grids, grids);
  bytes['buildings.fgb'] = writeFgb(join(outDir, 'buildings.fgb'), 'buildings', COLUMNS.buildings, buildings);
  bytes['households.fgb'] = writeFgb(join(outDir, 'households.fgb'), 'households', COLUMNS.households, households);
  bytes['cases.fgb'] = writeFgb(join(outDir, 'cases.fgb'), 'cases', COLUMNS.cases, caseFeatures);
  bytes['roads.fgb'] = writeFgb(join(outDir, 'roads.fgb'), 'roads', COLUMNS.roads, roadFeatures);
  bytes['water.fgb'] = writeFgb(join(outDir, 'water.fgb'), 'water', COLUMNS.water, water);
  writeJson(join(outDir, 'meta.json'), meta);
  writeJson(join(outDir, 'planted.json'), planted);
  return { meta, planted, bytes };
}
