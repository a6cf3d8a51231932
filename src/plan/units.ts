// The units a proposal moves (as census blocks are in redistricting): the buildings the
// checks place in some grids, each with its households, and households with no building.
import type { Assignment } from '../checks/engine';
import { rings } from './topology';
import type { Unit } from './autoSplit';

export function unitsIn(a: Assignment, positions: Float64Array, grids: Set<number>): Unit[] {
  const count = new Int32Array(a.buildings.length);
  for (const b of a.householdBuilding) if (b >= 0) count[b]++;
  const units: Unit[] = [];
  a.buildings.forEach((b, i) => {
    if (!grids.has(a.buildingGrid[i])) return;
    const r = rings(b.geometry)[0];
    const n = r.length - 1;
    units.push({ id: String(b.properties.id), footprint: b.geometry, at: [r.slice(0, n).reduce((s, p) => s + p[0], 0) / n, r.slice(0, n).reduce((s, p) => s + p[1], 0) / n], households: count[i] });
  });
  a.householdGrid.forEach((g, i) => {
    if (a.householdBuilding[i] >= 0 || !grids.has(g) || !Number.isFinite(positions[2 * i])) return;
    units.push({ id: `household ${i}`, footprint: null, at: [positions[2 * i], positions[2 * i + 1]], households: 1 });
  });
  return units;
}
