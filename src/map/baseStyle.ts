// The offline base map: a MapLibre style built from the district's own boundaries, roads
// and water. No tile server, no glyphs, no sprites: labels are drawn by deck.gl with the
// browser's own fonts (map/layers.ts).
import type { StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { District } from '../domain/district';

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

export function baseStyle(d: District): StyleSpecification {
  return {
    version: 8,
    sources: {
      boundaries: { type: 'geojson', data: fc(d.boundaries) },
      water: { type: 'geojson', data: fc(d.water) },
      roads: { type: 'geojson', data: fc(d.roads) },
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
    ],
  };
}
