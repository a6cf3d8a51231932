// A city-size data set for the benchmark, made in memory: a jittered lattice of grids in
// communities, small building footprints inside the grids, households inside the buildings,
// and a few defects (moved vertices, straddling buildings).
import seedrandom from 'seedrandom';
import type { CheckInput } from '../../src/checks/engine';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../../src/domain/types';

export interface CityOptions {
  /** grid lattice: cols × rows base grids; communities are blocks of commCols × commRows grids */
  cols: number;
  rows: number;
  commCols: number;
  commRows: number;
  buildingsPerGrid: number;
  householdsPerBuilding: number;
}

export const CITY: CityOptions = { cols: 60, rows: 50, commCols: 6, commRows: 5, buildingsPerGrid: 67, householdsPerBuilding: 5 };

export function makeCity(o: CityOptions = CITY, seed = 42): CheckInput {
  const rnd = seedrandom(String(seed));
  const X0 = 119.0, Y0 = 36.6, D = 0.004; // ~350 m × 445 m cells
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  const V: [number, number][][] = [];
  for (let i = 0; i <= o.cols; i++) {
    V.push([]);
    for (let j = 0; j <= o.rows; j++) {
      const edge = i === 0 || j === 0 || i === o.cols || j === o.rows;
      V[i].push([r7(X0 + i * D + (edge ? 0 : (rnd() - 0.5) * D * 0.2)), r7(Y0 + j * D + (edge ? 0 : (rnd() - 0.5) * D * 0.2))]);
    }
  }
  // A block ring walks every lattice vertex on its outline, so neighbours share edges exactly.
  const blockRing = (i0: number, j0: number, i1: number, j1: number) => {
    const pts: [number, number][] = [];
    for (let i = i0; i < i1; i++) pts.push(V[i][j0]);
    for (let j = j0; j < j1; j++) pts.push(V[i1][j]);
    for (let i = i1; i > i0; i--) pts.push(V[i][j1]);
    for (let j = j1; j > j0; j--) pts.push(V[i0][j]);
    pts.push(pts[0]);
    return pts;
  };
  const boundaries: BoundaryFeature[] = [];
  const grids: GridFeature[] = [];
  const buildings: BuildingFeature[] = [];
  const ids: string[] = [], buildingIds: string[] = [], residents: number[] = [];
  const pos: number[] = [];
  let c = 0;
  for (let cj = 0; cj < o.rows / o.commRows; cj++) {
    for (let ci = 0; ci < o.cols / o.commCols; ci++) {
      c++;
      const street = String(Math.ceil(c / 20)).padStart(3, '0');
      const commCode = `370705${street}${String(((c - 1) % 20) + 1).padStart(3, '0')}`;
      boundaries.push({
        type: 'Feature',
        properties: { code: commCode, name: `社区${c}`, level: 'community', parent_code: `370705${street}` },
        geometry: { type: 'Polygon', coordinates: [blockRing(ci * o.commCols, cj * o.commRows, (ci + 1) * o.commCols, (cj + 1) * o.commRows)] },
      });
      let g = 0;
      for (let j = cj * o.commRows; j < (cj + 1) * o.commRows; j++) {
        for (let i = ci * o.commCols; i < (ci + 1) * o.commCols; i++) {
          g++;
          const ring = blockRing(i, j, i + 1, j + 1);
          if (c % 25 === 0 && g === 1) ring[2] = [r7(ring[2][0] - D * 0.05), r7(ring[2][1] - D * 0.05)]; // a gap
          const code = `${commCode}${String(g).padStart(3, '0')}`;
          grids.push({
            type: 'Feature',
            properties: { code, name: `网格${code.slice(-6)}`, kind: 'base', community_code: commCode, dedicated_type: '', band_min: 150, band_max: 500 },
            geometry: { type: 'Polygon', coordinates: [ring] },
          });
          // Buildings on a jittered 9 × 8 raster inside the cell, away from its edges.
          const [x0, y0] = V[i][j];
          for (let k = 0; k < o.buildingsPerGrid; k++) {
            const bx = x0 + D * (0.2 + 0.6 * ((k % 9) + rnd() * 0.3) / 9);
            const by = y0 + D * (0.2 + 0.6 * (Math.floor(k / 9) + rnd() * 0.3) / 8);
            const w = D * 0.04, h = D * 0.015;
            const id = `B${buildings.length}`;
            buildings.push({
              type: 'Feature',
              properties: { id, address: `示范路${buildings.length}号`, levels: 6, residential: true },
              geometry: { type: 'Polygon', coordinates: [[[r7(bx), r7(by)], [r7(bx + w), r7(by)], [r7(bx + w), r7(by + h)], [r7(bx), r7(by + h)], [r7(bx), r7(by)]]] },
            });
            for (let u = 0; u < o.householdsPerBuilding; u++) {
              ids.push(`H${ids.length}`);
              buildingIds.push(id);
              residents.push(1 + Math.floor(rnd() * 4));
              pos.push(bx + w * (0.1 + 0.8 * rnd()), by + h * (0.1 + 0.8 * rnd()));
            }
          }
        }
      }
    }
  }
  return { boundaries, grids, buildings, households: { ids, buildingIds, residents, positions: Float64Array.from(pos) } };
}
