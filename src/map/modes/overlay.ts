// What the modes draw over the map: vertex handles, the sketch being drawn, grids or
// buildings picked, the snap indicator. Colours are in COLORS.edit (and in the legend).
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, Position } from 'geojson';
import { COLORS } from '../layers';
import type { Snap } from './types';

export interface Handle {
  at: [number, number];
  /** vertex, shared by other grids, the midpoint of an edge, or the one picked */
  kind: 'vertex' | 'shared' | 'midpoint' | 'active';
}

export function handleLayer(id: string, handles: Handle[]): Layer {
  const c = COLORS.edit;
  return new ScatterplotLayer<Handle>({
    id,
    data: handles,
    getPosition: (h) => h.at,
    getRadius: (h) => (h.kind === 'midpoint' ? 4 : 6),
    radiusUnits: 'pixels',
    stroked: true,
    getFillColor: (h) => (h.kind === 'midpoint' ? c.midpoint : h.kind === 'active' ? c.active : h.kind === 'shared' ? c.shared : c.handle),
    getLineColor: c.handleLine,
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    updateTriggers: { getFillColor: handles.map((h) => h.kind).join() },
  });
}

export function sketchLayer(id: string, path: Position[], closed = false): Layer {
  return new PathLayer<Position[]>({
    id,
    data: path.length > 1 ? [closed ? [...path, path[0]] : path] : [],
    getPath: (p) => p as [number, number][],
    getColor: COLORS.edit.sketch,
    getWidth: 3,
    widthUnits: 'pixels',
  });
}

export function pickedLayer(id: string, features: Feature[]): Layer {
  return new GeoJsonLayer({
    id,
    data: features,
    stroked: true,
    filled: true,
    getFillColor: COLORS.edit.pickedFill,
    getLineColor: COLORS.edit.picked,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
  });
}

export function snapLayer(id: string, snap: Snap | null): Layer {
  return new ScatterplotLayer<Snap>({
    id,
    data: snap?.kind ? [snap] : [],
    getPosition: (s) => s.at,
    getRadius: 11,
    radiusUnits: 'pixels',
    stroked: true,
    filled: false,
    getLineColor: COLORS.edit.snap,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
  });
}
