// The import path a planner's files take: mapping guessed, values made canonical, rings
// repaired and said so, the unusable rejected by name (tests/fixtures/import).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { guessFields } from '../../src/io/fieldGuess';

const dir = 'tests/fixtures/import';
const expected = JSON.parse(readFileSync(`${dir}/gis-grids.expected.json`, 'utf8'));

describe('import of grids from a GIS', () => {
  it('guess the mapping, normalise kinds and bands, repair rings and reject what has no code', async () => {
    const [file] = await readAnyFile('gis-grids.geojson', readFileSync(`${dir}/gis-grids.geojson`));
    const mapping = guessFields('grids', file.columns);
    expect(mapping).toEqual(expected.mapping_guess);
    const r = prepareLayer(file, 'grids', mapping, { kind: 'wgs84' });
    expect(r.features.map((f) => f.properties!.code)).toEqual(expected.imported);
    expect(r.rejected.map((x) => ({ id: x.id, code: x.code }))).toEqual(expected.rejected);
    expect(r.repaired).toEqual(expected.repaired);
    for (const f of r.features) {
      const p = f.properties!;
      expect(p.kind, p.code).toBe(expected.kinds[p.code]);
      if (expected.bands[p.code]) expect([p.band_min, p.band_max], p.code).toEqual(expected.bands[p.code]);
      expect(p.community_code).toBe(p.code.slice(0, 12));
    }
    const closed = r.features.find((f) => f.properties!.code === '370705001001002')!.geometry as any;
    expect(closed.coordinates[0][0]).toEqual(closed.coordinates[0].at(-1));
  });

  it('keep 户主 and phone only under their canonical names', async () => {
    const csv = '户编号,楼栋编号,单元,房号,家庭人口,户主姓名,联系电话\nR1,B1,1,101,3,张三丰,13812341234\n';
    const [file] = await readAnyFile('roster.csv', new TextEncoder().encode(csv));
    const mapping = guessFields('households', file.columns);
    const { features } = prepareLayer(file, 'households', mapping, { kind: 'wgs84' });
    // A roster without lon/lat has no point: the row is kept, to be matched by building id.
    expect(features).toHaveLength(1);
    expect(features[0].geometry).toBeNull();
    const p = features[0].properties!;
    expect(p).toMatchObject({ id: 'R1', building_id: 'B1', unit: 1, room: '101', residents: 3, head_name: '张三丰', phone: '13812341234' });
    expect(p['户主姓名']).toBeUndefined();
    expect(p['联系电话']).toBeUndefined();
  });
});
