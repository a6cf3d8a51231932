// CSV in (household rosters) with papaparse: headers from the first row, BOM stripped,
// every value kept as text. A roster of a million rows is read into columns (cell offsets
// into the text), not an object per row: the engine takes columns, and the rows a page
// needs are made from them.
import Papa from 'papaparse';

export interface CsvError { row: number; message: string; unclosed?: [number, number] }

/**
 * A table read (CSV, XLSX): its header, how many data rows, the cells of a field by name.
 * Fields are looked up by name as a row object would be (of two fields named alike, the last
 * one's cell).
 */
export interface Table {
  fields: string[];
  /** data rows */
  length: number;
  /** row-level parse problems, 1-based data row numbers; `unclosed`: the file lines a quote left open runs over */
  errors: CsvError[];
  /** row r's cell under `field` (undefined where the row stops short of it) */
  cell(r: number, field: string): string | undefined;
  /** every row's cell under `field` */
  column(field: string): (string | undefined)[];
  /** the cells as numbers (Number()), with a flag where the cell is missing or '' */
  numbers(field: string): { values: Float64Array; blank: Uint8Array };
  /** how many cells row r has (more than fields.length: the rest are papaparse's __parsed_extra) */
  cellCount(r: number): number;
  /** row r's cells past the header's fields */
  extra(r: number): string[] | undefined;
  /**
   * Whether some cell of `field` passes `test`; a cell with fewer than `minDigits` ASCII
   * digits is not tried (the caller knows the test cannot pass on it).
   */
  some(field: string, test: (v: string) => boolean, minDigits?: number): boolean;
  /** rows as papaparse gives them with header: true (made when first asked for) */
  readonly rows: Record<string, string>[];
}

/** @deprecated name kept for readers of rows: a Table */
export type CsvTable = Table;

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

const OPTIONS = { header: true, skipEmptyLines: 'greedy', dynamicTyping: false, transformHeader: (h: string) => h.trim() } as const;

/** Papaparse looks at the first megabyte for the line break and the first ten rows for the delimiter. */
const GUESS_BYTES = 1024 * 1024;

export function parseCsv(text: string): Table {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return (body.indexOf('"') < 0 ? splitTable(body) : null) ?? papaTable(text, body);
}

/** Any CSV, quotes and all: papaparse's rows, read column-wise from them. */
function papaTable(text: string, body: string): Table {
  const res = Papa.parse<Record<string, string>>(body, OPTIONS);
  // A quote that never closes swallows every line after it into one row: say which lines.
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const lastLine = text.replace(/\s+$/, '').split('\n').length;
  const errors = res.errors.map((e) => (e.code === 'MissingQuotes'
    ? { row: res.data.length, message: `a quote opened on line ${lineOf(e.index ?? 0)} is never closed: lines ${lineOf(e.index ?? 0)}–${lastLine} run together`, unclosed: [lineOf(e.index ?? 0), lastLine] as [number, number] }
    : { row: (e.row ?? -1) + 1, message: e.message })).sort((a, b) => Number('unclosed' in a) - Number('unclosed' in b));
  return rowTable(res.meta.fields ?? [], res.data, errors);
}

/** A table over row objects (papaparse's, an XLSX sheet's): the header's fields present in a row are its first cells. */
export function rowTable(fields: string[], rows: Record<string, string>[], errors: CsvError[] = []): Table {
  const count = (r: number) => {
    const row = rows[r] as Record<string, unknown>;
    const extra = row.__parsed_extra;
    if (Array.isArray(extra)) return fields.length + extra.length;
    let n = 0;
    while (n < fields.length && fields[n] in row) n++;
    return n;
  };
  const column = (field: string) => rows.map((r) => r[field] as string | undefined);
  return {
    fields, length: rows.length, errors, rows,
    cell: (r, field) => rows[r][field] as string | undefined,
    column,
    numbers: (field) => numbersOf(column(field)),
    cellCount: count,
    extra: (r) => { const x = (rows[r] as Record<string, unknown>).__parsed_extra; return Array.isArray(x) ? x : undefined; },
    some: (field, test) => rows.some((r) => { const v = r[field]; return v !== undefined && test(v); }),
  };
}

function numbersOf(cells: (string | undefined)[]) {
  const values = new Float64Array(cells.length);
  const blank = new Uint8Array(cells.length);
  cells.forEach((v, i) => { values[i] = Number(v); blank[i] = v === undefined || v === '' ? 1 : 0; });
  return { values, blank };
}

/** White space as String.prototype.trim sees it (papaparse's greedy empty-line test trims). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * A CSV without a quote anywhere, split here the way papaparse's fast mode splits it (lines
 * on its guessed line break, cells on its guessed delimiter, lines of nothing but blanks and
 * delimiters skipped, a row with too many or too few cells an error), into cell offsets.
 * Null where papaparse would do something else first (a blank first line, an undetectable
 * delimiter, rows too long to guess from): the caller lets papaparse read it.
 */
function splitTable(body: string): Table | null {
  const head = body.length > GUESS_BYTES ? body.slice(0, GUESS_BYTES) : body;
  // The guesses papaparse makes on the whole text, made on what it looks at of it.
  const probe = Papa.parse<Record<string, string>>(head, { ...OPTIONS, preview: 1 });
  if (probe.errors.some((e) => e.type === 'Delimiter')) return null;
  const newline = probe.meta.linebreak;
  const delim = probe.meta.delimiter;
  const fields = probe.meta.fields ?? [];
  if (delim.length !== 1 || fields.length === 0) return null;
  if (head !== body && head.split(newline).length <= 11) return null;
  const len = body.length;
  const dc = delim.charCodeAt(0);
  const nlLen = newline.length;
  const nf = fields.length;
  const stride = nf + 1;
  let off = new Int32Array(Math.max(16, Math.ceil(len / 16)) * stride);
  const odd = new Map<number, string[]>();
  const errors: CsvError[] = [];
  let rows = 0;
  let header = true;
  let pos = 0;
  let nextDelim = body.indexOf(delim);
  for (;;) {
    const e = body.indexOf(newline, pos);
    const end = e < 0 ? len : e;
    // greedy: a line of blanks and delimiters only is no row
    let blank = true;
    for (let i = pos; i < end; i++) {
      const c = body.charCodeAt(i);
      if (c !== dc && !isSpace(c)) { blank = false; break; }
    }
    if (blank) {
      if (header) return null; // papaparse would take its header from a later line, untrimmed
    } else if (header) {
      header = false;
      let n = 1;
      for (let i = pos; i < end; i++) if (body.charCodeAt(i) === dc) n++;
      if (n !== nf) return null;
    } else {
      if ((rows + 1) * stride > off.length) { const grown = new Int32Array(off.length * 2); grown.set(off); off = grown; }
      const base = rows * stride;
      let j = 0;
      let s = pos;
      for (;;) {
        if (nextDelim >= 0 && nextDelim < s) nextDelim = body.indexOf(delim, s);
        if (nextDelim < 0 || nextDelim >= end) break;
        if (j < nf) off[base + j] = s;
        j++;
        s = nextDelim + 1;
      }
      if (j < nf) off[base + j] = s;
      j++;
      if (j === nf) off[base + nf] = end + 1;
      else {
        odd.set(rows, body.slice(pos, end).split(delim));
        errors.push({
          row: rows + 1,
          message: j > nf ? `Too many fields: expected ${nf} fields but parsed ${j}` : `Too few fields: expected ${nf} fields but parsed ${j}`,
        });
      }
      rows++;
    }
    if (e < 0) break;
    pos = e + nlLen;
  }
  return new SplitTable(body, fields, rows, off, odd, errors);
}

class SplitTable implements Table {
  private readonly index = new Map<string, number>();
  private cached: Record<string, string>[] | null = null;
  constructor(
    private readonly text: string,
    readonly fields: string[],
    readonly length: number,
    private readonly off: Int32Array,
    private readonly odd: Map<number, string[]>,
    readonly errors: CsvError[],
  ) {
    fields.forEach((f, j) => this.index.set(f, j));
  }

  cell(r: number, field: string): string | undefined {
    const j = this.index.get(field);
    if (j === undefined) return undefined;
    const cells = this.odd.get(r);
    if (cells) return cells[j];
    const k = r * (this.fields.length + 1) + j;
    return this.text.slice(this.off[k], this.off[k + 1] - 1);
  }

  column(field: string): (string | undefined)[] {
    const out = new Array<string | undefined>(this.length);
    const j = this.index.get(field);
    if (j === undefined) return out.fill(undefined);
    const { text, off, odd } = this;
    const stride = this.fields.length + 1;
    for (let r = 0, k = j; r < this.length; r++, k += stride) out[r] = odd.size && odd.has(r) ? odd.get(r)![j] : text.slice(off[k], off[k + 1] - 1);
    return out;
  }

  numbers(field: string): { values: Float64Array; blank: Uint8Array } {
    const values = new Float64Array(this.length);
    const blank = new Uint8Array(this.length);
    const j = this.index.get(field);
    if (j === undefined) return { values: values.fill(NaN), blank: blank.fill(1) };
    const { text, off, odd } = this;
    const stride = this.fields.length + 1;
    for (let r = 0, k = j; r < this.length; r++, k += stride) {
      if (odd.size && odd.has(r)) { const v = odd.get(r)![j]; values[r] = Number(v); blank[r] = v === undefined || v === '' ? 1 : 0; continue; }
      const a = off[k], b = off[k + 1] - 1;
      blank[r] = a === b ? 1 : 0;
      values[r] = decimal(text, a, b);
    }
    return { values, blank };
  }

  cellCount(r: number): number {
    const cells = this.odd.get(r);
    return cells ? cells.length : this.fields.length;
  }

  extra(r: number): string[] | undefined {
    const cells = this.odd.get(r);
    return cells && cells.length > this.fields.length ? cells.slice(this.fields.length) : undefined;
  }

  some(field: string, test: (v: string) => boolean, minDigits = 0): boolean {
    const j = this.index.get(field);
    if (j === undefined) return false;
    const { text, off, odd } = this;
    const stride = this.fields.length + 1;
    for (let r = 0, k = j; r < this.length; r++, k += stride) {
      if (odd.size && odd.has(r)) { const v = odd.get(r)![j]; if (v !== undefined && test(v)) return true; continue; }
      const a = off[k], b = off[k + 1] - 1;
      if (b - a < minDigits) continue;
      let digits = 0;
      for (let i = a; i < b && digits < minDigits; i++) { const c = text.charCodeAt(i); if (c >= 48 && c <= 57) digits++; }
      if (digits >= minDigits && test(text.slice(a, b))) return true;
    }
    return false;
  }

  get rows(): Record<string, string>[] {
    if (this.cached) return this.cached;
    const fields = this.fields;
    const out: Record<string, string>[] = new Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const row: Record<string, unknown> = {};
      const cells = this.odd.get(r);
      if (cells) {
        cells.forEach((v, j) => {
          if (j >= fields.length) ((row.__parsed_extra ??= []) as string[]).push(v);
          else row[fields[j]] = v;
        });
      } else {
        for (let j = 0; j < fields.length; j++) row[fields[j]] = this.cell(r, fields[j]);
      }
      out[r] = row as Record<string, string>;
    }
    return (this.cached = out);
  }
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Number(text.slice(a, b)) without the slice for plain decimals ("119.0926052", "-3", "12."):
 * at most 15 digits are an exact integer and 10^k (k ≤ 22) an exact double, so one division
 * rounds as Number does; anything else goes to Number.
 */
function decimal(text: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 45 || c0 === 43) { neg = c0 === 45; i++; }
  let m = 0, digits = 0, frac = -1;
  for (; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
    else if (c === 46 && frac < 0) frac = 0;
    else return Number(text.slice(a, b));
  }
  if (digits === 0 || digits > 15) return Number(text.slice(a, b));
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
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
