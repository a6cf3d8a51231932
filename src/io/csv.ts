// CSV in (household rosters) with papaparse: headers from the first row, BOM stripped,
// every value kept as text.
import Papa from 'papaparse';

export interface CsvTable {
  fields: string[];
  rows: Record<string, string>[];
  /** row-level parse problems, 1-based data row numbers; `unclosed`: the file lines a quote left open runs over */
  errors: { row: number; message: string; unclosed?: [number, number] }[];
}

/**
 * A table file's text in whatever encoding it came: a UTF-16 byte-order mark says UTF-16;
 * UTF-8 that does not decode cleanly is tried as GBK (what Excel in China saves); the
 * encoding used is said.
 */
export function decodeTable(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

export function parseCsv(text: string): CsvTable {
  const res = Papa.parse<Record<string, string>>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    header: true,
    skipEmptyLines: 'greedy',
    dynamicTyping: false,
    transformHeader: (h) => h.trim(),
  });
  // A quote that never closes swallows every line after it into one row: say which lines.
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const lastLine = text.replace(/\s+$/, '').split('\n').length;
  return {
    fields: res.meta.fields ?? [],
    rows: res.data,
    // (The open quote's row is the last one read: everything after it went into it.)
    errors: res.errors.map((e) => (e.code === 'MissingQuotes'
      ? { row: res.data.length, message: `a quote opened on line ${lineOf(e.index ?? 0)} is never closed: lines ${lineOf(e.index ?? 0)}–${lastLine} run together`, unclosed: [lineOf(e.index ?? 0), lastLine] as [number, number] }
      : { row: (e.row ?? -1) + 1, message: e.message })).sort((a, b) => Number('unclosed' in a) - Number('unclosed' in b)),
  };
}

/**
 * CSV out, for Excel: UTF-8 with a BOM, CRLF line ends. A text cell that Excel would run as a
 * formula (starting with =, +, -, @, a tab or a carriage return — a grid named "=HYPERLINK(…)")
 * is neutralised the way OWASP recommends, with a leading apostrophe; numbers stay numbers.
 */
export function toExcelCsv(header: string[], rows: (string | number)[][]): string {
  return '\ufeff' + Papa.unparse({ fields: header.map(defuse), data: rows.map((r) => r.map((v) => (typeof v === 'string' ? defuse(v) : v))) }, { newline: '\r\n' });
}

const FORMULA = /^[=+\-@\t\r]/;

export function defuse(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}
