// Rule 3 (房不漏户): each household in exactly one effective grid. Typed arrays only: this
// loop runs a million times.
import type { GridLocator } from './locate';
import type { PackedPolygons } from './rings';
import { pointInPacked } from './rings';
import type { BuildingState } from './buildings';

export const Outcome = { ok: 0, orphan: 1, double: 2, dangling: 3, misplaced: 4, skipped: 255 } as const;

export interface HouseholdState {
  grid: Int32Array;
  outcome: Uint8Array;
  /** metres from the household's point to its building (misplaced ones) */
  distance: Float32Array;
}

export function newHouseholdState(n: number): HouseholdState {
  return { grid: new Int32Array(n).fill(-1), outcome: new Uint8Array(n), distance: new Float32Array(n) };
}

const M_PER_DEG_LAT = 111_320;

/**
 * Assigns household i. `building` is its building's index (-1 unknown), `hasBuildingId`
 * whether the roster named one at all.
 */
export function assignHousehold(
  i: number, x: number, y: number, building: number, hasBuildingId: boolean,
  b: BuildingState, bPacked: PackedPolygons, locator: GridLocator, misplacedM: number, s: HouseholdState,
) {
  if (!(x === x && y === y)) { // no point: the roster form takes its building's grid
    if (building < 0) { s.grid[i] = -1; s.outcome[i] = hasBuildingId ? Outcome.dangling : Outcome.orphan; return; }
    s.grid[i] = b.grid[building];
    s.outcome[i] = s.grid[i] < 0 ? Outcome.orphan : Outcome.ok;
    return;
  }
  // Fast path: the point is inside its own building, which lies wholly inside one grid.
  const inOwn = building >= 0 && pointInPacked(bPacked, building, x, y);
  if (inOwn && b.simple[building]) {
    s.grid[i] = b.grid[building];
    s.outcome[i] = s.grid[i] < 0 ? Outcome.orphan : Outcome.ok;
    return;
  }
  const hit = locator.hits(x, y);
  s.grid[i] = hit.effective;
  if (hit.effective < 0) s.outcome[i] = Outcome.orphan;
  else if (!hit.dedicated && hit.baseHits > 1) s.outcome[i] = Outcome.double;
  else if (hasBuildingId && building < 0) s.outcome[i] = Outcome.dangling;
  else if (building >= 0 && !inOwn) {
    const d = distanceToBox(x, y, bPacked.bbox, building);
    s.distance[i] = d;
    s.outcome[i] = d > misplacedM ? Outcome.misplaced : Outcome.ok;
  } else s.outcome[i] = Outcome.ok;
}

/** Metres from a point to a bounding box (0 inside): enough to tell "far outside". */
function distanceToBox(x: number, y: number, bbox: Float64Array, i: number): number {
  const dx = Math.max(bbox[4 * i] - x, 0, x - bbox[4 * i + 2]);
  const dy = Math.max(bbox[4 * i + 1] - y, 0, y - bbox[4 * i + 3]);
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((y * Math.PI) / 180);
  return Math.hypot(dx * mPerDegLon, dy * M_PER_DEG_LAT);
}
