// Renumber a community's grids in reading order: rows from north to south, west to east in a
// row (a row is as tall as the community's median grid). The change lists old → new codes.
import type { GridFeature } from '../domain/types';
import { geomBBox } from '../checks/land';
import { isLocked } from './grids';
import { assertUnlocked } from './valid';
import { PlanError, type GridChange } from './types';

export function renumber(grids: GridFeature[], community: string): { change: GridChange; codes: [string, string][] } {
  const members = grids.filter((g) => g.properties.community_code === community && g.properties.code.startsWith(community));
  if (members.length === 0) throw new PlanError('no_community', { code: community });
  const boxes = members.map((g) => geomBBox(g.geometry));
  const heights = boxes.map((b) => b[3] - b[1]).sort((a, b) => a - b);
  const row = heights[heights.length >> 1] || 1;
  const top = Math.max(...boxes.map((b) => b[3]));
  const order = members.map((g, i) => ({ g, row: Math.floor((top - (boxes[i][1] + boxes[i][3]) / 2) / row), x: (boxes[i][0] + boxes[i][2]) / 2 }))
    .sort((a, b) => a.row - b.row || a.x - b.x);
  const codes: [string, string][] = order.map((o, k) => [o.g.properties.code, community + String(k + 1).padStart(3, '0')]);
  const moved = order.filter((_, k) => codes[k][0] !== codes[k][1]).map((o) => o.g);
  if (moved.length === 0) throw new PlanError('no_change');
  if (moved.some(isLocked)) assertUnlocked(moved);
  const next = new Map(codes);
  return {
    change: { before: moved, after: moved.map((g) => ({ ...g, properties: { ...g.properties, code: next.get(g.properties.code)! } })) },
    codes: codes.filter(([a, b]) => a !== b),
  };
}
