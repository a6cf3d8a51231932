// A draft compared with another version of the grids: grids added, removed and reshaped
// (by code), and households and buildings moved from which grid to which, with the counts
// before and after — what goes into the approval file.
import type { Feature } from 'geojson';
import type { GridFeature } from '../domain/types';
import { sameGrid } from './restore';
import { vertexKeys } from './topology';
import { geodesicArea } from '../checks/area';

export interface Placed {
  grids: GridFeature[];
  /** per household (same order in both), the grid index in `grids`, -1 none */
  householdGrid: Int32Array;
  buildingGrid: Int32Array;
  /** households per grid (report order = grids order) */
  households: Int32Array;
}

/** `vertices`: the same land, with vertices added on its edges (a neighbour's edit met it there). */
export type GridChangeKind = 'added' | 'removed' | 'reshaped' | 'vertices' | 'renamed';

export interface ComparedGrid {
  code: string;
  name: string;
  change: GridChangeKind;
  households_before: number;
  households_after: number;
}

export interface Move {
  from: string;
  to: string;
  households: number;
  buildings: number;
}

export interface Comparison {
  grids: ComparedGrid[];
  moves: Move[];
  /** grids as they were (removed, reshaped) and are (added, reshaped), with their change */
  features: Feature[];
}

export function compareVersions(before: Placed, after: Placed): Comparison {
  const was = new Map(before.grids.map((g, i) => [g.properties.code, i]));
  const now = new Map(after.grids.map((g, i) => [g.properties.code, i]));
  const grids: ComparedGrid[] = [];
  const features: Feature[] = [];
  const row = (code: string, change: GridChangeKind) => {
    const i = was.get(code), k = now.get(code);
    const g = (k !== undefined ? after.grids[k] : before.grids[i!]).properties;
    grids.push({ code, name: g.name, change, households_before: i === undefined ? 0 : before.households[i], households_after: k === undefined ? 0 : after.households[k] });
  };
  for (const [code, i] of was) {
    const k = now.get(code);
    const a = before.grids[i];
    if (k === undefined) { row(code, 'removed'); features.push(tagged(a, 'removed', 'before')); continue; }
    const b = after.grids[k];
    if (sameGrid(a, b)) continue;
    const moved = JSON.stringify(a.geometry) !== JSON.stringify(b.geometry);
    const reshaped = moved && !sameLand(a, b);
    row(code, reshaped ? 'reshaped' : moved ? 'vertices' : 'renamed');
    if (reshaped) features.push(tagged(a, 'reshaped', 'before'), tagged(b, 'reshaped', 'after'));
  }
  for (const [code, k] of now) if (!was.has(code)) { row(code, 'added'); features.push(tagged(after.grids[k], 'added', 'after')); }
  grids.sort((a, b) => (a.code < b.code ? -1 : 1));

  const moves = new Map<string, Move>();
  const codeOf = (p: Placed, i: number) => (i >= 0 ? p.grids[i].properties.code : '');
  const count = (kind: 'households' | 'buildings', a: Int32Array, b: Int32Array) => {
    for (let i = 0; i < a.length; i++) {
      const from = codeOf(before, a[i]), to = codeOf(after, b[i]);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      const m = moves.get(key) ?? { from, to, households: 0, buildings: 0 };
      m[kind]++;
      moves.set(key, m);
    }
  };
  count('households', before.householdGrid, after.householdGrid);
  count('buildings', before.buildingGrid, after.buildingGrid);
  return { grids, moves: [...moves.values()].sort((a, b) => b.households - a.households || (a.from < b.from ? -1 : 1)), features };
}

function tagged(g: GridFeature, change: GridChangeKind, side: 'before' | 'after'): Feature {
  return { type: 'Feature', geometry: g.geometry, properties: { code: g.properties.code, name: g.properties.name, change, version: side } };
}

/** Every old vertex kept and the area unchanged (to a hundredth of a square metre): only vertices were added on the edges. */
function sameLand(a: GridFeature, b: GridFeature): boolean {
  const old = vertexKeys(a.geometry), now = vertexKeys(b.geometry);
  for (const k of old) if (!now.has(k)) return false;
  return Math.abs(geodesicArea(a.geometry) - geodesicArea(b.geometry)) < 0.01;
}
