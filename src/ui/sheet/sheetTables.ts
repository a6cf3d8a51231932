// The approval sheet's tables (no React): the grids changed, the households and buildings moved,
// and the scores, as rows of text with the height each takes in print, laid over pages 2 on.
// The sizes here are those of sheet.css (.sheet-table): change one, change the other.
import type { Comparison } from '../../plan/compare';
import type { PlanScores } from '../../plan/scores';
import { linesOf, paginate, type PagePart, type TableBlock } from '../../domain/sheet';

/** 9 pt type on 4.2 mm lines, cells padded 1.2 mm above and below, 2 mm each side; 1.5 mm after a paragraph (sheet.css). */
export const TABLE = { font: 3.175, line: 4.2, padY: 1.2, padX: 2, heading: 8, gap: 6, para: 1.5 } as const;
/** what a row takes beyond its lines: padding, its border, and a little to spare */
const ROW_EXTRA = 2 * TABLE.padY + 0.5;

export type TableId = 'note' | 'changes' | 'moves' | 'scores';

export interface SheetTable {
  id: TableId;
  /** column shares of the width */
  cols: number[];
  head: string[];
  rows: string[][];
  /** the row's text when there are none */
  none: string;
  /** the columns holding numbers (right-aligned) */
  numeric: number[];
  /** paragraphs of text (the note in full), no header row */
  plain?: boolean;
}

/** The note in full as a table of paragraphs, each at most `maxLines` lines (split between sentences) so none is taller than a page. */
export function noteTable(note: string, width: number, maxLines = 8): SheetTable {
  const rows: string[][] = [];
  for (const para of note.split(/\n+/).map((x) => x.trim()).filter(Boolean)) {
    let chunk = '';
    for (const sentence of para.split(/(?<=[。！？；.!?;]\s*)(?=\S)/)) { // each keeps its space after
      // a sentence longer than a chunk is cut by characters
      for (let rest = sentence; rest; ) {
        const next = chunk + rest;
        if (linesOf(next, width, TABLE.font) <= maxLines) { chunk = next; rest = ''; continue; }
        if (chunk) { rows.push([chunk.trim()]); chunk = ''; continue; }
        let k = rest.length;
        while (k > 1 && linesOf(rest.slice(0, k), width, TABLE.font) > maxLines) k = Math.floor(k * 0.9);
        rows.push([rest.slice(0, k)]);
        rest = rest.slice(k);
      }
    }
    if (chunk) rows.push([chunk.trim()]);
  }
  return { id: 'note', cols: [1], head: [], rows, none: '', numeric: [], plain: true };
}

type T = (key: string, values?: Record<string, unknown>) => string;

export function sheetTables(c: Comparison & { scores: { before: PlanScores; after: PlanScores } }, names: Map<string, string>, t: T): SheetTable[] {
  const grid = (code: string) => (code ? `${code} ${names.get(code) ?? ''}`.trim() : t('edit.noGrid'));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const f2 = (x: number) => x.toFixed(2);
  const n = (x: number) => x.toLocaleString('en-US');
  const { before: b, after: a } = c.scores;
  const scores: [string, (s: PlanScores) => string, boolean?][] = [
    ['grids', (s) => n(s.grids)],
    ['households', (s) => n(s.households)],
    ['ideal', (s) => n(Math.round(s.ideal))],
    ['largestDeviation', (s) => pct(s.largestDeviation)],
    ['inBand', (s) => `${n(s.inBand)} / ${n(s.grids)}`],
    ['meanPolsbyPopper', (s) => f2(s.meanPolsbyPopper)],
    ['worstPolsbyPopper', (s) => f2(s.worstPolsbyPopper)],
    ['meanReock', (s) => f2(s.meanReock)],
    ['movedHouseholds', (s) => n(s.movedHouseholds), true],
    ['movedBuildings', (s) => n(s.movedBuildings), true],
  ];
  return [
    {
      id: 'changes', cols: [0.2, 0.36, 0.2, 0.24], numeric: [3],
      head: [t('sheet.changes.code'), t('sheet.changes.name'), t('sheet.changes.change'), t('sheet.changes.households')],
      rows: c.grids.map((g) => [g.code, g.name, t(`edit.change.${g.change}`), `${n(g.households_before)} → ${n(g.households_after)}`]),
      none: t('sheet.changes.none'),
    },
    {
      id: 'moves', cols: [0.38, 0.38, 0.12, 0.12], numeric: [2, 3],
      head: [t('sheet.moves.from'), t('sheet.moves.to'), t('sheet.moves.households'), t('sheet.moves.buildings')],
      rows: c.moves.map((m) => [grid(m.from), grid(m.to), n(m.households), n(m.buildings)]),
      none: t('sheet.moves.none'),
    },
    {
      id: 'scores', cols: [0.5, 0.25, 0.25], numeric: [1, 2],
      head: [t('sheet.scores.item'), t('sheet.scores.before'), t('sheet.scores.after')],
      // what a plan moves is a count of the change: nothing "before"
      rows: scores.map(([k, f, moved]) => [t(`sheet.scores.${k}`), moved ? '—' : f(b), f(a)]),
      none: '',
    },
  ];
}

/** The height (mm) a row of these cells takes in columns of these widths (mm). */
export function rowHeight(cells: string[], widths: number[]): number {
  const lines = Math.max(...cells.map((text, i) => linesOf(text, widths[i] - 2 * TABLE.padX, TABLE.font)));
  return lines * TABLE.line + ROW_EXTRA;
}

/** Which rows of which table go on each page after the map, in a body `width` × `height` mm. */
export function tablePages(tables: SheetTable[], width: number, height: number): PagePart[][] {
  const blocks: TableBlock[] = tables.map((tb) => {
    const widths = tb.cols.map((s) => s * width);
    if (tb.plain) return { id: tb.id, rows: tb.rows.map((r) => linesOf(r[0], width, TABLE.font) * TABLE.line + TABLE.para), head: TABLE.heading };
    const rows = tb.rows.length ? tb.rows.map((r) => rowHeight(r, widths)) : [rowHeight([tb.none], [width])];
    return { id: tb.id, rows, head: TABLE.heading + rowHeight(tb.head, widths), whole: tb.id === 'scores' };
  });
  return paginate(blocks, height, TABLE.gap);
}
