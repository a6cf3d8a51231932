// A generated community for the auto-split tests: one irregular base grid (its outline with
// dozens of vertices, not a rectangle), inside a community boundary of the same land,
// buildings of varied size and household count scattered with streets of open land between
// blocks, some households with no building (a roster point only). With `rows`, each block is a
// city block of row houses turned at its own angle (footprints sharing walls, as in Berlin's
// Blockrandbebauung), and some extensions drawn over their house (footprints overlapping).
import seedrandom from 'seedrandom';
import type { BoundaryFeature, BuildingFeature, GridFeature, HouseholdFeature } from '../../src/domain/types';

export interface Community {
  boundary: BoundaryFeature;
  grid: GridFeature;
  buildings: BuildingFeature[];
  households: HouseholdFeature[];
}

export function makeCommunity(seed: number, o: { blocks: number; perBlock: number; households: number; rows?: boolean } = { blocks: 6, perBlock: 9, households: 2000 }): Community {
  const rnd = seedrandom(`community-${seed}`);
  const X0 = 118.8, Y0 = 36.8, R = 0.006;
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  // outline: 40 vertices round an ellipse, jittered
  const ring: number[][] = [];
  for (let i = 0; i < 40; i++) {
    const a = (2 * Math.PI * i) / 40;
    const r = R * (0.85 + 0.3 * rnd());
    ring.push([r7(X0 + r * 1.3 * Math.cos(a)), r7(Y0 + r * Math.sin(a))]);
  }
  ring.push(ring[0]);
  const community = '370705009001';
  const boundary: BoundaryFeature = { type: 'Feature', properties: { code: community, name: '生成社区', level: 'community', parent_code: '370705009' }, geometry: { type: 'Polygon', coordinates: [ring] } };
  const grid: GridFeature = {
    type: 'Feature',
    properties: { code: `${community}001`, name: '生成社区第1网格', kind: 'base', community_code: community, dedicated_type: '', band_min: 150, band_max: 300 },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
  // blocks on a lattice inside the inner ellipse; buildings in rows inside each block
  const buildings: BuildingFeature[] = [];
  const B = R * 0.22;
  for (let bx = -o.blocks / 2; bx < o.blocks / 2; bx++) {
    for (let by = -o.blocks / 2; by < o.blocks / 2; by++) {
      const cx = X0 + (bx + 0.5) * B * 1.3, cy = Y0 + (by + 0.5) * B;
      if (((cx - X0) / (R * 1.3 * 0.8)) ** 2 + ((cy - Y0) / (R * 0.8)) ** 2 > 1) continue;
      if (o.rows) { buildings.push(...rowBlock(cx, cy, B, rnd, buildings.length, r7)); continue; }
      for (let k = 0; k < o.perBlock; k++) {
        const px = cx + ((k % 3) - 1) * B * 0.35 * 1.3, py = cy + (Math.floor(k / 3) - 1) * B * 0.3;
        const w = B * (0.12 + 0.12 * rnd()) * 1.3, h = B * (0.08 + 0.08 * rnd());
        const c = [[px - w / 2, py - h / 2], [px + w / 2, py - h / 2], [px + w / 2, py + h / 2], [px - w / 2, py + h / 2]].map((p) => p.map(r7));
        buildings.push({ type: 'Feature', properties: { id: `G${buildings.length + 1}`, address: '', levels: 6, residential: true }, geometry: { type: 'Polygon', coordinates: [[...c, c[0]]] } });
      }
    }
  }
  const households: HouseholdFeature[] = [];
  for (let i = 0; i < o.households; i++) {
    // most in buildings, weighted so sizes vary; 1 % as points only
    if (rnd() < 0.01) {
      households.push({ type: 'Feature', properties: { id: `H${i}`, building_id: '', unit: 1, room: '', residents: 2 }, geometry: { type: 'Point', coordinates: [r7(X0 + (rnd() - 0.5) * R), r7(Y0 + (rnd() - 0.5) * R * 0.6)] } });
      continue;
    }
    const b = buildings[Math.floor(rnd() ** 1.4 * buildings.length)];
    const c = b.geometry.coordinates[0] as number[][];
    households.push({ type: 'Feature', properties: { id: `H${i}`, building_id: b.properties.id, unit: 1, room: `${101 + (i % 30)}`, residents: 1 + Math.floor(rnd() * 4) }, geometry: { type: 'Point', coordinates: [r7((c[0][0] + c[2][0]) / 2), r7((c[0][1] + c[2][1]) / 2)] } });
  }
  return { boundary, grid, buildings, households };
}

/** A block of row houses round a courtyard, turned: each house shares its side walls with the next. */
function rowBlock(cx: number, cy: number, B: number, rnd: () => number, n0: number, r7: (v: number) => number): BuildingFeature[] {
  const a = (rnd() - 0.5) * 0.8;
  const cos = Math.cos(a), sin = Math.sin(a);
  const at = (x: number, y: number): number[] => [r7(cx + (x * cos - y * sin) * 1.3), r7(cy + x * sin + y * cos)];
  const W = B * 0.42, D = B * 0.1; // half the block's side, the houses' depth
  const out: BuildingFeature[] = [];
  const add = (c: number[][]) => out.push({ type: 'Feature', properties: { id: `G${n0 + out.length + 1}`, address: '', levels: 5, residential: true }, geometry: { type: 'Polygon', coordinates: [[...c, c[0]]] } });
  // four sides, each a row of houses of random widths; the corners shared by the rows
  for (let side = 0; side < 4; side++) {
    const cut = [0];
    while (cut[cut.length - 1] < 1) cut.push(Math.min(1, cut[cut.length - 1] + 0.12 + 0.15 * rnd()));
    for (let i = 0; i + 1 < cut.length; i++) {
      const s0 = -W + 2 * W * cut[i], s1 = -W + 2 * W * cut[i + 1];
      const quad = [[s0, -W], [s1, -W], [s1, -W + D], [s0, -W + D]].map(([x, y]) => {
        // the side's frame: turned by a quarter per side
        const [u, v] = side === 0 ? [x, y] : side === 1 ? [-y, x] : side === 2 ? [-x, -y] : [y, -x];
        return at(u, v);
      });
      add(quad);
      // now and then an extension drawn over the back of its house
      if (rnd() < 0.15) {
        const m = (s0 + s1) / 2, e = (s1 - s0) * 0.25;
        add([[m - e, -W + D * 0.7], [m + e, -W + D * 0.7], [m + e, -W + D * 1.6], [m - e, -W + D * 1.6]].map(([x, y]) => {
          const [u, v] = side === 0 ? [x, y] : side === 1 ? [-y, x] : side === 2 ? [-x, -y] : [y, -x];
          return at(u, v);
        }));
      }
    }
  }
  return out;
}
