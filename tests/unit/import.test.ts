// The import path a planner's files take: mapping guessed, values made canonical, rings
// repaired and said so, the unusable rejected by name (tests/fixtures/import).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessRole, prepareLayer, readAnyFile } from '../../src/workspace/importFile';
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

describe('import of cases', () => {
  const open311 = JSON.parse(readFileSync('tests/fixtures/open311/expected.json', 'utf8'))['malformed.json'];

  it('takes an Open311 requests file as cases, with its unusable entries rejected by name', async () => {
    const [file] = await readAnyFile('malformed.json', readFileSync('tests/fixtures/open311/malformed.json'));
    expect(file.format).toBe('open311');
    expect(guessRole(file)).toBe('cases');
    const r = prepareLayer(file, 'cases', guessFields('cases', file.columns), { kind: 'wgs84' });
    expect(r.features.map((f) => f.properties!.service_request_id)).toEqual(open311.cases.map((c: { service_request_id: string }) => c.service_request_id));
    expect(r.rejected.map((x) => x.id)).toEqual(open311.skipped.map((s: { id: string }) => s.id));
  });

  it('takes a CSV export of a case system: Chinese columns and statuses, GCJ-02 points converted', async () => {
    const csv = '事件编号,事件类别,办理状态,上报时间,办结时间,经度,纬度,事发地址\n'
      + 'A1,环境卫生,已办结,2026-10-30 08:00:00,2026-10-30 12:00:00,119.1100,36.7000,胜利街1号\n'
      + 'A2,占道经营,办理中,2026-10-31 08:00:00,,119.1200,36.7100,胜利街2号\n'
      + 'A3,占道经营,办理中,,,119.1200,36.7100,没有上报时间\n';
    const [file] = await readAnyFile('cases.csv', new TextEncoder().encode(csv));
    expect(guessRole(file)).toBe('cases');
    const mapping = guessFields('cases', file.columns);
    expect(mapping).toMatchObject({ service_request_id: '事件编号', service_name: '事件类别', status: '办理状态', requested_datetime: '上报时间', closed_datetime: '办结时间', long: '经度', lat: '纬度', address: '事发地址' });
    const r = prepareLayer(file, 'cases', mapping, { kind: 'gcj02' });
    expect(r.features.map((f) => [f.properties!.service_request_id, f.properties!.status])).toEqual([['A1', 'closed'], ['A2', 'open']]);
    expect(r.rejected.map((x) => [x.id, x.code])).toEqual([['A3', 'bad_requested_datetime']]);
    expect(r.conversion.kind).toBe('gcj02');
    const [x] = (r.features[0].geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(x - 119.11)).toBeGreaterThan(1e-4); // moved by the GCJ-02 offset
    expect(r.features[0].properties!.long).toBe(x);
  });
});

describe('layers outside China', () => {
  // Every layer alike: a place outside China is kept and counted, never refused for that alone.
  const square = (x: number, y: number) => [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]];
  it('keeps buildings, households and cases outside China, and says how many', async () => {
    const buildings = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'B1', 层数: 3 }, geometry: { type: 'Polygon', coordinates: square(119.1, 36.7) } },
      { type: 'Feature', properties: { id: 'B2', 层数: 3 }, geometry: { type: 'Polygon', coordinates: square(13.4, 52.5) } }, // Berlin
    ] };
    const [bf] = await readAnyFile('footprints.geojson', new TextEncoder().encode(JSON.stringify(buildings)));
    const b = prepareLayer(bf, 'buildings', guessFields('buildings', bf.columns), { kind: 'wgs84' });
    expect([b.features.length, b.rejected.length, b.outsideChina]).toEqual([2, 0, 1]);

    const roster = '户编号,楼栋编号,家庭人口,经度,纬度\nR1,B1,3,119.1005,36.7005\nR2,B2,2,13.4005,52.5005\nR3,B1,2,,\n';
    const [hf] = await readAnyFile('roster.csv', new TextEncoder().encode(roster));
    const h = prepareLayer(hf, 'households', guessFields('households', hf.columns), { kind: 'wgs84' });
    expect([h.features.length, h.rejected.length, h.outsideChina]).toEqual([3, 0, 1]);

    const cases = '事件编号,事件类别,办理状态,上报时间,经度,纬度\n'
      + 'C1,环境卫生,办理中,2026-10-30 08:00:00,119.11,36.70\n'
      + 'C2,环境卫生,办理中,2026-10-30 08:00:00,-74.0,40.7\n' // New York
      + 'C3,环境卫生,办理中,2026-10-30 08:00:00,39500000,4063000\n'; // metres, not degrees
    const [cf] = await readAnyFile('cases.csv', new TextEncoder().encode(cases));
    const c = prepareLayer(cf, 'cases', guessFields('cases', cf.columns), { kind: 'wgs84' });
    expect(c.features.map((f) => f.properties!.service_request_id)).toEqual(['C1', 'C2']);
    expect(c.rejected.map((x) => [x.id, x.code])).toEqual([['C3', 'projected_location']]);
    expect(c.outsideChina).toBe(1);
  });
});
