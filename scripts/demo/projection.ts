// A local metric frame (x east, y north, metres) for generating the district, and the
// conversion to WGS84 lon/lat rounded to 7 decimals. Equirectangular about the district's
// middle latitude: over ~10 km the scale error is well under 0.5 %, which is all the
// generator needs (margins are in metres, areas are measured geodesically afterwards).

export const LON0 = 119.0812;
export const LAT0 = 36.6608;
const PHI = ((36.705 * Math.PI) / 180);
export const M_PER_DEG_LAT = 111132.92 - 559.82 * Math.cos(2 * PHI) + 1.175 * Math.cos(4 * PHI);
export const M_PER_DEG_LON = 111412.84 * Math.cos(PHI) - 93.5 * Math.cos(3 * PHI);

export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export type XY = [number, number];

export function toLonLat(p: XY): [number, number] {
  return [round7(LON0 + p[0] / M_PER_DEG_LON), round7(LAT0 + p[1] / M_PER_DEG_LAT)];
}

export function toXY(lon: number, lat: number): XY {
  return [(lon - LON0) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT];
}
