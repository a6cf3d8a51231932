// Workspaces in IndexedDB (fake-indexeddb here; the browser test uses the real one).
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces } from '../../src/store/workspaces';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { assembleDistrict } from '../../src/workspace/assemble';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';

const fixture = JSON.parse(readFileSync('tests/fixtures/engine/rules.geojson', 'utf8'));
const of = (layer: string) => fixture.features.filter((f: any) => f.properties.layer === layer);

describe('workspaces', () => {
  it('save layers, survive a reopen of the database, and keep the field mapping', async () => {
    const name = `test-${Math.random()}`;
    const ws = new Workspaces(new GridScopeDB(name));
    const w = await ws.create('奎文区 2026 网格调整');
    await ws.saveLayer(w.id, 'grids', of('grids'), { file: 'grids.shp.zip', notes: [{ key: 'import.encoding.guess-gbk', values: { layer: 'grids' } }] }, { code: 'WGBM' });
    await ws.saveLayer(w.id, 'buildings', of('buildings'), { file: 'buildings.fgb', notes: [] });

    const again = new Workspaces(new GridScopeDB(name)); // as after a reload
    expect((await again.list()).map((x) => x.name)).toEqual(['奎文区 2026 网格调整']);
    const { workspace, layers, rows } = await again.load(w.id);
    expect(workspace.mappings).toEqual({ grids: { code: 'WGBM' } });
    expect(layers.grids!.map((f) => f.properties!.code)).toEqual(of('grids').map((f: any) => f.properties.code));
    expect(layers.buildings!.map((f) => f.geometry)).toEqual(of('buildings').map((f: any) => f.geometry));
    expect(rows.find((r) => r.role === 'grids')!.source.notes).toEqual([{ key: 'import.encoding.guess-gbk', values: { layer: 'grids' } }]);
    expect(rows).toHaveLength(2); // one row per layer, not per feature
  });

  it('replace a layer on a new save, and delete a workspace with its layers', async () => {
    const db = new GridScopeDB(`test-${Math.random()}`);
    const ws = new Workspaces(db);
    const w = await ws.create('A');
    await ws.saveLayer(w.id, 'grids', of('grids'), { file: 'a', notes: [] });
    await ws.saveLayer(w.id, 'grids', of('grids').slice(0, 2), { file: 'b', notes: [] });
    expect((await ws.load(w.id)).layers.grids).toHaveLength(2);
    await ws.remove(w.id);
    expect(await ws.list()).toEqual([]);
    expect(await db.layers.count()).toBe(0);
  });

  it('refuse to save into a workspace that does not exist, changing nothing', async () => {
    const db = new GridScopeDB(`test-${Math.random()}`);
    await expect(new Workspaces(db).saveLayer('nope', 'grids', of('grids'), { file: 'x', notes: [] })).rejects.toThrow(/no workspace nope/);
    expect(await db.layers.count()).toBe(0);
  });
});

describe('workspace rosters', () => {
  it('keep rows without points (and those with) through a save', async () => {
    const ws = new Workspaces(new GridScopeDB(`test-${Math.random()}`));
    const w = await ws.create('R');
    // A roster row without a point has a null geometry (GeoJSON allows it; the types do not).
    const rows = [
      { type: 'Feature' as const, properties: { id: 'R1', building_id: 'B1', residents: '3' }, geometry: null },
      { type: 'Feature' as const, properties: { id: 'R2', building_id: 'B1', residents: '2' }, geometry: { type: 'Point' as const, coordinates: [119.1, 36.7] } },
    ] as unknown as Feature[];
    await ws.saveLayer(w.id, 'households', rows, { file: 'roster.csv', notes: [] });
    expect((await ws.load(w.id)).layers.households).toEqual(rows);
  });
});

describe('workspace files', () => {
  const roster = [
    { type: 'Feature', properties: { id: 'R1', building_id: 'B1', unit: 1, room: '101', residents: 3, head_name: '张三丰', phone: '13812341234' }, geometry: null },
    { type: 'Feature', properties: { id: 'R2', building_id: 'B1', unit: 1, room: '102', residents: 2, head_name: '李四', phone: '13987654321' }, geometry: { type: 'Point', coordinates: [119.1, 36.7] } },
  ] as unknown as Feature[];

  async function saved() {
    const ws = new Workspaces(new GridScopeDB(`test-${Math.random()}`));
    const w = await ws.create('奎文区 网格调整');
    await ws.saveLayer(w.id, 'grids', of('grids'), { file: 'grids.zip', notes: [{ key: 'import.encoding.cpg' }] }, { code: 'WGBM' });
    await ws.saveLayer(w.id, 'households', roster, { file: 'roster.xlsx', notes: [] });
    return { ws, w };
  }

  it('export a whole workspace as one file and bring it back as a new workspace, without personal data unless asked', async () => {
    const { ws, w } = await saved();
    const file = await ws.exportArchive(w.id);
    const back = await ws.importArchive(file, 'x.gridscope');
    expect(back.id).not.toBe(w.id);
    expect(back.name).toBe('奎文区 网格调整 (2)'); // the original is not overwritten
    expect(back.mappings).toEqual({ grids: { code: 'WGBM' } });
    const a = await ws.load(w.id);
    const b = await ws.load(back.id);
    expect(b.layers.grids).toEqual(a.layers.grids);
    expect(b.rows.find((r) => r.role === 'grids')!.source).toEqual({ file: 'grids.zip', notes: [{ key: 'import.encoding.cpg' }] });
    expect(b.layers.households!.map((f) => f.geometry)).toEqual(roster.map((f) => f.geometry));
    expect(b.layers.households!.map((f) => f.properties!.head_name)).toEqual([undefined, undefined]);
    expect(b.layers.households!.map((f) => f.properties!.phone)).toEqual([undefined, undefined]);
    expect(new TextDecoder().decode(file)).not.toContain('1381234'); // not in the file at all

    const withPersonal = await ws.importArchive(await ws.exportArchive(w.id, { includePersonal: true }), 'y.gridscope');
    expect((await ws.load(withPersonal.id)).layers.households).toEqual(roster);
  });

  it('refuse a broken workspace file whole, naming it and what is wrong, adding nothing', async () => {
    const { ws, w } = await saved();
    const good = unzipSync(await ws.exportArchive(w.id));
    const before = (await ws.list()).length;
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello'), /bad\.gridscope: not a GridScope workspace file \(not a zip\)/],
      [zipSync({ 'a.txt': new Uint8Array(1) }), /no workspace\.json/],
      [zipSync({ ...good, 'grids.geo.json': good['grids.geo.json'].slice(0, 100) }), /bad\.gridscope: grids\.geo\.json is not valid JSON/],
      [zipSync({ ...good, 'grids.geo.json': strToU8(JSON.stringify({ ...JSON.parse(strFromU8(good['grids.geo.json'])), coords: [1, 2] })) }), /bad\.gridscope: grids\.geo\.json: entry 0 of ringEnds ends at \d+, past the 1 there are/],
      [zipSync({ 'workspace.json': good['workspace.json'] }), /grids\.geo\.json is missing/],
    ];
    for (const [bytes, message] of cases) await expect(ws.importArchive(bytes, 'bad.gridscope')).rejects.toThrow(message);
    expect((await ws.list()).length).toBe(before);
  });

  it('rename a workspace', async () => {
    const { ws, w } = await saved();
    await ws.rename(w.id, '  新名字 ');
    expect((await ws.list()).map((x) => x.name)).toEqual(['新名字']);
    await expect(ws.rename(w.id, ' ')).rejects.toThrow(/needs a name/);
  });

  it('open as a district: the missing layers empty, the roster matched by building id', async () => {
    const { ws, w } = await saved();
    const { workspace, layers } = await ws.load(w.id);
    const d = assembleDistrict(rawLayersOf(workspace, layers), Date.now());
    expect(d.meta.district_name).toBe('奎文区 网格调整');
    expect(d.meta.district_code).toBe('370705');
    expect(d.grids.map((g) => g.properties.code)).toEqual(of('grids').map((f: any) => f.properties.code).sort());
    expect(d.households.count).toBe(2);
    expect(d.buildings.count).toBe(0);
    expect(d.cases.count).toBe(0);
  });
});
