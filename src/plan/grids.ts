// Grid lists as an edit sees them: by code, in code order; a change applied or reverted.
import type { GridFeature, GridKind } from '../domain/types';
import type { GridChange } from './types';

export const byCode = (a: GridFeature, b: GridFeature) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0);

/** The grids with `change` applied (removed codes out, new and reshaped ones in), in code order. */
export function applyChange(grids: GridFeature[], change: GridChange): GridFeature[] {
  const out = new Map(grids.map((g) => [g.properties.code, g]));
  for (const g of change.before) out.delete(g.properties.code);
  for (const g of change.after) out.set(g.properties.code, g);
  return [...out.values()].sort(byCode);
}

export const revert = (change: GridChange): GridChange => ({ before: change.after, after: change.before });

/**
 * The next free code of a community for a grid of this kind: its 12 digits and the lowest
 * three-digit number above every one in use — 001–899 for base grids, 901–999 for dedicated
 * ones (the numbering the demo and most cities use).
 */
export function nextCode(grids: GridFeature[], community: string, taken: Set<string> = new Set(), kind: GridKind = 'base'): string {
  const [lo, hi] = kind === 'dedicated' ? [900, 999] : [0, 899];
  let max = lo;
  const see = (c: string) => {
    if (!c.startsWith(community) || c.length !== community.length + 3) return;
    const k = Number(c.slice(-3));
    if (k > lo && k <= hi) max = Math.max(max, k);
  };
  for (const g of grids) see(g.properties.code);
  for (const c of taken) see(c);
  return community + String(max + 1).padStart(3, '0');
}

export const isLocked = (g: GridFeature) => (g.properties as { locked?: boolean }).locked === true;
