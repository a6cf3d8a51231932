// XLSX rosters in (read-excel-file): the first sheet, headers from the first row, every
// value as text, so a roster from Excel goes the same way as one from CSV.
import { readSheet } from 'read-excel-file/universal';
import { rowTable, type Table } from './csv';
import { PartError } from './fileError';

export async function readXlsxTable(data: ArrayBuffer): Promise<Table> {
  let sheet;
  try {
    sheet = await readSheet(data);
  } catch {
    throw new PartError('not_xlsx');
  }
  const [head = [], ...body] = sheet;
  const fields = head.map((c) => String(c ?? '').trim());
  const rows = body
    .filter((r) => r.some((c) => c !== null && c !== ''))
    .map((r) => Object.fromEntries(fields.map((f, i) => [f, r[i] === null || r[i] === undefined ? '' : String(r[i])])));
  return rowTable(fields, rows);
}
