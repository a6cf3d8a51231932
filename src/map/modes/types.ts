// Editing modes (one file each, as terra-draw and Placemark's handlers do): a mode gets the
// pointer and key events the map sees while it is on, keeps its own sketch, asks the host
// for an edit, and says which overlay layers it draws. Edits themselves are pure operations
// (src/plan) made in the worker; a mode only proposes them.
import type { Layer } from '@deck.gl/core';
import type { District } from '../../domain/district';
import type { EditOp, XY } from '../../plan/types';

export type ModeId = 'select' | 'split' | 'merge' | 'draw' | 'hand';

/** Keyboard shortcut of each mode (shown beside its button). */
export const MODE_KEYS: Record<ModeId, string> = { select: 'v', split: 'x', merge: 'm', draw: 'n', hand: 'b' };

export interface ModeEvent {
  at: XY;
  /** screen pixels */
  point: [number, number];
  /** Alt held: a vertex moves (or goes) in one grid alone */
  alt: boolean;
  shift: boolean;
}

export interface Snap {
  at: XY;
  kind: 'vertex' | 'edge' | 'building' | null;
}

/** What a mode may ask of the map and the page. */
export interface ModeHost {
  district: District;
  /** the selected grid's code */
  selected: string | null;
  select(code: string | null): void;
  /** the grid (base, or dedicated on top) under a point */
  gridAt(at: XY): string | null;
  /** the building under a point, -1 = none */
  buildingAt(at: XY): number;
  /** degrees per screen pixel here (for handle and snap distances) */
  degPerPx: number;
  snap(at: XY, exclude?: XY | null): Snap;
  apply(op: EditOp): void;
  /** the sketch changed: draw the overlay again */
  redraw(): void;
  /** options of the draw mode, set in the editor panel */
  drawOptions: { kind: 'base' | 'dedicated'; dedicatedType: string; onTop: boolean };
}

/** The hint the editor shows for the mode's state: an i18n key and its values. */
export interface ModeHint {
  key: string;
  values?: Record<string, string | number>;
}

export interface EditMode {
  id: ModeId;
  /** true: the click was the mode's (nothing else is selected by it) */
  click?(e: ModeEvent, h: ModeHost): boolean;
  dblclick?(e: ModeEvent, h: ModeHost): boolean;
  /** true: the mode takes this drag (the map does not pan) */
  down?(e: ModeEvent, h: ModeHost): boolean;
  move?(e: ModeEvent, h: ModeHost): void;
  up?(e: ModeEvent, h: ModeHost): void;
  /** true: the key was the mode's */
  key?(key: string, h: ModeHost): boolean;
  layers(h: ModeHost): Layer[];
  hint(h: ModeHost): ModeHint;
}
