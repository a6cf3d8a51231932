// Household rosters as XLSX and as CSV with a BOM and Chinese headers
// (tests/fixtures/roster, made by scripts/fixtures/make-roster.mts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/io/csv';
import { readXlsxTable } from '../../src/io/xlsx';
import { guessFields } from '../../src/io/fieldGuess';
import { householdsFromCsv } from '../../src/io/layers';

const dir = 'tests/fixtures/roster';
const expected = JSON.parse(readFileSync(`${dir}/roster.expected.json`, 'utf8')).rows as Record<string, string | number>[];

async function tables() {
  const xlsx = readFileSync(`${dir}/roster.xlsx`);
  return {
    csv: parseCsv(readFileSync(`${dir}/roster.csv`, 'utf8')),
    xlsx: await readXlsxTable(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength)),
  };
}

describe('household rosters', () => {
  it('read the same from XLSX and from CSV, with guessed Chinese columns', async () => {
    for (const [kind, t] of Object.entries(await tables())) {
      const mapping = guessFields('households', t.fields);
      expect(mapping, kind).toEqual({ id: '户编号', building_id: '楼栋编号', unit: '单元', room: '房号', residents: '家庭人口', head_name: '户主姓名', phone: '联系电话' });
      const h = householdsFromCsv(t, mapping);
      expect(h.ids, kind).toEqual(expected.map((r) => r.id));
      expect(h.buildingIds, kind).toEqual(expected.map((r) => r.building_id));
      expect(Array.from(h.residents), kind).toEqual(expected.map((r) => r.residents));
      expect(Number.isNaN(h.positions[0]), kind).toBe(true); // no lon/lat columns: roster form
      expect(t.rows.map((r) => r[mapping.phone]), kind).toEqual(expected.map((r) => String(r.phone)));
    }
  });

  it('refuses a file that is not a workbook, saying so', async () => {
    await expect(readXlsxTable(new TextEncoder().encode('户编号,楼栋编号').buffer as ArrayBuffer)).rejects.toThrow(/not a readable XLSX workbook/);
  });
});

// The quote-free split (parseCsv's fast path) must read a file as papaparse's header rows do.
import Papa from 'papaparse';
describe('the quote-free CSV split', () => {
  const papa = (text: string) => {
    const res = Papa.parse<Record<string, string>>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
    return { fields: res.meta.fields ?? [], rows: res.data, errors: res.errors.map((e) => ({ row: (e.row ?? -1) + 1, message: e.message })) };
  };
  it.each([
    'id,lon,lat\n1,2,3\n', '\ufeffid, lon ,lat\r\n1,2,3\r\n4,5\r\n6,7,8,9,10\r\n,,\r\n  \r\n7,8,9', 'a;b;c\n1;2;3\n4;5;6\n', 'a\tb\n1\t2\n',
    '\nid,x\n1,2\n', 'x\n1\n2\n3\n', 'id\n', 'a,b\r1,2\r3,4\r', 'a,b\n1,2\r\n3,4\n', 'a|b|c\n1|2|3', 'id,phone\n1,13812341234\n2,\n3', 'a,b\n1,2\n\u3000,\n3,4',
  ])('%j: the same fields, rows, short and long rows', (text) => {
    const t = parseCsv(text);
    const want = papa(text);
    expect({ fields: t.fields, rows: t.rows, errors: t.errors, length: t.length }).toEqual({ ...want, length: want.rows.length });
  });
  it('gives plain decimals as Number does, and blanks', () => {
    const t = parseCsv('x\n119.0926052\n-0.5\n+3\n12.\n.5\n1e3\n 7\n\nabc\n1234567890123456789\n');
    const { values, blank } = t.numbers('x');
    expect(Array.from(values)).toEqual(['119.0926052', '-0.5', '+3', '12.', '.5', '1e3', ' 7', 'abc', '1234567890123456789'].map(Number));
    expect(Array.from(blank)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
