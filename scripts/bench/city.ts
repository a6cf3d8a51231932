// A city-size data set for the benchmark, made in memory and shaped like real data: a
// jittered lattice of grids whose shared edges wiggle through ~10 extra vertices each (so a
// grid has ~45 vertices, both neighbours holding them identically), grouped in communities
// whose boundaries walk the same vertices; rotated-rectangle footprints of 12–40 m × 8–16 m,
// ~3 % of them centred on a grid edge (straddling it), and households inside their buildings
// (a few exactly on a shared grid vertex); a few planted gaps and overlaps. Coordinates are
// rounded to 1e-7°, as exports are. Like ../shared/bench/realistic-city.mjs, without its
// Voronoi dependency.
import seedrandom from 'seedrandom';
import type { Position } from 'geojson';
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
  /** extra vertices along each shared edge */
  edgeVertices?: number;
  /** share of buildings centred on a grid edge */
  straddling?: number;
}

export const CITY: CityOptions = { cols: 60, rows: 50, commCols: 6, commRows: 5, buildingsPerGrid: 67, householdsPerBuilding: 5, edgeVertices: 10, straddling: 0.03 };

const M_PER_DEG_LAT = 110_574;

export function makeCity(o: CityOptions = CITY, seed = 42): CheckInput {
  const rnd = seedrandom(String(seed));
  const X0 = 119.0, Y0 = 36.6, D = 0.002; // ~180 m × 220 m cells
  const mLon = 111_320 * Math.cos((36.65 * Math.PI) / 180);
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  const V: Position[][] = [];
  for (let i = 0; i <= o.cols; i++) {
    V.push([]);
    for (let j = 0; j <= o.rows; j++) {
      const edge = i === 0 || j === 0 || i === o.cols || j === o.rows;
      V[i].push([r7(X0 + i * D + (edge ? 0 : (rnd() - 0.5) * D * 0.3)), r7(Y0 + j * D + (edge ? 0 : (rnd() - 0.5) * D * 0.3))]);
    }
  }
  // The wiggled vertices of each lattice edge, the same list (reversed) for both neighbours.
  const k = o.edgeVertices ?? 10;
  const wiggle = new Map<string, Position[]>();
  const along = (a: [number, number], b: [number, number]): Position[] => {
    const fwd = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const key = fwd ? `${a}-${b}` : `${b}-${a}`;
    let pts = wiggle.get(key);
    if (!pts) {
      const [p, q] = fwd ? [V[a[0]][a[1]], V[b[0]][b[1]]] : [V[b[0]][b[1]], V[a[0]][a[1]]];
      const onOutline = (a[0] === b[0] && (a[0] === 0 || a[0] === o.cols)) || (a[1] === b[1] && (a[1] === 0 || a[1] === o.rows));
      const dx = q[0] - p[0], dy = q[1] - p[1], len = Math.hypot(dx, dy);
      const phase = rnd() * Math.PI * 2;
      pts = [];
      for (let s = 1; s <= k; s++) {
        const t = s / (k + 1);
        const w = onOutline ? 0 : D * 0.02 * Math.sin(phase + t * Math.PI * 3);
        pts.push([r7(p[0] + t * dx - (dy / len) * w), r7(p[1] + t * dy + (dx / len) * w)]);
      }
      wiggle.set(key, pts);
    }
    return fwd ? pts : [...pts].reverse();
  };
  const ringOf = (corners: [number, number][]): Position[] => {
    const ring: Position[] = [];
    corners.forEach((c, n) => { ring.push(V[c[0]][c[1]]); ring.push(...along(c, corners[(n + 1) % corners.length])); });
    ring.push(ring[0]);
    return ring.map((p) => [...p]);
  };
  const blockCorners = (i0: number, j0: number, i1: number, j1: number) => {
    const c: [number, number][] = [];
    for (let i = i0; i < i1; i++) c.push([i, j0]);
    for (let j = j0; j < j1; j++) c.push([i1, j]);
    for (let i = i1; i > i0; i--) c.push([i, j1]);
    for (let j = j1; j > j0; j--) c.push([i0, j]);
    return c;
  };

  const boundaries: BoundaryFeature[] = [];
  const grids: GridFeature[] = [];
  const buildings: BuildingFeature[] = [];
  const ids: string[] = [], buildingIds: string[] = [], residents: number[] = [];
  const pos: number[] = [];
  const footprint = (cx: number, cy: number): Position[] => {
    const w = (12 + rnd() * 28) / 2, h = (8 + rnd() * 8) / 2, a = rnd() * Math.PI;
    const ca = Math.cos(a), sa = Math.sin(a);
    const corner = (u: number, v: number): Position => [r7(cx + (u * ca - v * sa) / mLon), r7(cy + (u * sa + v * ca) / M_PER_DEG_LAT)];
    const ring = [corner(-w, -h), corner(w, -h), corner(w, h), corner(-w, h)];
    return [...ring, ring[0]];
  };
  let c = 0;
  for (let cj = 0; cj < o.rows / o.commRows; cj++) {
    for (let ci = 0; ci < o.cols / o.commCols; ci++) {
      c++;
      const street = String(Math.ceil(c / 20)).padStart(3, '0');
      const commCode = `370705${street}${String(((c - 1) % 20) + 1).padStart(3, '0')}`;
      boundaries.push({
        type: 'Feature',
        properties: { code: commCode, name: `社区${c}`, level: 'community', parent_code: `370705${street}` },
        geometry: { type: 'Polygon', coordinates: [ringOf(blockCorners(ci * o.commCols, cj * o.commRows, (ci + 1) * o.commCols, (cj + 1) * o.commRows))] },
      });
      let g = 0;
      for (let j = cj * o.commRows; j < (cj + 1) * o.commRows; j++) {
        for (let i = ci * o.commCols; i < (ci + 1) * o.commCols; i++) {
          g++;
          const ring = ringOf(blockCorners(i, j, i + 1, j + 1));
          // A few planted defects: a grid's corner pulled in (a gap) or pushed out (overlaps).
          if (c % 25 === 0 && g === 1) ring[k + 1] = [r7(ring[k + 1][0] - D * 0.05), r7(ring[k + 1][1] + D * 0.05)];
          if (c % 25 === 12 && g === 8) ring[k + 1] = [r7(ring[k + 1][0] + D * 0.05), r7(ring[k + 1][1] - D * 0.05)];
          const code = `${commCode}${String(g).padStart(3, '0')}`;
          grids.push({
            type: 'Feature',
            properties: { code, name: `网格${code.slice(-6)}`, kind: 'base', community_code: commCode, dedicated_type: '', band_min: 150, band_max: 500 },
            geometry: { type: 'Polygon', coordinates: [ring] },
          });
          // Footprints at least 30 m inside the cell's straight outline, or centred on its east or north edge.
          const [x0, y0] = V[i][j], [x1] = V[i + 1][j], [, y1] = V[i][j + 1];
          const margin = 30;
          for (let b = 0; b < o.buildingsPerGrid; b++) {
            let cx: number, cy: number;
            if (rnd() < (o.straddling ?? 0.03) && i + 1 < o.cols && j + 1 < o.rows) {
              const t = 0.25 + rnd() * 0.5;
              const east = rnd() < 0.5;
              const [p, q] = east ? [V[i + 1][j], V[i + 1][j + 1]] : [V[i][j + 1], V[i + 1][j + 1]];
              cx = p[0] + t * (q[0] - p[0]);
              cy = p[1] + t * (q[1] - p[1]);
            } else {
              cx = Math.max(x0, V[i][j + 1][0]) + margin / mLon + rnd() * Math.max(0, Math.min(x1, V[i + 1][j + 1][0]) - Math.max(x0, V[i][j + 1][0]) - (2 * margin) / mLon);
              cy = Math.max(y0, V[i + 1][j][1]) + margin / M_PER_DEG_LAT + rnd() * Math.max(0, Math.min(y1, V[i + 1][j + 1][1]) - Math.max(y0, V[i + 1][j][1]) - (2 * margin) / M_PER_DEG_LAT);
            }
            const fp = footprint(cx, cy);
            const id = `B${buildings.length}`;
            buildings.push({ type: 'Feature', properties: { id, address: `示范路${buildings.length}号`, levels: 6, residential: true }, geometry: { type: 'Polygon', coordinates: [fp] } });
            const nh = Math.max(1, Math.round(o.householdsPerBuilding * (0.5 + rnd())));
            for (let u = 0; u < (o.householdsPerBuilding === 0 ? 0 : nh); u++) {
              ids.push(`H${ids.length}`);
              buildingIds.push(id);
              residents.push(1 + Math.floor(rnd() * 4));
              // Inside the footprint: a point between two opposite corners and the centre.
              const s = 0.1 + 0.8 * rnd(), t = 0.1 + 0.8 * rnd();
              const px = fp[0][0] + s * (fp[1][0] - fp[0][0]) + t * (fp[3][0] - fp[0][0]);
              const py = fp[0][1] + s * (fp[1][1] - fp[0][1]) + t * (fp[3][1] - fp[0][1]);
              // One in 2,000 exactly on a shared grid vertex (the boundary rule's hard case).
              if (rnd() < 0.0005) pos.push(V[i][j][0], V[i][j][1]);
              else pos.push(px, py);
            }
          }
        }
      }
    }
  }
  return { boundaries, grids, buildings, households: { ids, buildingIds, residents, positions: Float64Array.from(pos) } };
}
