// A random district for comparing the two engines (tests/unit/postgis.test.ts): grids on a
// jittered lattice (sloped edges, shared vertices along every edge), one or two communities
// with or without their outlines, some grids with a vertex moved in that grid alone (gaps and
// overlaps of a few hundred m²), a dedicated grid on top, buildings across edges, households
// in buildings, exactly on shared edges and corners (the boundary rule), with no point, with a
// building id that names nothing, far from their building; a bad and a repeated code now and then.
import seedrandom from 'seedrandom';
import type { Feature, Point } from 'geojson';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../../src/domain/types';

export interface RandomDistrict {
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  buildings: BuildingFeature[];
  households: Feature<Point | null>[];
}

export interface RandomOptions {
  seed: number;
  cols: number;
  rows: number;
  communities: 1 | 2;
  outlines: boolean;
  moved: number;
  onTop: boolean;
  badCodes: boolean;
}

const M = 1 / 111_320;

export function randomDistrict(o: RandomOptions): RandomDistrict {
  const rnd = seedrandom(`district-${o.seed}`);
  const lat0 = 30 + rnd() * 10, lon0 = 110 + rnd() * 10;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const cell = 150 + rnd() * 150; // metres
  const at = (x: number, y: number): number[] => [lon0 + (x * M) / cos, lat0 + y * M];
  // lattice corners, jittered: no edge is horizontal or vertical
  const corner: number[][][] = [];
  for (let i = 0; i <= o.cols; i++) {
    corner.push([]);
    for (let j = 0; j <= o.rows; j++) {
      const inner = i > 0 && i < o.cols && j > 0 && j < o.rows;
      const jx = inner ? (rnd() - 0.5) * cell * 0.3 : 0, jy = inner ? (rnd() - 0.5) * cell * 0.3 : 0;
      corner[i].push(at(i * cell + jx + j * 7, j * cell + jy + i * 5));
    }
  }
  // every lattice edge with one point along it, shared by both grids
  const mid = new Map<string, number[]>();
  const along = (a: number[], b: number[]) => {
    const k = [a, b].map((p) => p.join(',')).sort().join('|');
    if (!mid.has(k)) { const t = 0.3 + rnd() * 0.4; mid.set(k, [a[0] + t * (b[0] - a[0]) + (rnd() - 0.5) * 20 * M / cos, a[1] + t * (b[1] - a[1]) + (rnd() - 0.5) * 20 * M]); }
    return mid.get(k)!;
  };
  const district = '370705';
  const commOf = (i: number) => (o.communities === 2 && i >= Math.ceil(o.cols / 2) ? 1 : 0);
  const commCode = (c: number) => `${district}001${String(c + 1).padStart(3, '0')}`;
  const rings: { code: string; comm: number; ring: number[][]; i: number; j: number }[] = [];
  const n = [0, 0];
  for (let i = 0; i < o.cols; i++) {
    for (let j = 0; j < o.rows; j++) {
      const c = commOf(i);
      const p = [corner[i][j], corner[i + 1][j], corner[i + 1][j + 1], corner[i][j + 1]];
      const ring: number[][] = [];
      for (let k = 0; k < 4; k++) ring.push(p[k], along(p[k], p[(k + 1) % 4]));
      ring.push(ring[0]);
      rings.push({ code: `${commCode(c)}${String(++n[c]).padStart(3, '0')}`, comm: c, ring: ring.map((q) => [...q]), i, j });
    }
  }
  // a vertex moved in one grid alone: a gap on one side, an overlap on the other
  for (let k = 0; k < o.moved; k++) {
    const g = rings[Math.floor(rnd() * rings.length)];
    const v = 1 + Math.floor(rnd() * (g.ring.length - 2));
    const d = 8 + rnd() * 25;
    const a = rnd() * 2 * Math.PI;
    g.ring[v] = [g.ring[v][0] + (Math.cos(a) * d * M) / cos, g.ring[v][1] + Math.sin(a) * d * M];
  }
  const grids: GridFeature[] = rings.map((g, k) => ({
    type: 'Feature',
    properties: {
      code: o.badCodes && k === 1 ? `${g.code.slice(0, 12)}X${g.code.slice(13)}` : o.badCodes && k === 2 ? rings[0].code : g.code,
      name: `第${k + 1}网格`, kind: 'base', community_code: commCode(g.comm), dedicated_type: '',
      band_min: k % 3 === 0 ? 20 : '', band_max: k % 3 === 0 ? 40 : '',
    } as unknown as GridFeature['properties'],
    geometry: { type: 'Polygon', coordinates: [g.ring] },
  }));
  if (o.onTop) {
    const [x, y] = corner[1][1];
    const w = (cell * 0.25 * M) / cos, h = cell * 0.2 * M;
    grids.push({
      type: 'Feature',
      properties: { code: `${commCode(0)}900`, name: '学校专属网格', kind: 'dedicated', community_code: commCode(0), dedicated_type: 'school', band_min: '', band_max: '' } as unknown as GridFeature['properties'],
      geometry: { type: 'Polygon', coordinates: [[[x - w, y - h], [x + w, y - h], [x + w, y + h], [x - w, y + h], [x - w, y - h]]] },
    });
  }
  const boundaries: BoundaryFeature[] = [];
  if (o.outlines) {
    for (let c = 0; c < o.communities; c++) {
      const cols = [...Array(o.cols).keys()].filter((i) => commOf(i) === c);
      const i0 = cols[0], i1 = cols[cols.length - 1] + 1;
      const ring: number[][] = [];
      for (let j = 0; j < o.rows; j++) ring.push(corner[i0][j], along(corner[i0][j], corner[i0][j + 1]));
      for (let i = i0; i < i1; i++) ring.push(corner[i][o.rows], along(corner[i][o.rows], corner[i + 1][o.rows]));
      for (let j = o.rows; j > 0; j--) ring.push(corner[i1][j], along(corner[i1][j], corner[i1][j - 1]));
      for (let i = i1; i > i0; i--) ring.push(corner[i][0], along(corner[i][0], corner[i - 1][0]));
      ring.push(ring[0]);
      boundaries.push({ type: 'Feature', properties: { code: commCode(c), name: `第${c + 1}社区`, level: 'community', parent_code: `${district}001` }, geometry: { type: 'Polygon', coordinates: [ring.reverse()] } });
    }
  }
  // buildings: small rectangles anywhere in the district, a few across grid edges
  const buildings: BuildingFeature[] = [];
  const W = o.cols * cell, H = o.rows * cell;
  const nb = o.cols * o.rows * 4;
  for (let k = 0; k < nb; k++) {
    const x = rnd() * W, y = rnd() * H, w = 6 + rnd() * 20, h = 6 + rnd() * 14;
    const c = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
    buildings.push({ type: 'Feature', properties: { id: `B${k}`, address: '', levels: 3, residential: rnd() < 0.9 }, geometry: { type: 'Polygon', coordinates: [[...c, c[0]]] } });
  }
  const households: Feature<Point | null>[] = [];
  const point = (p: number[] | null): Point | null => (p ? { type: 'Point', coordinates: p } : null);
  const residents = () => { const r = rnd(); return r < 0.05 ? 0 : r < 0.1 ? '' : 1 + Math.floor(rnd() * 4); };
  let id = 0;
  for (const b of buildings) {
    const ring = b.geometry.coordinates[0] as number[][];
    const k = Math.floor(rnd() * 6);
    for (let h = 0; h < k; h++) {
      const r = rnd();
      // inside its building; no point; far from it (misplaced, still in some grid)
      const p = r < 0.8 ? [ring[0][0] + (ring[2][0] - ring[0][0]) * (0.2 + 0.6 * rnd()), ring[0][1] + (ring[2][1] - ring[0][1]) * (0.2 + 0.6 * rnd())]
        : r < 0.9 ? null : at(rnd() * W, rnd() * H);
      households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: b.properties.id, unit: 1, room: '', residents: residents() }, geometry: point(p) });
    }
  }
  // on the grids' own vertices and halfway along their edges (computed as a file would hold them)
  // (`outer`: on the district's outside, where a point a hair off the edge is outside every grid)
  const onOutside = (g: { i: number; j: number }, side: number) => [g.j === 0, g.i + 1 === o.cols, g.j + 1 === o.rows, g.i === 0][side];
  const cornerOutside = (g: { i: number; j: number }, k: number) => onOutside(g, k) || onOutside(g, (k + 3) % 4);
  for (const g of rings) {
    for (let v = 0; v + 1 < g.ring.length; v++) {
      const outer = v % 2 === 0 ? cornerOutside(g, v / 2) : onOutside(g, (v - 1) / 2);
      if (rnd() < 0.3) households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: '', unit: 1, room: '', residents: 2, outer }, geometry: point(g.ring[v]) });
      if (rnd() < 0.3) {
        const [a, b] = [g.ring[v], g.ring[v + 1]];
        households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: '', unit: 1, room: '', residents: 2, outer: onOutside(g, Math.floor(v / 2)) }, geometry: point([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]) });
      }
    }
  }
  // a building id that names nothing, with and without a point; a point outside every grid
  households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: 'B-none', unit: 1, room: '', residents: 1 }, geometry: point(at(W / 2, H / 2)) });
  households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: 'B-none', unit: 1, room: '', residents: 1 }, geometry: null });
  households.push({ type: 'Feature', properties: { id: `H${id++}`, building_id: '', unit: 1, room: '', residents: 1 }, geometry: point(at(-cell, -cell)) });
  return { boundaries, grids, buildings, households };
}
