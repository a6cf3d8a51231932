// What an edit is: the operation the planner asked for, and the change it made to the grids
// (the grids as they were and as they are), which is all undo and redo need.
import type { Position } from 'geojson';
import type { GridFeature, GridKind } from '../domain/types';

export type XY = [number, number];

export type EditOp =
  /** a vertex and every grid vertex at the same place (unless `alone`: that grid's only) */
  | { type: 'move_vertex'; from: XY; to: XY; alone?: string }
  /** a vertex on an edge, in every grid that has that edge */
  | { type: 'insert_vertex'; at: XY }
  | { type: 'remove_vertex'; at: XY; alone?: string }
  | { type: 'split'; code: string; line: Position[] }
  | { type: 'merge'; codes: string[] }
  /** a new grid: a base grid fills the land no grid covers inside the ring; a dedicated one is carved out of the base grids or drawn on top */
  | { type: 'draw'; ring: Position[]; kind: GridKind; community_code: string; dedicated_type?: string; on_top?: boolean }
  | { type: 'delete'; code: string }
  /** buildings (their footprints) handed to a grid, with the land under them */
  | { type: 'hand_buildings'; buildings: string[]; to: string }
  | { type: 'lock'; codes: string[]; locked: boolean }
  | { type: 'renumber'; community_code: string }
  /** the grids of a saved version, as a draft */
  | { type: 'restore'; version: string }
  /** an accepted proposal (auto-split, auto-merge, repair): the grids it replaces and its grids */
  | { type: 'proposal'; kind: 'split' | 'merge' | 'repair'; before: string[]; after: GridFeature[] }
  /** on a shared district: one's own last edit taken back (`of`: its number, filled in when planned) */
  | { type: 'undo'; of?: number };

export type EditType = EditOp['type'];

/** Grids before and after: codes only in `before` were removed, only in `after` added. */
export interface GridChange {
  before: GridFeature[];
  after: GridFeature[];
}

export interface Edit {
  seq: number;
  op: EditOp;
  change: GridChange;
  at: number;
  /** who made it, on a shared district (the server's account name) */
  by?: string;
}

/** An edit refused: nothing changed; `code` is an i18n key under plan.errors, `values` what it names. */
export class PlanError extends Error {
  constructor(readonly code: string, readonly values: Record<string, string | number> = {}) {
    super(`${code} ${JSON.stringify(values)}`);
  }
}
