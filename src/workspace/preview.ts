// What the map can draw of a district before its checks have run: the layers as read, the
// buildings' table made straight from the stored columns (no feature per building), households
// and cases where they are, their density. The worker sends it to the page as soon as the
// workspace has been read; the checks' report, the per-grid totals and each thing's grid follow
// (the District, which takes the preview's footprints, points and rasters as they are).
import { propColumn, type GeoColumns } from '../store/geoColumns';
import type { BuildingTable, District } from '../domain/district';
import { FINDING_KINDS, RULES, type Report } from '../checks/report';
import type { BoundaryFeature, DemoMeta, GridFeature, RoadFeature, WaterFeature } from '../domain/types';
import type { PackedPolygons } from '../checks/rings';
import { buildCaseTable, caseBuffers, type CaseColumns } from './caseTable';
import type { GridLocator } from '../checks/locate';
import { densityGrid, type DensityGrid } from './density';
import { buildingCentres, triangulate } from './buildingTable';

/** The district as the map draws it before the checks: what it lacks, the District adds. */
// buildings: placed in no grid yet (grid -1, no households), ids and addresses not carried (the
// District brings them); cases: statuses as of the load, grids not yet (-1), texts not carried.
export type DistrictPreview = Pick<District, 'meta' | 'boundaries' | 'grids' | 'roads' | 'water' | 'buildings' | 'cases'> & {
  households: { count: number; positions: Float64Array };
  density: { households: DensityGrid; buildings: DensityGrid };
};

/**
 * The buildings' table straight from a stored layer (its rings are already packed the way the
 * checks pack them), or null when the layer holds anything but polygons (the caller makes it
 * from features then).
 */
export function buildingTableOfColumns(c: GeoColumns, { triangles: cut = true } = {}): BuildingTable | null {
  const n = c.count;
  for (let i = 0; i < n; i++) if (c.kinds[i] !== 2 && c.kinds[i] !== 3) return null; // Polygon, MultiPolygon
  const nRings = c.ringEnds.length;
  const ringStart = new Uint32Array(nRings + 1);
  ringStart.set(c.ringEnds, 1);
  const polyRings = new Uint32Array(n + 1);
  const ringHole = new Uint8Array(nRings);
  for (let p = 0; p < c.partEnds.length; p++) {
    const first = p === 0 ? 0 : c.partEnds[p - 1];
    for (let r = first + 1; r < c.partEnds[p]; r++) ringHole[r] = 1;
  }
  for (let i = 0; i < n; i++) {
    const lastPart = c.featureEnds[i];
    polyRings[i + 1] = lastPart === 0 ? 0 : c.partEnds[lastPart - 1];
  }
  const bbox = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    let w = Infinity, s = Infinity, e = -Infinity, north = -Infinity;
    for (let v = ringStart[polyRings[i]]; v < ringStart[polyRings[i + 1]]; v++) {
      const x = c.coords[2 * v], y = c.coords[2 * v + 1];
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > north) north = y;
    }
    bbox.set([w, s, e, north], 4 * i);
  }
  // its own copy of the points: the table goes to the page, the columns stay for the checks
  const shapes: PackedPolygons = { coords: c.coords.slice(), ringStart, polyRings, bbox, ringHole };
  const { triangles, triangleStart } = cut ? triangulate(shapes) : { triangles: new Uint32Array(0), triangleStart: new Uint32Array(n + 1) };
  const col = (k: string) => propColumn(c, k) ?? [];
  const ids = col('id'), addresses = col('address'), levels = col('levels'), residential = col('residential');
  const level = (v: unknown) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? NaN : Number(v));
  const yes = (v: unknown) => (v === true || v === 'true' || v === 1 || v === '1' ? 1 : 0);
  return {
    count: n,
    ids: Array.from({ length: n }, (_, i) => String(ids[i] ?? '')),
    addresses: Array.from({ length: n }, (_, i) => (addresses[i] === undefined || addresses[i] === null ? '' : String(addresses[i]))),
    levels: Float32Array.from({ length: n }, (_, i) => level(levels[i])),
    residential: Uint8Array.from({ length: n }, (_, i) => yes(residential[i])),
    shapes, triangles, triangleStart, grid: new Int32Array(n).fill(-1), households: new Int32Array(n),
  };
}

/** Each stored household's point (its geometry, else its lon / lat columns); NaN where it has none. */
export function householdPositions(c: GeoColumns): Float64Array {
  const out = new Float64Array(2 * c.count).fill(NaN);
  let lon: unknown[] | undefined, lat: unknown[] | undefined;
  for (let i = 0; i < c.count; i++) {
    if (c.kinds[i] === 1) { // Point: one part, one ring, one point
      const part = i === 0 ? 0 : c.featureEnds[i - 1];
      const ring = part === 0 ? 0 : c.partEnds[part - 1];
      const pt = ring === 0 ? 0 : c.ringEnds[ring - 1];
      out[2 * i] = c.coords[2 * pt];
      out[2 * i + 1] = c.coords[2 * pt + 1];
    } else if (c.props.lon && c.props.lat) {
      lon ??= propColumn(c, 'lon')!;
      lat ??= propColumn(c, 'lat')!;
      const num = (v: unknown) => (v === undefined || v === null || v === '' ? NaN : Number(v));
      out[2 * i] = num(lon[i]);
      out[2 * i + 1] = num(lat[i]);
    }
  }
  return out;
}

const NO_GRID = { locateAll: (xy: Float64Array) => new Int32Array(xy.length / 2).fill(-1) } as unknown as GridLocator;

/** The preview of a district: its small layers as they are, its tables as the map needs them. */
/**
 * The preview as a District for the map alone (nothing placed in a grid yet, no totals, a report
 * with nothing checked); the page shows its panels, figures and selections only with the District
 * the checks make.
 */
export function previewDistrict(p: DistrictPreview): District {
  const nh = p.households.count, ng = p.grids.length;
  const none = (n: number) => new Int32Array(n).fill(-1);
  const zeros = () => new Int32Array(ng);
  const report: Report = {
    version: 2,
    summary: {
      totals: { grids: ng, base_grids: 0, dedicated_grids: 0, buildings: p.buildings.count, households: nh, residents: 0, land_m2: null },
      scores: Object.fromEntries(RULES.map((r) => [r, null])) as Report['summary']['scores'],
      checks: Object.fromEntries(RULES.map((r) => [r, { status: 'no_data' }])) as Report['summary']['checks'],
      counts: Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Report['summary']['counts'],
      slivers: { count: 0, area_m2: 0 }, skipped: 0, repaired: 0, clean: false,
    },
    grids: [], findings: [], skipped: [], repaired: [],
  };
  return {
    ...p,
    households: {
      count: nh, ids: [], buildingIds: [], rooms: [], units: new Int16Array(0), residents: new Int16Array(0), positions: p.households.positions,
      building: none(nh), grid: none(nh), heads: null, phones: null, otherPersonal: [],
    },
    gridStats: { households: zeros(), buildings: zeros(), residents: zeros(), openCases: zeros(), overdueCases: zeros() },
    report,
  };
}

/**
 * The preview's buffers that can be handed to the page (moved, not copied): all but the
 * buildings', which the worker keeps (it may still cut them into triangles for the District).
 */
export function previewBuffers(p: DistrictPreview): ArrayBuffer[] {
  return [p.households.positions.buffer as ArrayBuffer, ...caseBuffers(p.cases), p.density.households.level.buffer as ArrayBuffer, p.density.buildings.level.buffer as ArrayBuffer];
}

/** Up to this many buildings, the preview's footprints come cut into triangles; a city's come with the District (the preview draws their density). */
export const PREVIEW_TRIANGLES = 50_000;

export function districtPreview(
  layers: { meta: DemoMeta; boundaries: BoundaryFeature[]; grids: GridFeature[]; roads: RoadFeature[]; water: WaterFeature[] },
  buildings: BuildingTable, householdXY: Float64Array, cases: CaseColumns, nowMs: number, limits?: Record<string, number>,
): DistrictPreview {
  const t = buildCaseTable(cases, NO_GRID, nowMs, limits);
  return {
    ...layers,
    buildings,
    households: { count: householdXY.length / 2, positions: householdXY },
    cases: { ...t, ids: [], addresses: [], descriptions: [] },
    density: { households: densityGrid(householdXY), buildings: densityGrid(buildingCentres(buildings)) },
  };
}

