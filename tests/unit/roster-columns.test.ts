// A roster read straight into the engine's columns (prepareHouseholdTable, what npm run check
// uses) must give what the feature path gives (prepareLayer, then householdsFromFeatures):
// the same rows rejected with the same messages in the same order, the same ids, building ids,
// residents and positions, and the same personal columns.
import { describe, expect, it } from 'vitest';
import { prepareHouseholdTable, prepareLayer, readAnyFile, type ReadFile } from '../../src/workspace/importFile';
import { householdsFromFeatures, PERSONAL_PREFIX } from '../../src/io/layers';
import { guessFields } from '../../src/io/fieldGuess';
import type { SourceCrs } from '../../src/io/crs';

async function read(text: string, name = 'roster.csv'): Promise<ReadFile> {
  return (await readAnyFile(name, new TextEncoder().encode(text)))[0];
}

function both(f: ReadFile, overrides: Record<string, string> = {}, crs: SourceCrs = { kind: 'wgs84' }) {
  const mapping = { ...guessFields('households', f.columns), ...overrides };
  const old = prepareLayer(f, 'households', mapping, crs);
  const now = prepareHouseholdTable(f, mapping, crs);
  return { old, oldColumns: householdsFromFeatures(old.features), now };
}

/** Columns the feature path kept under personal: names (and took away from every feature). */
function personalOf(features: { properties: Record<string, unknown> | null }[]): string[] {
  const out = new Set<string>();
  for (const x of features) for (const k of Object.keys(x.properties ?? {})) if (k.startsWith(PERSONAL_PREFIX)) out.add(k.slice(PERSONAL_PREFIX.length));
  return [...out].sort();
}

function expectSame(r: ReturnType<typeof both>) {
  const { old, oldColumns, now } = r;
  expect(now.rejected).toEqual(old.rejected);
  expect(now.households.ids).toEqual(oldColumns.ids);
  expect(now.households.buildingIds).toEqual(oldColumns.buildingIds);
  expect(Array.from(now.households.residents)).toEqual(Array.from(oldColumns.residents));
  // NaN where there is no point, compared as NaN
  expect(Array.from(now.households.positions).map(String)).toEqual(Array.from(oldColumns.positions).map(String));
  expect(now.conversion).toEqual(old.conversion);
  expect(now.outsideChina).toBe(old.outsideChina);
  expect([...now.personal].sort()).toEqual(personalOf(old.features as never));
}

// Quotes (a delimiter and a line break inside), blank cells, bad coordinates (text, lat/lon
// swapped, out of range, blank lat with lon given), a duplicate id, a blank id, an id of spaces,
// a short and a long row, residents as text, a remarks column with a phone number in it.
const MESSY = [
  'id,building_id,residents,lon,lat,remarks,note',
  '1,B1,3,119.1,36.7,,plain',
  '2,"B,2",2,119.2,36.8,"家里电话 0536-8123456",x',
  '"3",B3,,119.3,,,"two\nlines"',
  '4,B4,four,abc,36.7,,',
  '5,B5,1,36.7,119.1,,',
  '6,B6,1,200,95,,',
  '1, B1 ,2,119.1,36.7,,dup',
  ',B7,1,119.1,36.7,,no id',
  '   ,B8,1,119.1,36.7,,spaces',
  '9,B9,1,119.1',
  '10,B10,1,119.1,36.7,,,extra,cells',
  '11,,0, ,36.7,,',
  '12,B12,1,119.5,nope,,',
  '13,B13, 2 ,,,,',
].join('\n');

describe('a roster straight into columns', () => {
  it('rejects, keeps and reads as the feature path does (papaparse: quotes)', async () => {
    const f = await read(MESSY);
    const r = both(f);
    expectSame(r);
    // not vacuous: the messy rows are there, and were told apart
    expect(r.now.rows).toBe(14);
    expect(r.now.rejected.map((x) => `${x.id}: ${x.code}`)).toEqual([
      '5: lat_lon', '6: not_degrees', '#8: missing_property', '#9: missing_property', '9: malformed_row', '10: malformed_row',
    ]);
    expect(r.now.households.ids).toEqual(['1', '2', '3', '4', '1', '11', '12', '13']);
    // as today: a blank lat beside a lon is latitude 0; a lon that is no number leaves the row without a point
    expect(Array.from(r.now.households.positions.slice(4, 8))).toEqual([119.3, 0, NaN, 36.7]);
    expect(Array.from(r.now.households.residents)).toEqual([3, 2, -1, -1, 2, 0, 1, 2]);
    expect(r.now.households.buildingIds).toEqual(['B1', 'B,2', 'B3', 'B4', 'B1', '', 'B12', 'B13']);
    expect(r.now.personal).toEqual(['remarks']);
  });

  it('the same without quotes (the quote-free split)', async () => {
    const f = await read(MESSY.replace(/"B,2"/, 'B2').replace(/"/g, '').replace('two\nlines', 'two lines'));
    expect(f.table!.errors.length).toBeGreaterThan(0);
    const r = both(f);
    expectSame(r);
    expect(r.now.households.ids.filter((x) => x === '1')).toHaveLength(2); // a duplicate id is the engine's to find
  });

  it('an unclosed quote: the rows it swallows are set aside alike', async () => {
    const r = both(await read('id,lon,lat\n1,119.1,36.7\n2,"119.2,36.8\n3,119.3,36.7\n'));
    expectSame(r);
    expect(r.now.rejected.map((x) => x.code)).toContain('unclosed_quote');
  });

  it('Chinese headers, a personal column by name and by value, a personal mapping that takes a column away', async () => {
    const text = ['户编号,楼栋编号,家庭人口,户主姓名,联系电话,身份证,备注,经度,纬度',
      'H1,L1,3,张三,13812341234,110101199003074258,,119.1,36.7',
      'H2,L2,,李四,,,13912345678,119.2,36.8',
      'H3,L3,2,王五,,,,,'].join('\r\n');
    const f = await read(text);
    const r = both(f);
    expectSame(r);
    expect(r.now.personal).toEqual(['备注']); // 身份证 is mapped (id_card): personal under its own name
    expect(guessFields('households', f.columns).id_card).toBe('身份证');
    // head_name mapped onto a column named building_id: personal data lives only under its own
    // name, so the feature path drops that column, and the building ids with it
    const taken = both(await read('id,building_id,lon,lat\nH1,张三,119.1,36.7\nH2,李四,,\n'), { head_name: 'building_id' });
    expectSame(taken);
    expect(taken.now.households.buildingIds).toEqual(['', '']);
  });

  it('a converted system (GCJ-02) converts the points alike, and says so', async () => {
    const r = both(await read('id,lon,lat\n1,119.1,36.7\n2,,\n3,119.2,36.8\n'), {}, { kind: 'gcj02' });
    expectSame(r);
    expect(r.now.conversion).toMatchObject({ kind: 'gcj02', features: 3 });
    expect(r.now.households.positions[0]).not.toBe(119.1);
  });

  it('points outside China are counted as kept', async () => {
    const r = both(await read('id,lon,lat\n1,2.35,48.85\n2,119.1,36.7\n'));
    expectSame(r);
    expect(r.now.outsideChina).toBe(1);
  });
});
