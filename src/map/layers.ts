// deck.gl data layers over the base map. Large tables go in as binary attributes
// (positions straight from the typed arrays); the few thousand grids as GeoJSON. Nothing is
// pickable: clicks are resolved on the CPU (pick.ts), so deck.gl never reads pixels back.
import { BitmapLayer, GeoJsonLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import type { Feature } from 'geojson';
import { CaseStatus, type CaseStatusCode } from '../domain/cases';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import type { GridFeature } from '../domain/types';
import type { DensityGrid } from '../workspace/density';
import { buildingFeature } from '../workspace/buildingTable';
import type { BuildingMesh } from './inView';
import { GRID_LINES_LAYER } from './baseStyle';

/** Drawn just under MapLibre's grid outlines (interleaved: the overlay's `beforeId`, not in deck.gl's layer types). */
const BELOW_GRID_LINES = { beforeId: GRID_LINES_LAYER } as object;
import { gridIndex, type LayerVisibility, type Selection } from './state';
import type { LabelPoint } from './labels';
import type { CaseBins } from './caseBins';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { binRadiusPx } from './pick';

type RGBA = [number, number, number, number];

const hex = (h: string, a = 255): RGBA => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

/**
 * Every colour the map draws, one meaning each; the legend (LayerPanel) lists them all.
 * Cases keep the traffic-light reds and ambers; findings take hues nothing else uses.
 */
export const COLORS = {
  baseGridFill: [hex('#38bdf8', 34), hex('#2dd4bf', 34), hex('#818cf8', 34), hex('#94a3b8', 30)] as RGBA[],
  baseGridLine: hex('#bae6fd', 200),
  dedicatedFill: hex('#f472b6', 90),
  dedicatedLine: hex('#f9a8d4'),
  building: hex('#94a3b8', 220),
  buildingNonResidential: hex('#c4b5fd', 220),
  household: hex('#fde047', 230),
  householdDensity: hex('#fde047', 70),
  /** the selected feature: a white line on a dark halo */
  highlight: hex('#ffffff'),
  highlightHalo: hex('#020617', 200),
  band: { under: hex('#3b82f6', 120), in: hex('#22c55e', 70), over: hex('#f43f5e', 130), none: [0, 0, 0, 0] } as Record<string, RGBA>,
  finding: {
    gap: hex('#f8fafc', 170), overlap: hex('#22d3ee', 190), spill: hex('#7c3aed', 200),
    building: hex('#84cc16', 230), household: hex('#0ea5e9'), grid: hex('#fb923c'), edge: hex('#e879f9'),
    /** the boundary layer's own overlaps and gaps: a hue apart from the grids' findings */
    boundary: hex('#b45309', 170),
  } as Record<string, RGBA>,
  /** open cases per 100 households, from CASE_LOAD_STEPS up: one hue, lighter as the load grows (perceptually even) */
  caseLoad: [hex('#1e3a8a', 150), hex('#2563eb', 160), hex('#60a5fa', 170), hex('#dbeafe', 190)] as RGBA[],
  caseStatus: {
    [CaseStatus.overdue]: hex('#ef4444'),
    [CaseStatus.inProgress]: hex('#f59e0b'),
    [CaseStatus.closed]: hex('#64748b', 150),
  } as Record<CaseStatusCode, RGBA>,
  /** editing: vertex handles (shared ones apart), edge midpoints, the vertex picked, the snap ring, the line or ring being drawn, grids or buildings picked */
  edit: {
    handle: hex('#ffffff'), shared: hex('#facc15'), midpoint: hex('#cbd5e1', 200), active: hex('#ef4444'), handleLine: hex('#0f172a'),
    snap: hex('#34d399'), sketch: hex('#f97316'), picked: hex('#f97316'), pickedFill: hex('#f97316', 70),
  },
  /** a comparison of the draft with a version: outlines as they were, and as they are by change */
  compare: { before: hex('#cbd5e1'), added: hex('#22c55e'), reshaped: hex('#f59e0b'), vertices: hex('#f59e0b'), renamed: hex('#f59e0b'), removed: hex('#ef4444') } as Record<string, RGBA>,
  /** review comments pinned on the map: the circle, its outline and number, the one picked */
  pin: { fill: hex('#fbbf24'), line: hex('#0f172a'), active: hex('#fb7185') },
  /** the heat map of cases, low to high */
  caseHeat: ['#3b0764', '#7e22ce', '#c026d3', '#f0abfc', '#ffffff'].map((h) => hex(h).slice(0, 3)) as [number, number, number][],
};

/** A bin's colour: amber when none of its cases is overdue, red when all are, between by the share. */
export function binColor(overdue: number, count: number): RGBA {
  const t = count > 0 ? overdue / count : 0;
  const a = COLORS.caseStatus[CaseStatus.inProgress], b = COLORS.caseStatus[CaseStatus.overdue];
  return [0, 1, 2].map((i) => Math.round(a[i] + t * (b[i] - a[i]))).concat(235) as RGBA;
}

/** Lower bounds of the case-load classes (open cases per 100 households). */
export const CASE_LOAD_STEPS = [0.5, 1, 2, 5];

/** Below this zoom cases are binned (counted circles), above it each is a point. */
export const CASE_POINT_ZOOM = 14;

/** Below this zoom households are shown as density, above it as points. */
export const HOUSEHOLD_POINT_ZOOM = 15;
/** Grid labels appear at this zoom; community labels below it. */
export const GRID_LABEL_ZOOM = 14;

export const LABEL_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

/** A subset of a point table: the source indices and their positions, for binary attributes. */
export interface PointSubset {
  index: Uint32Array;
  positions: Float64Array;
  colors?: Uint8Array;
}

export function pointSubset(positions: Float64Array, keep: (i: number) => boolean, color?: (i: number) => RGBA): PointSubset {
  const n = positions.length / 2;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(positions[2 * i]) && keep(i)) idx.push(i);
  const index = Uint32Array.from(idx);
  const pos = new Float64Array(index.length * 2);
  const colors = color ? new Uint8Array(index.length * 4) : undefined;
  index.forEach((src, k) => {
    pos[2 * k] = positions[2 * src];
    pos[2 * k + 1] = positions[2 * src + 1];
    if (colors && color) colors.set(color(src), 4 * k);
  });
  return { index, positions: pos, colors };
}

export interface LayerInputs {
  district: District;
  visibility: LayerVisibility;
  zoom: number;
  selection: Selection | null;
  /** the footprints to draw (src/map/inView.ts), or null: too many in view, their density */
  buildings: BuildingMesh | null;
  /** households as points (clickable), as faint dots (zoomed out), or as their density (too many) */
  householdsMode: 'points' | 'dots' | 'density';
  /** the households drawn as points or dots */
  households: PointSubset;
  cases: PointSubset;
  /** the shown cases binned, when zoomed out (else null) */
  caseBins: CaseBins | null;
  /** open cases (of those shown) per 100 households, per grid */
  gridLoad: Float32Array;
  gridLabels: LabelPoint[];
  /** labels this many times their desk size (the big screen scales them with the wall's height) */
  labelScale?: number;
  communityLabels: LabelPoint[];
  report: Report;
}

export function buildLayers(p: LayerInputs): Layer[] {
  const { district: d, visibility: v, zoom, selection } = p;
  const layers: Layer[] = [];
  // The same arrays while the grids are the same: new ones would have deck.gl cut every grid
  // into triangles again at each zoom step (seconds for a city's 3,000).
  const { baseGrids, dedicatedGrids, gridIndexOf } = gridsByKind(d.grids);

  layers.push(new GeoJsonLayer<GridFeature['properties']>({
    id: 'grids-base',
    data: baseGrids,
    visible: v.baseGrids,
    pickable: false,
    // Their outlines are a MapLibre line layer under this one's name (baseStyle.ts): 3,000 grids'
    // edges as deck.gl paths take seconds a frame on software WebGL, MapLibre's lines a few ms.
    stroked: false,
    ...BELOW_GRID_LINES,
    filled: true,
    material: false,
    getFillColor: (f, { index }) => {
      const g = gridIndexOf.get(f as GridFeature) ?? index;
      if (v.caseLoad) return loadColor(p.gridLoad[g]);
      if (v.bandColors) return COLORS.band[p.report.grids[g]?.band_status ?? 'none'];
      return COLORS.baseGridFill[gridColorIndex(f.properties.code)];
    },
    updateTriggers: { getFillColor: [v.bandColors, v.caseLoad, p.report, p.gridLoad] },
  }));

  // Footprints straight from the columns (binary attributes, triangles made in the worker),
  // or, where there are too many in view to draw one by one, their density.
  const b = p.buildings;
  layers.push(b ? new SolidPolygonLayer({
    id: 'buildings',
    data: {
      length: b.length,
      startIndices: b.startIndices,
      attributes: {
        getPolygon: { value: b.positions, size: 2 },
        indices: b.indices,
        getFillColor: { value: b.colors, size: 4, normalized: true },
        getElevation: { value: b.elevations, size: 1 },
      },
    },
    _normalize: false,
    _windingOrder: 'CCW',
    positionFormat: 'XY',
    visible: v.buildings,
    pickable: false,
    extruded: v.buildings3d,
    material: v.buildings3d,
    wireframe: false,
    updateTriggers: { extruded: v.buildings3d },
  }) : densityLayer('buildings-density', d.density.buildings, COLORS.building, v.buildings));

  layers.push(new GeoJsonLayer<GridFeature['properties']>({
    id: 'grids-dedicated',
    data: dedicatedGrids,
    visible: v.dedicatedGrids,
    pickable: false,
    stroked: true,
    filled: true,
    material: false,
    getFillColor: COLORS.dedicatedFill,
    getLineColor: COLORS.dedicatedLine,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
  }));

  // Zoomed out, households are a dot-density map (faint sub-pixel dots that add up where
  // people live); zoomed in, each is a clickable point. A GPU heatmap looks similar but
  // costs seconds per frame on software WebGL, which video walls and CI machines often have.
  // Where there are too many to draw one by one (a city), their counts as a raster instead.
  if (p.householdsMode === 'density') layers.push(densityLayer('households-density', d.density.households, COLORS.household, v.households));
  else {
    const pointsMode = p.householdsMode === 'points';
    layers.push(new ScatterplotLayer({
      id: 'households',
      data: { length: p.households.index.length, attributes: { getPosition: { value: p.households.positions, size: 2 } } },
      visible: v.households,
      pickable: false,
      radiusUnits: 'pixels',
      getRadius: pointsMode ? 2.5 : 1.2,
      getFillColor: pointsMode ? COLORS.household : COLORS.householdDensity,
      updateTriggers: { getRadius: pointsMode, getFillColor: pointsMode },
    }));
  }

  if (v.caseHeat) {
    // The heat map replaces the case circles (both at once hide each other).
    layers.push(new HeatmapLayer({
      id: 'case-heat',
      data: { length: p.cases.index.length, attributes: { getPosition: { value: p.cases.positions, size: 2 } } },
      visible: v.cases,
      radiusPixels: 40,
      intensity: 1,
      threshold: 0.05,
      colorRange: COLORS.caseHeat,
    }));
  } else if (p.caseBins) {
    const b = p.caseBins;
    // Circle area follows the number of cases; colour the share of them overdue; the label
    // says "overdue/all" where any is overdue.
    const radii = Float32Array.from(b.counts, (c) => binRadiusPx(c));
    const colors = new Uint8Array(b.count * 4);
    for (let k = 0; k < b.count; k++) colors.set(binColor(b.overdue[k], b.counts[k]), 4 * k);
    layers.push(new ScatterplotLayer({
      id: 'case-bins',
      data: { length: b.count, attributes: { getPosition: { value: b.positions, size: 2 }, getRadius: { value: radii, size: 1 }, getFillColor: { value: colors, size: 4, normalized: true } } },
      visible: v.cases,
      radiusUnits: 'pixels',
      stroked: true,
      getLineColor: [15, 23, 42, 255],
      lineWidthMinPixels: 1.5,
      opacity: 0.8,
    }));
    layers.push(new TextLayer({
      id: 'case-bin-counts',
      data: Array.from({ length: b.count }, (_, k) => k),
      visible: v.cases,
      fontFamily: LABEL_FONT,
      fontWeight: 700,
      getPosition: (k: number) => [b.positions[2 * k], b.positions[2 * k + 1]],
      getText: (k: number) => (b.overdue[k] > 0 ? `${b.overdue[k]}/${b.counts[k]}` : String(b.counts[k])),
      getSize: 13,
      sizeUnits: 'pixels',
      getColor: [255, 255, 255, 255],
      outlineWidth: 2,
      outlineColor: [15, 23, 42, 255],
      fontSettings: { sdf: true, fontSize: 48, buffer: 4 },
    }));
  } else {
    layers.push(new ScatterplotLayer({
      id: 'cases',
      data: {
        length: p.cases.index.length,
        attributes: {
          getPosition: { value: p.cases.positions, size: 2 },
          getFillColor: { value: p.cases.colors!, size: 4, normalized: true },
        },
      },
      visible: v.cases,
      radiusUnits: 'pixels',
      radiusMinPixels: 3,
      getRadius: 4,
      stroked: true,
      getLineColor: [15, 23, 42, 255],
      lineWidthMinPixels: 1,
    }));
  }

  // Buildings' findings filled only (a footprint is small; its outline would be thousands of
  // paths, which software WebGL draws slowly); the rest outlined too.
  const findings = findingFeatures(p.report);
  layers.push(new GeoJsonLayer({
    id: 'findings-buildings',
    data: findings.buildings,
    visible: v.findings,
    pickable: false,
    stroked: false,
    filled: true,
    material: false,
    getFillColor: COLORS.finding.building,
  }));
  layers.push(new GeoJsonLayer({
    id: 'findings',
    data: findings.others,
    visible: v.findings,
    pickable: false,
    stroked: true,
    filled: true,
    material: false,
    // Household findings are rings around the household's yellow point, not dots over it.
    getFillColor: (f) => (f.geometry.type === 'Point' ? [0, 0, 0, 0] : findingFill(String(f.properties?.kind))),
    getLineColor: (f) => findingLine(String(f.properties?.kind)),
    getLineWidth: (f) => (f.geometry.type === 'MultiLineString' ? 5 : f.geometry.type === 'Point' ? 3 : 2.5),
    lineWidthUnits: 'pixels',
    pointType: 'circle',
    getPointRadius: 8,
    pointRadiusUnits: 'pixels',
  }));

  // Labels over everything but the selection: no circle or finding hides a name.
  const labels = zoom >= GRID_LABEL_ZOOM ? p.gridLabels : p.communityLabels;
  layers.push(new TextLayer<LabelPoint>({
    ...LABEL_STYLE,
    id: 'labels',
    data: labels,
    visible: v.labels,
    fontWeight: 600,
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: (zoom >= GRID_LABEL_ZOOM ? 15 : 17) * (p.labelScale ?? 1),
    getColor: [235, 245, 255, 255],
  }));

  const hl = highlightFeature(d, selection, p.report);
  if (hl) {
    for (const [id, color, width] of [['highlight-halo', COLORS.highlightHalo, 8], ['highlight', COLORS.highlight, 3.5]] as const) {
      layers.push(new GeoJsonLayer({
        id,
        data: [hl],
        stroked: true,
        filled: false,
        getLineColor: color,
        getLineWidth: width,
        lineWidthUnits: 'pixels',
        pointType: 'circle',
        getPointRadius: 12,
        pointRadiusUnits: 'pixels',
      }));
    }
  }
  return layers;
}

const byKind = new WeakMap<GridFeature[], { baseGrids: GridFeature[]; dedicatedGrids: GridFeature[]; gridIndexOf: Map<GridFeature, number> }>();

function gridsByKind(grids: GridFeature[]) {
  let k = byKind.get(grids);
  if (!k) {
    k = { baseGrids: grids.filter((g) => g.properties.kind === 'base'), dedicatedGrids: grids.filter((g) => g.properties.kind === 'dedicated'), gridIndexOf: new Map(grids.map((g, i) => [g, i])) };
    byKind.set(grids, k);
  }
  return k;
}

const findingsDrawn = new WeakMap<Report, { buildings: Feature[]; others: Feature[] }>();

/** The report's findings that have a shape, as features: buildings' areas, and the rest (made once per report). */
function findingFeatures(report: Report): { buildings: Feature[]; others: Feature[] } {
  let fs = findingsDrawn.get(report);
  if (!fs) {
    const all = report.findings.filter((f) => f.geometry).map((f, i) => ({ type: 'Feature', properties: { kind: f.kind, rule: f.rule, i }, geometry: f.geometry })) as Feature[];
    const isBuilding = (f: Feature) => String(f.properties?.kind).endsWith('_building') && f.geometry.type !== 'Point';
    fs = { buildings: all.filter(isBuilding), others: all.filter((f) => !isBuilding(f)) };
    findingsDrawn.set(report, fs);
  }
  return fs;
}

function loadColor(perHundred: number): RGBA {
  let k = -1;
  while (k + 1 < CASE_LOAD_STEPS.length && perHundred >= CASE_LOAD_STEPS[k + 1]) k++;
  return k < 0 ? [0, 0, 0, 0] : COLORS.caseLoad[k];
}

/**
 * Neighbouring grids get different fills; the colour follows the code so it is stable. A
 * numeric code (west→east numbering) by its last digits, any other code by a hash of it.
 */
export function gridColorIndex(code: string): number {
  const n = COLORS.baseGridFill.length;
  const tail = /(\d{1,3})$/.exec(String(code));
  if (tail) return Number(tail[1]) % n;
  let h = 0;
  for (const ch of String(code)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return ((h % n) + n) % n;
}

/** A density raster (src/workspace/density.ts) in one colour, as one image over the district. */
function densityLayer(id: string, g: DensityGrid, color: RGBA, visible: boolean): Layer {
  return new BitmapLayer({
    id,
    image: densityImage(g, color),
    bounds: g.bounds,
    // Cells are even in degrees: laid in longitude and latitude, not stretched in Mercator.
    _imageCoordinateSystem: COORDINATE_SYSTEM.LNGLAT,
    visible,
    pickable: false,
  });
}

const densityImages = new WeakMap<DensityGrid, ImageData>();

/** The raster's levels as an image in `color` (its alpha scaled by the level); made once per raster. */
function densityImage(g: DensityGrid, color: RGBA): ImageData {
  let img = densityImages.get(g);
  if (!img) {
    const rgba = new Uint8ClampedArray(g.width * g.height * 4);
    for (let k = 0; k < g.level.length; k++) {
      if (g.level[k] === 0) continue;
      rgba[4 * k] = color[0]; rgba[4 * k + 1] = color[1]; rgba[4 * k + 2] = color[2];
      rgba[4 * k + 3] = (g.level[k] * color[3]) / 255;
    }
    img = new ImageData(rgba, g.width, g.height);
    densityImages.set(g, img);
  }
  return img;
}

/** Land findings are filled; grid-level findings only outlined (the grid is already drawn). */
function findingFill(kind: string): RGBA {
  const c = COLORS.finding;
  if (kind === 'gap' || kind === 'orphan_case') return c.gap;
  if (kind === 'overlap') return c.overlap;
  if (kind === 'spill') return c.spill;
  if (kind === 'boundary_overlap' || kind === 'boundary_gap') return c.boundary;
  if (kind.endsWith('_building')) return c.building;
  if (kind.endsWith('_household') || kind === 'no_residents') return c.household;
  return [0, 0, 0, 0];
}

function findingLine(kind: string): RGBA {
  if (kind === 'invalid_edges') return COLORS.finding.edge;
  const fill = findingFill(kind);
  return fill[3] === 0 ? COLORS.finding.grid : [fill[0], fill[1], fill[2], 255];
}

function highlightFeature(d: District, s: Selection | null, report: Report): Feature | null {
  if (!s) return null;
  switch (s.kind) {
    case 'finding': {
      const f = report.findings[s.index];
      return f?.geometry ? { type: 'Feature', properties: {}, geometry: f.geometry } : null;
    }
    case 'grid':
      return d.grids[gridIndex(d.grids, s.code)] ?? null;
    case 'building':
      return s.index >= 0 && s.index < d.buildings.count ? buildingFeature(d.buildings, s.index) : null;
    case 'boundary':
      return d.boundaries[s.index];
    case 'household':
    case 'case': {
      const pos = s.kind === 'household' ? d.households.positions : d.cases.positions;
      const x = pos[2 * s.index];
      const y = pos[2 * s.index + 1];
      if (!Number.isFinite(x)) return null;
      return { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } };
    }
  }
}

/** How map labels are drawn: SDF text with a dark outline, sized in pixels. */
const LABEL_STYLE = {
  characterSet: 'auto', fontFamily: LABEL_FONT, fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
  outlineWidth: 4, outlineColor: [8, 15, 30, 255] as RGBA, sizeUnits: 'pixels',
} as const;

/** The outlines of a comparison (plan/compare.ts features): before in grey, after by change; a proposal's grids with their households. */
export function comparisonLayers(features: Feature[]): Layer[] {
  const labelled = features.filter((f) => f.properties?.label);
  return [comparisonLayer(features), new TextLayer<Feature>({
    ...LABEL_STYLE,
    id: 'comparison-labels',
    data: labelled,
    fontWeight: 700,
    getPosition: (f) => labelAt(f),
    getText: (f) => String(f.properties!.label),
    getSize: 18,
    getColor: COLORS.compare.added,
  })];
}

/** A point for a shape's label: the middle of its outline's box (good enough for a count). */
function labelAt(f: Feature): [number, number] {
  const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
  const ring = (g.type === 'Polygon' ? g.coordinates[0] : (g.coordinates as number[][][][])[0][0]) as number[][];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of ring) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  return [(w + e) / 2, (s + n) / 2];
}

function comparisonLayer(features: Feature[]): Layer {
  return new GeoJsonLayer({
    id: 'comparison',
    data: features,
    stroked: true,
    filled: false,
    getLineColor: (f) => (f.properties?.version === 'before' ? COLORS.compare.before : COLORS.compare[String(f.properties?.change)] ?? COLORS.compare.reshaped),
    getLineWidth: (f) => (f.properties?.version === 'before' ? 2 : 4),
    lineWidthUnits: 'pixels',
  });
}
