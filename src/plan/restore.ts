// A saved version's grids as the draft: only the grids that differ change (one edit).
import type { GridFeature } from '../domain/types';
import { PlanError, type GridChange } from './types';

export function restoreGrids(current: GridFeature[], version: GridFeature[]): GridChange {
  const now = new Map(current.map((g) => [g.properties.code, g]));
  const then = new Map(version.map((g) => [g.properties.code, g]));
  const before = current.filter((g) => !sameGrid(g, then.get(g.properties.code)));
  const after = version.filter((g) => !sameGrid(g, now.get(g.properties.code)));
  if (before.length === 0 && after.length === 0) throw new PlanError('no_change');
  return { before, after };
}

export function sameGrid(a: GridFeature, b: GridFeature | undefined): boolean {
  return b !== undefined && JSON.stringify(a.geometry) === JSON.stringify(b.geometry) && JSON.stringify(a.properties) === JSON.stringify(b.properties);
}
