// Random districts for property tests: a jittered lattice of grids (with a few vertices
// moved to make gaps and overlaps), random buildings and households.
import seedrandom from 'seedrandom';
import type { CheckInput } from '../../src/checks/engine';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../../src/domain/types';

export function randomDistrict(seed: number, opts = { cols: 4, rows: 3, buildings: 60, households: 400 }): CheckInput {
  const rnd = seedrandom(String(seed));
  const X0 = 119.1, Y0 = 36.7, D = 0.002;
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  const V: number[][][] = [];
  for (let i = 0; i <= opts.cols; i++) {
    V.push([]);
    for (let j = 0; j <= opts.rows; j++) {
      const inner = i > 0 && j > 0 && i < opts.cols && j < opts.rows;
      V[i].push([r7(X0 + i * D + (inner ? (rnd() - 0.5) * D * 0.3 : 0)), r7(Y0 + j * D + (inner ? (rnd() - 0.5) * D * 0.3 : 0))]);
    }
  }
  const ring = (pts: number[][]) => [...pts, pts[0]];
  const community: BoundaryFeature = {
    type: 'Feature',
    properties: { code: '370705001001', name: '随机社区', level: 'community', parent_code: '370705001' },
    geometry: {
      type: 'Polygon',
      coordinates: [ring([
        ...Array.from({ length: opts.cols }, (_, i) => V[i][0]),
        ...Array.from({ length: opts.rows }, (_, j) => V[opts.cols][j]),
        ...Array.from({ length: opts.cols }, (_, i) => V[opts.cols - i][opts.rows]),
        ...Array.from({ length: opts.rows }, (_, j) => V[0][opts.rows - j]),
      ])],
    },
  };
  const grids: GridFeature[] = [];
  let n = 0;
  for (let j = opts.rows - 1; j >= 0; j--) {
    for (let i = 0; i < opts.cols; i++) {
      const pts = [V[i][j], V[i + 1][j], V[i + 1][j + 1], V[i][j + 1]].map((p) => [...p]);
      if (rnd() < 0.15) { // move one corner of this grid only: a gap or an overlap
        const k = Math.floor(rnd() * 4);
        pts[k] = [r7(pts[k][0] + (rnd() - 0.5) * D * 0.2), r7(pts[k][1] + (rnd() - 0.5) * D * 0.2)];
      }
      n++;
      grids.push({
        type: 'Feature',
        properties: {
          code: `370705001001${String(n).padStart(3, '0')}`, name: `网格${n}`, kind: 'base', community_code: '370705001001',
          dedicated_type: '', band_min: 1, band_max: 60,
        },
        geometry: { type: 'Polygon', coordinates: [ring(pts)] },
      });
    }
  }
  // One dedicated grid on top of the lattice.
  const cx = X0 + D * (0.5 + rnd() * (opts.cols - 1)), cy = Y0 + D * (0.5 + rnd() * (opts.rows - 1));
  grids.push({
    type: 'Feature',
    properties: { code: '370705001001901', name: '学校', kind: 'dedicated', community_code: '370705001001', dedicated_type: 'school', band_min: null, band_max: null },
    geometry: { type: 'Polygon', coordinates: [ring([[r7(cx), r7(cy)], [r7(cx + D * 0.4), r7(cy)], [r7(cx + D * 0.4), r7(cy + D * 0.3)], [r7(cx), r7(cy + D * 0.3)]])] },
  });
  const W = opts.cols * D, H = opts.rows * D;
  const buildings: BuildingFeature[] = Array.from({ length: opts.buildings }, (_, k) => {
    const x = X0 - D * 0.2 + rnd() * (W + D * 0.4), y = Y0 - D * 0.2 + rnd() * (H + D * 0.4);
    const w = D * (0.05 + rnd() * 0.15), h = D * (0.03 + rnd() * 0.08);
    return {
      type: 'Feature',
      properties: { id: `B${k}`, address: `随机路${k}号`, levels: 6, residential: rnd() < 0.8 },
      geometry: { type: 'Polygon', coordinates: [ring([[r7(x), r7(y)], [r7(x + w), r7(y)], [r7(x + w), r7(y + h)], [r7(x), r7(y + h)]])] },
    };
  });
  const ids: string[] = [], buildingIds: string[] = [], residents: number[] = [], pos: number[] = [];
  for (let k = 0; k < opts.households; k++) {
    const b = Math.floor(rnd() * buildings.length);
    const kind = rnd();
    ids.push(`H${k}`);
    residents.push(rnd() < 0.05 ? 0 : 1 + Math.floor(rnd() * 4));
    if (kind < 0.7) { // inside its building
      const [[x0, y0], , [x1, y1]] = (buildings[b].geometry as { coordinates: number[][][] }).coordinates[0];
      buildingIds.push(`B${b}`);
      pos.push(x0 + (x1 - x0) * (0.1 + 0.8 * rnd()), y0 + (y1 - y0) * (0.1 + 0.8 * rnd()));
    } else if (kind < 0.85) { // roster row, no point
      buildingIds.push(rnd() < 0.9 ? `B${b}` : `B-missing-${k}`);
      pos.push(NaN, NaN);
    } else { // a point anywhere
      buildingIds.push(rnd() < 0.5 ? `B${b}` : '');
      pos.push(X0 - D * 0.2 + rnd() * (W + D * 0.4), Y0 - D * 0.2 + rnd() * (H + D * 0.4));
    }
  }
  return { boundaries: [community], grids, buildings, households: { ids, buildingIds, residents, positions: Float64Array.from(pos) } };
}
