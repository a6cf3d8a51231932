// CSV in (household rosters) with papaparse: headers from the first row, BOM stripped,
// every value kept as text.
import Papa from 'papaparse';

export interface CsvTable {
  fields: string[];
  rows: Record<string, string>[];
  /** row-level parse problems, 1-based data row numbers */
  errors: { row: number; message: string }[];
}

export function parseCsv(text: string): CsvTable {
  const res = Papa.parse<Record<string, string>>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    header: true,
    skipEmptyLines: 'greedy',
    dynamicTyping: false,
    transformHeader: (h) => h.trim(),
  });
  return {
    fields: res.meta.fields ?? [],
    rows: res.data,
    errors: res.errors.map((e) => ({ row: (e.row ?? -1) + 1, message: e.message })),
  };
}

/** CSV out, for Excel: UTF-8 with a BOM, CRLF line ends. */
export function toExcelCsv(header: string[], rows: (string | number)[][]): string {
  return '\ufeff' + Papa.unparse({ fields: header, data: rows }, { newline: '\r\n' });
}
