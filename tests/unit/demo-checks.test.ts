// Issue 3's acceptance on the embedded demo: the checks find every defect the generator
// planted (data/demo/planted.json) and nothing else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { householdsFromFeatures } from '../../src/io/layers';
import type { PlantedDefects } from '../../src/domain/types';

const read = async (name: string) => readFlatGeobuf(new Uint8Array(readFileSync(`data/demo/${name}.fgb`)));
const pair = (ids: string[]) => [...ids].sort().join('|');

describe('coverage checks on the demo district', async () => {
  const planted: PlantedDefects = JSON.parse(readFileSync('data/demo/planted.json', 'utf8'));
  const { report } = runChecks({
    boundaries: (await read('boundaries')) as never,
    grids: (await read('grids')) as never,
    buildings: (await read('buildings')) as never,
    households: householdsFromFeatures(await read('households')),
  });
  const of = (kind: string) => report.findings.filter((f) => f.kind === kind);

  it('finds the planted gaps and overlaps, with their areas', () => {
    for (const [kind, list] of [['gap', planted.gaps], ['overlap', planted.overlaps]] as const) {
      expect(of(kind).map((f) => pair(f.ids)).sort()).toEqual(list.map((p) => pair(p.grids)).sort());
      for (const p of list) {
        const f = of(kind).find((x) => pair(x.ids) === pair(p.grids))!;
        expect(Math.abs(f.measure.area_m2! - p.approx_area_m2) / p.approx_area_m2).toBeLessThan(0.01);
      }
    }
  });

  it('finds the planted straddling buildings', () => {
    expect(of('straddling_building').map((f) => f.ids[0]).sort()).toEqual(planted.straddling_buildings.map((b) => b.building_id).sort());
  });

  it('finds the grids outside their band', () => {
    const got = [...of('under_band'), ...of('over_band')].map((f) => `${f.ids[0]}:${f.measure.count}`).sort();
    expect(got).toEqual(planted.grids_outside_band.map((g) => `${g.grid}:${g.households}`).sort());
  });

  it('finds the households without residents and the dangling roster rows', () => {
    expect(of('no_residents').map((f) => f.ids[0]).sort()).toEqual([...planted.households_without_residents].sort());
    expect(of('dangling_household').map((f) => f.ids.join('→')).sort()).toEqual(planted.dangling_households.map((h) => `${h.id}→${h.building_id}`).sort());
  });

  it('finds nothing else', () => {
    const expected = planted.gaps.length + planted.overlaps.length + planted.straddling_buildings.length
      + planted.grids_outside_band.length + planted.households_without_residents.length + planted.dangling_households.length;
    expect(report.findings.map((f) => f.kind).filter((k, i, a) => a.indexOf(k) === i).sort())
      .toEqual(['dangling_household', 'gap', 'no_residents', 'over_band', 'overlap', 'straddling_building', 'under_band']);
    expect(report.findings).toHaveLength(expected);
    expect(report.skipped).toEqual([]);
  });
});
