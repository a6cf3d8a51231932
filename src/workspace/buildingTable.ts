// The buildings the page holds, as columns: footprints packed into typed arrays (rings of x, y
// in one Float64Array, a box per building) and cut into triangles in the worker, properties one
// array each. 200,000 footprints cross to the page and reach deck.gl without an object per
// building; a feature is made only for the few that are looked at (buildingFeature).
import earcut from 'earcut';
import { packPolygons, type PackedPolygons } from '../checks/rings';
import type { BuildingTable } from '../domain/district';
import type { AreaGeometry, BuildingFeature, BuildingProps } from '../domain/types';

/** The table of the buildings the checks placed (in their order), with each one's grid and households. */
export function buildingTable(features: BuildingFeature[], grid: Int32Array, households: Int32Array): BuildingTable {
  const n = features.length;
  const shapes = packPolygons(features.map((f) => f.geometry));
  const { triangles, triangleStart } = triangulate(shapes);
  const levels = new Float32Array(n);
  const residential = new Uint8Array(n);
  const ids: string[] = new Array(n), addresses: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const p = (features[i].properties ?? {}) as unknown as Record<string, unknown>;
    ids[i] = String(p.id ?? '');
    addresses[i] = p.address === undefined || p.address === null ? '' : String(p.address);
    const l = Number(p.levels);
    levels[i] = p.levels === undefined || p.levels === null || p.levels === '' || !Number.isFinite(l) ? NaN : l;
    const r = p.residential;
    residential[i] = r === true || r === 'true' || r === 1 || r === '1' ? 1 : 0;
  }
  return { count: n, ids, addresses, levels, residential, shapes, triangles, triangleStart, grid, households };
}

/**
 * Each building's footprint cut into triangles (earcut, holes honoured), as indices of points
 * in `shapes.coords`; building i owns triangles[triangleStart[i] .. triangleStart[i + 1]).
 */
export function triangulate(shapes: PackedPolygons): { triangles: Uint32Array; triangleStart: Uint32Array } {
  const { coords, ringStart, polyRings, ringHole } = shapes;
  const n = polyRings.length - 1;
  const triangleStart = new Uint32Array(n + 1);
  let out = new Uint32Array(Math.max(16, coords.length * 1.6));
  let k = 0;
  const flat: number[] = [], at: number[] = [], holes: number[] = [];
  for (let b = 0; b < n; b++) {
    triangleStart[b] = k;
    // One polygon part at a time: an outer ring and the holes after it. Each vertex goes to
    // earcut once (a ring's closing point repeats its first), remembered by its index in coords.
    let r = polyRings[b];
    while (r < polyRings[b + 1]) {
      let end = r + 1;
      while (end < polyRings[b + 1] && ringHole[end]) end++;
      flat.length = 0; at.length = 0; holes.length = 0;
      for (let h = r; h < end; h++) {
        if (h > r) holes.push(at.length);
        let last = ringStart[h + 1];
        if (last - ringStart[h] > 1 && coords[2 * (last - 1)] === coords[2 * ringStart[h]] && coords[2 * (last - 1) + 1] === coords[2 * ringStart[h] + 1]) last--;
        for (let v = ringStart[h]; v < last; v++) { flat.push(coords[2 * v], coords[2 * v + 1]); at.push(v); }
      }
      const idx = earcut(flat, holes, 2);
      if (k + idx.length > out.length) { const bigger = new Uint32Array(Math.max(out.length * 2, k + idx.length)); bigger.set(out); out = bigger; }
      for (let j = 0; j < idx.length; j++) out[k++] = at[idx[j]];
      r = end;
    }
  }
  triangleStart[n] = k;
  return { triangles: out.slice(0, k), triangleStart };
}

/** One building's properties, from the columns. */
export function buildingProps(t: BuildingTable, i: number): BuildingProps {
  return { id: t.ids[i], address: t.addresses[i], levels: t.levels[i], residential: t.residential[i] === 1 };
}

/** One building's footprint as GeoJSON (a Polygon, or a MultiPolygon of several parts). */
export function buildingGeometry(t: BuildingTable, i: number): AreaGeometry {
  const { coords, ringStart, polyRings, ringHole } = t.shapes;
  const parts: [number, number][][][] = [];
  for (let r = polyRings[i]; r < polyRings[i + 1]; r++) {
    const ring: [number, number][] = [];
    for (let v = ringStart[r]; v < ringStart[r + 1]; v++) ring.push([coords[2 * v], coords[2 * v + 1]]);
    if (!ringHole[r] || parts.length === 0) parts.push([ring]);
    else parts[parts.length - 1].push(ring);
  }
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts };
}

/** One building as a feature, made from the columns (for the few that are looked at, picked or edited). */
export function buildingFeature(t: BuildingTable, i: number): BuildingFeature {
  return { type: 'Feature', properties: buildingProps(t, i), geometry: buildingGeometry(t, i) };
}

/** A building's box: west, south, east, north. */
export function buildingBBox(t: BuildingTable, i: number): [number, number, number, number] {
  const b = t.shapes.bbox;
  return [b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]];
}

/** The middle of each building's box, x, y pairs (where it counts in the density). */
export function buildingCentres(t: BuildingTable): Float64Array {
  const b = t.shapes.bbox;
  const out = new Float64Array(2 * t.count);
  for (let i = 0; i < t.count; i++) {
    out[2 * i] = (b[4 * i] + b[4 * i + 2]) / 2;
    out[2 * i + 1] = (b[4 * i + 1] + b[4 * i + 3]) / 2;
  }
  return out;
}

/** The buffers of a building table, for transfer from the worker without copying. */
export function buildingBuffers(t: BuildingTable): ArrayBuffer[] {
  const s = t.shapes;
  return [s.coords, s.ringStart, s.polyRings, s.bbox, s.ringHole, t.triangles, t.triangleStart, t.levels, t.residential, t.grid, t.households]
    .map((a) => a.buffer as ArrayBuffer);
}
