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
