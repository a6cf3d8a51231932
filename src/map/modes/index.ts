// The editing modes by id (a fresh one, with an empty sketch, each time a mode is chosen).
import type { EditMode, ModeId } from './types';
import { selectMode } from './select';
import { splitMode } from './split';
import { mergeMode } from './merge';
import { drawMode } from './draw';
import { handMode } from './hand';

/** `picked`: buildings the hand-over mode starts with (the next building in no grid, say). */
export const MODES: Record<ModeId, (picked?: number[]) => EditMode> = { select: selectMode, split: splitMode, merge: mergeMode, draw: drawMode, hand: handMode };
