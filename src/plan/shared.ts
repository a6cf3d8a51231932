// The rules of a district several people edit at once (pure; the server applies them, the page
// uses them for quick answers): which grids an edit touches, whether someone else changed them
// since the view it was made on, whether they lie in a planner's scope, and what one's own undo
// takes back.
import type { GridFeature } from '../domain/types';
import { streetOf } from '../domain/codes';
import { revert } from './grids';
import { PlanError, type Edit, type GridChange } from './types';

/** The codes of the grids a change removes, adds or reshapes. */
export function touchedCodes(change: GridChange): Set<string> {
  return new Set([...change.before, ...change.after].map((g) => g.properties.code));
}

/** A refusal with its i18n code (under plan.errors) and what it names; nothing was changed. */
export class EditRefused extends Error {
  constructor(readonly code: string, readonly values: Record<string, string | number> = {}) {
    super(`${code} ${JSON.stringify(values)}`);
    this.name = 'EditRefused';
  }
}

/**
 * The first edit after `base` (the last one the editor had seen) by someone else that touched a
 * grid this change touches: the edit was made on a view of those grids that is out of date.
 */
export function conflictOf(edits: readonly Edit[], base: number, by: string, change: GridChange): { edit: Edit; grid: string } | null {
  const mine = touchedCodes(change);
  for (const e of edits) {
    if (e.seq <= base || e.by === by) continue;
    for (const code of touchedCodes(e.change)) if (mine.has(code)) return { edit: e, grid: code };
  }
  return null;
}

/**
 * Whether a grid lies in a scope of street (9 digits) and community (12 digits) codes; an empty
 * scope is the whole district. A grid counts by its community, and by its own code's prefixes.
 */
export function inScope(grid: GridFeature, scope: readonly string[]): boolean {
  if (scope.length === 0) return true;
  const community = String(grid.properties.community_code ?? '');
  const code = String(grid.properties.code ?? '');
  return scope.some((s) => community === s || streetOf(community) === s || (s.length > 0 && code.startsWith(s)));
}

/** The first grid a change touches outside the scope (a shared vertex moves only when both grids are in it). */
export function outOfScope(change: GridChange, scope: readonly string[]): string | null {
  for (const g of [...change.before, ...change.after]) if (!inScope(g, scope)) return g.properties.code;
  return null;
}

/**
 * The edit `by`'s undo takes back: their latest edit not yet undone (undos themselves are not
 * undone again). null when there is none.
 */
export function undoTarget(edits: readonly Edit[], by: string): Edit | null {
  const undone = new Set(edits.flatMap((e) => (e.op.type === 'undo' && e.op.of !== undefined ? [e.op.of] : [])));
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i];
    if (e.by === by && e.op.type !== 'undo' && !undone.has(e.seq)) return e;
  }
  return null;
}

/**
 * Undo of edit `of` by `by`: the change that takes it back, if it is theirs and nothing later
 * touched its grids (an edit later and its own undo, both after it, cancel out). Throws a
 * PlanError saying why not.
 */
export function planUndo(edits: readonly Edit[], by: string, of: number | undefined): GridChange {
  const target = of === undefined ? undoTarget(edits, by) : edits.find((e) => e.seq === of);
  if (!target || target.by !== by || target.op.type === 'undo') throw new PlanError('nothing_to_undo');
  const later = edits.filter((e) => e.seq > target.seq);
  const undoneLater = new Set(later.flatMap((e) => (e.op.type === 'undo' && e.op.of !== undefined && e.op.of > target.seq ? [e.op.of] : [])));
  if (later.some((e) => e.op.type === 'undo' && e.op.of === target.seq)) throw new PlanError('nothing_to_undo');
  const codes = touchedCodes(target.change);
  for (const e of later) {
    if (undoneLater.has(e.seq) || (e.op.type === 'undo' && e.op.of !== undefined && undoneLater.has(e.op.of))) continue;
    for (const code of touchedCodes(e.change)) if (codes.has(code)) throw new PlanError('undo_blocked', { grid: code, user: e.by ?? '' });
  }
  return revert(target.change);
}
