// The buildings as the page holds them (columns, triangles made in the worker), what of them
// the map draws (in view, under a budget), and the density rasters drawn past it.
import { describe, expect, it } from 'vitest';
import type { BuildingFeature } from '../../src/domain/types';
import { buildingBBox, buildingFeature, buildingProps, buildingTable } from '../../src/workspace/buildingTable';
import { densityGrid } from '../../src/workspace/density';
import { buildingMesh, buildingsIn, pointsIn } from '../../src/map/inView';

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const hole = (x: number, y: number, s: number) => [[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]];

const buildings: BuildingFeature[] = [
  { type: 'Feature', properties: { id: 'A', address: '一号', levels: 6, residential: true }, geometry: { type: 'Polygon', coordinates: [square(0, 0, 4), hole(1, 1, 2)] } },
  { type: 'Feature', properties: { id: 'B', address: '二号', levels: '' as unknown as number, residential: 'false' as unknown as boolean }, geometry: { type: 'MultiPolygon', coordinates: [[square(10, 0, 1)], [square(12, 0, 2), hole(12.5, 0.5, 1)]] } },
  { type: 'Feature', properties: { id: 'C', address: '三号', levels: 3, residential: 1 as unknown as boolean }, geometry: { type: 'Polygon', coordinates: [[[20, 0], [23, 0], [23, 1], [21.5, 0.2], [20, 1], [20, 0]]] } },
];
const table = () => buildingTable(buildings, Int32Array.from([0, -1, 1]), Int32Array.from([3, 0, 1]));

/** Area of triangles[a..b) over the table's points. */
function triangleArea(t: ReturnType<typeof table>, a: number, b: number) {
  const c = t.shapes.coords;
  let sum = 0;
  for (let k = a; k < b; k += 3) {
    const [i, j, l] = [t.triangles[k], t.triangles[k + 1], t.triangles[k + 2]];
    sum += Math.abs((c[2 * j] - c[2 * i]) * (c[2 * l + 1] - c[2 * i + 1]) - (c[2 * l] - c[2 * i]) * (c[2 * j + 1] - c[2 * i + 1])) / 2;
  }
  return sum;
}

describe('building table', () => {
  it('cuts each footprint into triangles that cover it exactly, holes left out', () => {
    const t = table();
    expect(triangleArea(t, t.triangleStart[0], t.triangleStart[1])).toBeCloseTo(16 - 4, 9);
    expect(triangleArea(t, t.triangleStart[1], t.triangleStart[2])).toBeCloseTo(1 + 4 - 1, 9);
    expect(triangleArea(t, t.triangleStart[2], t.triangleStart[3])).toBeCloseTo(3 - (3 * 0.8) / 2, 9); // a concave roof line
    expect(t.triangleStart[3]).toBe(t.triangles.length);
  });

  it('gives back each building as the feature it was (parts, holes), and its properties read as the checks read them', () => {
    const t = table();
    for (let i = 0; i < buildings.length; i++) expect(buildingFeature(t, i).geometry).toEqual(buildings[i].geometry);
    expect(buildingProps(t, 0)).toEqual({ id: 'A', address: '一号', levels: 6, residential: true });
    expect(buildingProps(t, 1)).toMatchObject({ id: 'B', residential: false });
    expect(buildingProps(t, 1).levels).toBeNaN();
    expect(buildingProps(t, 2).residential).toBe(true);
    expect(buildingBBox(t, 1)).toEqual([10, 0, 14, 2]);
    expect([...t.grid]).toEqual([0, -1, 1]);
  });

  it('draws a subset as the same triangles on the same points, each ring its own polygon', () => {
    const t = table();
    const all = buildingMesh(t, null);
    expect(all.length).toBe(6); // rings: 2 + 3 + 1
    expect(all.indices).toBe(t.triangles);
    const part = buildingMesh(t, Uint32Array.from([1, 2]));
    expect(part.length).toBe(4);
    expect(part.startIndices[part.length]).toBe(part.positions.length / 2);
    // every triangle of the subset is one of the table's, point for point
    const tri = (pos: Float64Array, idx: Uint32Array, k: number) => [0, 1, 2].map((j) => `${pos[2 * idx[k + j]]},${pos[2 * idx[k + j] + 1]}`).join(' ');
    const theirs = new Set<string>();
    for (let k = t.triangleStart[1]; k < t.triangleStart[3]; k += 3) theirs.add(tri(t.shapes.coords, t.triangles, k));
    expect(part.indices.length).toBe(t.triangleStart[3] - t.triangleStart[1]);
    for (let k = 0; k < part.indices.length; k += 3) expect(theirs.has(tri(part.positions, part.indices, k))).toBe(true);
    // colour and height per point: B is not residential and has no levels (1 level, 3 m)
    expect(part.elevations[0]).toBe(3);
    expect(all.elevations[0]).toBe(18);
    expect([...part.colors.subarray(0, 4)]).not.toEqual([...all.colors.subarray(0, 4)]);
  });

  it('takes what lies in a box, and nothing once that is over the budget', () => {
    const t = table();
    expect([...buildingsIn(t, [9, -1, 15, 3], 10)!]).toEqual([1]);
    expect(buildingsIn(t, [-100, -100, 100, 100], 2)).toBeNull();
    const pts = Float64Array.from([0, 0, 1, 1, NaN, NaN, 5, 5]);
    expect([...pointsIn(pts, [-1, -1, 2, 2], 10)!.index]).toEqual([0, 1]);
    expect(pointsIn(pts, [-1, -1, 9, 9], 2)).toBeNull();
  });
});

describe('density raster', () => {
  it('counts every point into a cell inside its bounds, the fuller cells the higher', () => {
    const xy = new Float64Array(2 * 1001);
    for (let i = 0; i < 1000; i++) { xy[2 * i] = 119 + (i % 10) * 1e-3; xy[2 * i + 1] = 36.6 + Math.floor(i / 100) * 1e-3; }
    xy[2000] = NaN; xy[2001] = NaN;
    const g = densityGrid(xy);
    expect(g.level.length).toBe(g.width * g.height);
    expect(g.bounds[0]).toBeLessThanOrEqual(119);
    expect(g.bounds[2]).toBeGreaterThan(119.009);
    expect(g.bounds[3]).toBeGreaterThan(36.609);
    // 100 distinct places, 10 points each
    expect(g.level.filter((v) => v > 0).length).toBe(100);
    const one = densityGrid(Float64Array.from([119, 36.6, 119.01, 36.61, 119.01, 36.61]));
    const levels = [...one.level].filter((v) => v > 0).sort((a, b) => a - b);
    expect(levels.length).toBe(2);
    expect(levels[0]).toBeLessThan(levels[1]);
    expect(densityGrid(new Float64Array(0)).level.every((v) => v === 0)).toBe(true);
  });
});

describe('preview from the stored columns', () => {
  it('makes the same building table from a stored layer as from its features, without them', async () => {
    const { toGeoColumns } = await import('../../src/store/geoColumns');
    const { buildingTableOfColumns } = await import('../../src/workspace/preview');
    const fromColumns = buildingTableOfColumns(toGeoColumns(buildings))!;
    const fromFeatures = buildingTable(buildings, new Int32Array(3).fill(-1), new Int32Array(3));
    expect(fromColumns).toEqual(fromFeatures);
    expect(buildingTableOfColumns(toGeoColumns(buildings), { triangles: false })!.triangles.length).toBe(0);
    // anything but polygons: made from features instead
    expect(buildingTableOfColumns(toGeoColumns([...buildings, { type: 'Feature', properties: { id: 'P' }, geometry: { type: 'Point', coordinates: [0, 0] } }]))).toBeNull();
  });

  it('reads households\' points as the checks do: the geometry, else lon / lat, else none', async () => {
    const { toGeoColumns } = await import('../../src/store/geoColumns');
    const { householdPositions } = await import('../../src/workspace/preview');
    const { householdsFromFeatures } = await import('../../src/io/layers');
    const hs = [
      { type: 'Feature' as const, properties: { id: 'a' }, geometry: { type: 'Point' as const, coordinates: [119.1, 36.7] } },
      { type: 'Feature' as const, properties: { id: 'b', lon: '119.2', lat: 36.8 }, geometry: null as never },
      { type: 'Feature' as const, properties: { id: 'c' }, geometry: null as never },
      { type: 'Feature' as const, properties: { id: 'd', lon: 1, lat: 2 }, geometry: { type: 'Point' as const, coordinates: [119.3, 36.9] } },
    ];
    expect([...householdPositions(toGeoColumns(hs))]).toEqual([...householdsFromFeatures(hs).positions]);
  });
});
