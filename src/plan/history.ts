// The edit history of a draft as a pure value: edits [0, done) are applied; undo steps back,
// redo forward, and a new edit after undos drops the ones undone (as every editor does).
import { applyChange, revert } from './grids';
import type { GridFeature } from '../domain/types';
import type { Edit } from './types';

export interface History {
  edits: Edit[];
  done: number;
}

export const EMPTY_HISTORY: History = { edits: [], done: 0 };

export function pushEdit(h: History, e: Omit<Edit, 'seq'>): History {
  const edits = h.edits.slice(0, h.done);
  return { edits: [...edits, { ...e, seq: edits.length + 1 }], done: edits.length + 1 };
}

export const canUndo = (h: History) => h.done > 0;
export const canRedo = (h: History) => h.done < h.edits.length;

/** The grids of the base with the history's applied edits replayed. */
export function replay(base: GridFeature[], h: History): GridFeature[] {
  let grids = base;
  for (let i = 0; i < h.done; i++) grids = applyChange(grids, h.edits[i].change);
  return grids;
}

/** Undo: the history one step back and the change that takes the grids there. */
export function undo(h: History) {
  if (!canUndo(h)) return null;
  return { history: { ...h, done: h.done - 1 }, change: revert(h.edits[h.done - 1].change), edit: h.edits[h.done - 1] };
}

export function redo(h: History) {
  if (!canRedo(h)) return null;
  return { history: { ...h, done: h.done + 1 }, change: h.edits[h.done].change, edit: h.edits[h.done] };
}
