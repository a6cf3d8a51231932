// deck.gl data layers over the base map. Large tables go in as binary attributes
// (positions straight from the typed arrays); the few thousand grids as GeoJSON. Nothing is
// pickable: clicks are resolved on the CPU (pick.ts), so deck.gl never reads pixels back.
import { GeoJsonLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature } from 'geojson';
import { CaseStatus, type CaseStatusCode } from '../domain/cases';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import type { BuildingFeature, GridFeature } from '../domain/types';
import type { LayerVisibility, Selection } from './state';
import type { LabelPoint } from './labels';
import type { CaseBins } from './caseBins';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { binRadiusPx } from './pick';

type RGBA = [number, number, number, number];

export const COLORS = {
  baseGridFill: [[56, 189, 248, 34], [45, 212, 191, 34], [129, 140, 248, 34], [163, 230, 53, 30]] as RGBA[],
  baseGridLine: [186, 230, 253, 200] as RGBA,
  dedicatedFill: [244, 114, 182, 90] as RGBA,
  dedicatedLine: [249, 168, 212, 255] as RGBA,
  building: [148, 163, 184, 220] as RGBA,
  buildingNonResidential: [203, 166, 247, 220] as RGBA,
  household: [253, 224, 71, 230] as RGBA,
  householdDensity: [253, 224, 71, 70] as RGBA,
  highlight: [250, 204, 21, 255] as RGBA,
  band: { under: [59, 130, 246, 110], in: [34, 197, 94, 60], over: [239, 68, 68, 120], none: [0, 0, 0, 0] } as Record<string, RGBA>,
  finding: {
    gap: [255, 59, 48, 210], overlap: [255, 149, 0, 210], spill: [191, 90, 242, 200],
    building: [255, 45, 146, 230], household: [255, 214, 10, 255], grid: [250, 204, 21, 255], edge: [34, 211, 238, 255],
  } as Record<string, RGBA>,
  /** open cases per 100 households, from CASE_LOAD_STEPS up */
  caseLoad: [[254, 240, 138, 90], [251, 191, 36, 120], [249, 115, 22, 150], [220, 38, 38, 180]] as RGBA[],
  caseStatus: {
    [CaseStatus.overdue]: [239, 68, 68, 255],
    [CaseStatus.inProgress]: [245, 158, 11, 255],
    [CaseStatus.closed]: [100, 116, 139, 150],
  } as Record<CaseStatusCode, RGBA>,
};

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
  households: PointSubset;
  cases: PointSubset;
  /** the shown cases binned, when zoomed out (else null) */
  caseBins: CaseBins | null;
  /** open cases (of those shown) per 100 households, per grid */
  gridLoad: Float32Array;
  gridLabels: LabelPoint[];
  communityLabels: LabelPoint[];
  report: Report;
}

export function buildLayers(p: LayerInputs): Layer[] {
  const { district: d, visibility: v, zoom, selection } = p;
  const layers: Layer[] = [];
  const baseGrids = d.grids.filter((g) => g.properties.kind === 'base');
  const gridIndexOf = new Map(d.grids.map((g, i) => [g, i]));
  const dedicatedGrids = d.grids.filter((g) => g.properties.kind === 'dedicated');

  layers.push(new GeoJsonLayer<GridFeature['properties']>({
    id: 'grids-base',
    data: baseGrids,
    visible: v.baseGrids,
    pickable: false,
    stroked: true,
    filled: true,
    material: false,
    getFillColor: (f, { index }) => {
      const g = gridIndexOf.get(f as GridFeature) ?? index;
      if (v.caseLoad) return loadColor(p.gridLoad[g]);
      if (v.bandColors) return COLORS.band[p.report.grids[g]?.band_status ?? 'none'];
      return COLORS.baseGridFill[gridColorIndex(f.properties.code)];
    },
    getLineColor: COLORS.baseGridLine,
    updateTriggers: { getFillColor: [v.bandColors, v.caseLoad, p.report, p.gridLoad] },
    getLineWidth: 1.5,
    lineWidthUnits: 'pixels',
  }));

  layers.push(new SolidPolygonLayer<BuildingFeature>({
    id: 'buildings',
    data: d.buildings.features,
    visible: v.buildings,
    pickable: false,
    extruded: v.buildings3d,
    material: v.buildings3d,
    wireframe: false,
    getPolygon: (f) => outerRings(f),
    getElevation: (f) => Math.max(1, Number(f.properties.levels) || 1) * 3,
    getFillColor: (f) => (f.properties.residential ? COLORS.building : COLORS.buildingNonResidential),
    updateTriggers: { extruded: v.buildings3d },
  }));

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
  const pointsMode = zoom >= HOUSEHOLD_POINT_ZOOM;
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

  if (v.caseHeat) {
    layers.push(new HeatmapLayer({
      id: 'case-heat',
      data: { length: p.cases.index.length, attributes: { getPosition: { value: p.cases.positions, size: 2 } } },
      radiusPixels: 40,
      intensity: 1,
      threshold: 0.05,
      colorRange: [[254, 240, 138], [253, 186, 116], [249, 115, 22], [234, 88, 12], [220, 38, 38], [153, 27, 27]],
    }));
  }

  if (p.caseBins) {
    const b = p.caseBins;
    // Circle area follows the count; red when any case in the bin is overdue.
    const radii = Float32Array.from(b.counts, (c) => binRadiusPx(c));
    const colors = new Uint8Array(b.count * 4);
    for (let k = 0; k < b.count; k++) colors.set(b.overdue[k] > 0 ? COLORS.caseStatus[CaseStatus.overdue] : COLORS.caseStatus[CaseStatus.inProgress], 4 * k);
    layers.push(new ScatterplotLayer({
      id: 'case-bins',
      data: { length: b.count, attributes: { getPosition: { value: b.positions, size: 2 }, getRadius: { value: radii, size: 1 }, getFillColor: { value: colors, size: 4, normalized: true } } },
      visible: v.cases,
      pickable: false,
      radiusUnits: 'pixels',
      stroked: true,
      getLineColor: [15, 23, 42, 255],
      lineWidthMinPixels: 1.5,
      opacity: 0.9,
    }));
    layers.push(new TextLayer({
      id: 'case-bin-counts',
      data: Array.from({ length: b.count }, (_, k) => k),
      visible: v.cases,
      fontFamily: LABEL_FONT,
      fontWeight: 700,
      getPosition: (k: number) => [b.positions[2 * k], b.positions[2 * k + 1]],
      getText: (k: number) => String(b.counts[k]),
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
      pickable: false,
      radiusUnits: 'pixels',
      radiusMinPixels: 3,
      getRadius: 4,
      stroked: true,
      getLineColor: [15, 23, 42, 255],
      lineWidthMinPixels: 1,
    }));
  }

  const labels = zoom >= GRID_LABEL_ZOOM ? p.gridLabels : p.communityLabels;
  layers.push(new TextLayer<LabelPoint>({
    id: 'labels',
    data: labels,
    visible: v.labels,
    characterSet: 'auto',
    fontFamily: LABEL_FONT,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
    outlineWidth: 4,
    outlineColor: [8, 15, 30, 255],
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: zoom >= GRID_LABEL_ZOOM ? 15 : 17,
    getColor: [235, 245, 255, 255],
    sizeUnits: 'pixels',
  }));

  layers.push(new GeoJsonLayer({
    id: 'findings',
    data: p.report.findings.filter((f) => f.geometry).map((f, i) => ({ type: 'Feature', properties: { kind: f.kind, rule: f.rule, i }, geometry: f.geometry })) as Feature[],
    visible: v.findings,
    pickable: false,
    stroked: true,
    filled: true,
    material: false,
    getFillColor: (f) => findingFill(String(f.properties?.kind)),
    getLineColor: (f) => findingLine(String(f.properties?.kind)),
    getLineWidth: (f) => (f.geometry.type === 'MultiLineString' ? 5 : 2.5),
    lineWidthUnits: 'pixels',
    pointType: 'circle',
    getPointRadius: 6,
    pointRadiusUnits: 'pixels',
  }));

  const hl = highlightFeature(d, selection, p.report);
  if (hl) {
    layers.push(new GeoJsonLayer({
      id: 'highlight',
      data: [hl],
      stroked: true,
      filled: false,
      getLineColor: COLORS.highlight,
      getLineWidth: 4,
      lineWidthUnits: 'pixels',
      pointType: 'circle',
      getPointRadius: 12,
      pointRadiusUnits: 'pixels',
    }));
  }
  return layers;
}

function loadColor(perHundred: number): RGBA {
  let k = -1;
  while (k + 1 < CASE_LOAD_STEPS.length && perHundred >= CASE_LOAD_STEPS[k + 1]) k++;
  return k < 0 ? [0, 0, 0, 0] : COLORS.caseLoad[k];
}

/** Neighbouring grids get different fills; the colour follows the code so it is stable. */
function gridColorIndex(code: string): number {
  return Number(code.slice(-3)) % COLORS.baseGridFill.length;
}

/** The footprint's rings (the first part of a MultiPolygon: buildings are single parts). */
function outerRings(f: BuildingFeature): [number, number][][] {
  const g = f.geometry;
  return (g.type === 'Polygon' ? g.coordinates : g.coordinates[0]) as [number, number][][];
}

/** Land findings are filled; grid-level findings only outlined (the grid is already drawn). */
function findingFill(kind: string): RGBA {
  const c = COLORS.finding;
  if (kind === 'gap' || kind === 'orphan_case') return c.gap;
  if (kind === 'overlap') return c.overlap;
  if (kind === 'spill') return c.spill;
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
      return d.grids[s.index];
    case 'building':
      return d.buildings.features[s.index];
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
