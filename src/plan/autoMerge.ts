// Auto-merge: the undersized base grids of a community each joined with a neighbour (one it
// shares an edge with, in the same community) so that the two fit the band: a neighbour that
// is itself under band first, then the smallest sum. Locked and dedicated grids are left alone.
import type { GridFeature } from '../domain/types';
import { isLocked } from './grids';
import { mergeGrids } from './merge';
import { ownersOf, rings } from './topology';
import { restoreGrids } from './restore';
import { PlanError, type GridChange } from './types';
import type { Problem } from './autoSplit';

export interface Sized {
  code: string;
  households: number;
  band: [number, number] | null;
}

export interface MergeProposal {
  change: GridChange;
  merges: string[][];
  problems: Problem[];
}

export function autoMerge(grids: GridFeature[], sizes: Sized[], community: string): MergeProposal {
  const size = new Map(sizes.map((s) => [s.code, s]));
  const free = (g: GridFeature) => g.properties.kind === 'base' && !isLocked(g) && g.properties.community_code === community;
  const under = grids.filter((g) => free(g) && isUnder(size.get(g.properties.code)))
    .sort((a, b) => size.get(a.properties.code)!.households - size.get(b.properties.code)!.households);
  if (under.length === 0) throw new PlanError('merge_not_needed', { code: community });
  let work = grids;
  const households = new Map(sizes.map((s) => [s.code, s.households]));
  const merged = new Set<string>();
  const merges: string[][] = [];
  const problems: Problem[] = [];
  for (const u of under) {
    const code = u.properties.code;
    if (merged.has(code)) continue;
    const me = work.find((g) => g.properties.code === code)!;
    const band = size.get(code)!.band!;
    const owners = ownersOf(work);
    // neighbours: grids holding at least two of its vertices (an edge between them)
    const shared = new Map<number, number>();
    for (const r of rings(me.geometry)) for (const p of r.slice(0, -1)) for (const k of owners.at(p[0], p[1])) shared.set(k, (shared.get(k) ?? 0) + 1);
    const options = [...shared].filter(([k, n]) => n >= 2 && work[k] !== me && free(work[k]) && !merged.has(work[k].properties.code))
      .map(([k]) => work[k])
      .map((g) => ({ g, sum: households.get(code)! + (households.get(g.properties.code) ?? 0), under: isUnder(size.get(g.properties.code)) }))
      .filter((o) => o.sum <= band[1])
      .sort((a, b) => Number(b.under) - Number(a.under) || a.sum - b.sum);
    if (options.length === 0) { problems.push({ code: 'no_merge_fits', values: { code, n: households.get(code)!, max: band[1] } }); continue; }
    const pick = options[0];
    const change = mergeGrids(work, [code, pick.g.properties.code]);
    const keep = change.after[0].properties.code;
    work = [...work.filter((g) => !change.before.includes(g)), ...change.after].sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1));
    households.set(keep, pick.sum);
    merged.add(code).add(pick.g.properties.code);
    merges.push([code, pick.g.properties.code]);
    if (pick.sum < band[0]) problems.push({ code: 'still_under', values: { code: keep, n: pick.sum, min: band[0] } });
  }
  if (merges.length === 0) throw new PlanError('no_merge_fits', { code: under[0].properties.code, n: households.get(under[0].properties.code)!, max: size.get(under[0].properties.code)!.band![1] });
  return { change: restoreGrids(grids, work), merges, problems };
}

const isUnder = (s: Sized | undefined) => !!s?.band && s.households < s.band[0];
