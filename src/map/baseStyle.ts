// The offline base map: a MapLibre style built from the district's own boundaries, roads
// and water. No tile server, no glyphs, no sprites: labels are drawn by deck.gl with the
// browser's own fonts (map/layers.ts).
import type { StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { District } from '../domain/district';
import type { GridFeature } from '../domain/types';

export const BASE_COLORS = {
  background: '#0a1626',
  land: '#12233a',
  water: '#1d4f7a',
  arterial: '#3b5677',
  secondary: '#2d4663',
  local: '#24394f',
  street: '#7fa7d6',
  community: '#4a6d96',
  district: '#9cc9ff',
} as const;

const fc = (features: unknown[]): FeatureCollection => ({ type: 'FeatureCollection', features } as FeatureCollection);

/** The MapLibre layer with the base grids' outlines (deck.gl draws their fills under it: map/layers.ts). */
export const GRID_LINES_LAYER = 'grid-lines';
export const GRID_LINES_SOURCE = 'grid-lines';
/** The base grids' outlines in the colour of COLORS.baseGridLine (map/layers.ts). */
const GRID_LINE = { color: '#bae6fd', opacity: 200 / 255, width: 1.5 };

/** The base grids' outlines as the MapLibre source holds them: shapes only. */
export function gridLines(grids: GridFeature[]): FeatureCollection {
  return fc(grids.filter((g) => g.properties.kind === 'base').map((g) => ({ type: 'Feature', properties: {}, geometry: g.geometry })));
}

export function baseStyle(d: District): StyleSpecification {
  return {
    version: 8,
    sources: {
      boundaries: { type: 'geojson', data: fc(d.boundaries) },
      water: { type: 'geojson', data: fc(d.water) },
      roads: { type: 'geojson', data: fc(d.roads) },
      [GRID_LINES_SOURCE]: { type: 'geojson', data: gridLines(d.grids) },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BASE_COLORS.background } },
      {
        id: 'district-land', type: 'fill', source: 'boundaries',
        filter: ['==', ['get', 'level'], 'district'],
        paint: { 'fill-color': BASE_COLORS.land },
      },
      { id: 'water', type: 'fill', source: 'water', paint: { 'fill-color': BASE_COLORS.water } },
      {
        id: 'roads', type: 'line', source: 'roads',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': ['match', ['get', 'class'], 'arterial', BASE_COLORS.arterial, 'secondary', BASE_COLORS.secondary, BASE_COLORS.local],
          'line-width': [
            'interpolate', ['exponential', 1.6], ['zoom'],
            11, ['match', ['get', 'class'], 'arterial', 1.5, 'secondary', 1, 0.5],
            17, ['match', ['get', 'class'], 'arterial', 22, 'secondary', 14, 7],
          ],
        },
      },
      {
        id: 'community-lines', type: 'line', source: 'boundaries',
        filter: ['==', ['get', 'level'], 'community'],
        paint: { 'line-color': BASE_COLORS.community, 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'street-lines', type: 'line', source: 'boundaries',
        filter: ['==', ['get', 'level'], 'street'],
        paint: { 'line-color': BASE_COLORS.street, 'line-width': 2.5 },
      },
      {
        id: 'district-line', type: 'line', source: 'boundaries',
        filter: ['==', ['get', 'level'], 'district'],
        paint: { 'line-color': BASE_COLORS.district, 'line-width': 4 },
      },
      {
        id: GRID_LINES_LAYER, type: 'line', source: GRID_LINES_SOURCE,
        paint: { 'line-color': GRID_LINE.color, 'line-opacity': GRID_LINE.opacity, 'line-width': GRID_LINE.width },
      },
    ],
  };
}
