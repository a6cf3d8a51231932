import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import { gridsFlatGeobuf, gridsGeoJSON, householdAssignmentCsv } from '../../src/io/export';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { parseCsv } from '../../src/io/csv';
import { zhCN } from '../../src/i18n/zh-CN';
import { readLayeredFixture } from '../support/fixtures';

describe('exports', () => {
  const input = readLayeredFixture('tests/fixtures/engine/rules.geojson');
  const { assignment } = runChecks(input);

  it('write grids as GeoJSON and FlatGeobuf that read back the same', async () => {
    const grids = assignment.grids;
    expect(JSON.parse(gridsGeoJSON(grids)).features.map((f: any) => f.properties.code)).toEqual(grids.map((g) => g.properties.code));
    const back = await readFlatGeobuf(gridsFlatGeobuf(grids));
    expect(back.map((f) => f.geometry)).toEqual(grids.map((g) => g.geometry));
    expect(back.map((f) => f.properties!.name)).toEqual(grids.map((g) => g.properties.name));
  });

  it('write the household → grid assignment as Excel CSV with Chinese headers', () => {
    const csv = householdAssignmentCsv(input.households, assignment, zhCN);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const t = parseCsv(csv);
    expect(t.fields).toEqual(['户编号', '楼栋编号', '网格编码', '网格名称']);
    expect(t.rows.find((r) => r['户编号'] === 'H5')!['网格编码']).toBe('370705001001002');
    expect(t.rows.find((r) => r['户编号'] === 'H9')!['网格编码']).toBe('');
  });
});
