// Review comments pinned on the map: a numbered circle each (deck.gl, like every point the map
// draws), found under the pointer on the CPU as the other points are (nothing is GPU-picked).
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { COLORS, LABEL_FONT } from './layers';

export interface MapPin {
  id: number;
  at: [number, number];
  /** drawn in the circle: the comment's number in its list */
  label: string;
  /** shown on hover or click: who wrote it and what */
  text: string;
}

export function pinLayers(pins: MapPin[], active: number | null): Layer[] {
  return [
    new ScatterplotLayer<MapPin>({
      id: 'comment-pins',
      data: pins,
      getPosition: (p) => p.at,
      getRadius: (p) => (p.id === active ? 14 : 11),
      radiusUnits: 'pixels',
      getFillColor: (p) => (p.id === active ? COLORS.pin.active : COLORS.pin.fill),
      stroked: true,
      getLineColor: COLORS.pin.line,
      lineWidthMinPixels: 2,
      updateTriggers: { getRadius: active, getFillColor: active },
    }),
    new TextLayer<MapPin>({
      id: 'comment-pin-labels',
      data: pins,
      fontFamily: LABEL_FONT,
      fontWeight: 700,
      getPosition: (p) => p.at,
      getText: (p) => p.label,
      getSize: 13,
      sizeUnits: 'pixels',
      getColor: COLORS.pin.line,
      characterSet: 'auto',
    }),
  ];
}

/** The pin drawn under a screen point (within the circle and a little more), or null. */
export function pinAt(pins: MapPin[], project: (at: [number, number]) => { x: number; y: number }, x: number, y: number, tolerancePx = 14): MapPin | null {
  let best: MapPin | null = null;
  let bestD = tolerancePx;
  for (const p of pins) {
    const q = project(p.at);
    const d = Math.hypot(q.x - x, q.y - y);
    if (d <= bestD) { best = p; bestD = d; }
  }
  return best;
}
