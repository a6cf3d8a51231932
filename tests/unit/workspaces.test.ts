// Workspaces in IndexedDB (fake-indexeddb here; the browser test uses the real one).
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces } from '../../src/store/workspaces';

const fixture = JSON.parse(readFileSync('tests/fixtures/engine/rules.geojson', 'utf8'));
const of = (layer: string) => fixture.features.filter((f: any) => f.properties.layer === layer);

describe('workspaces', () => {
  it('save layers, survive a reopen of the database, and keep the field mapping', async () => {
    const name = `test-${Math.random()}`;
    const ws = new Workspaces(new GridScopeDB(name));
    const w = await ws.create('奎文区 2026 网格调整');
    await ws.saveLayer(w.id, 'grids', of('grids'), { file: 'grids.shp.zip', notes: ['encoding GBK (guessed)'] }, { code: 'WGBM' });
    await ws.saveLayer(w.id, 'buildings', of('buildings'), { file: 'buildings.fgb', notes: [] });

    const again = new Workspaces(new GridScopeDB(name)); // as after a reload
    expect((await again.list()).map((x) => x.name)).toEqual(['奎文区 2026 网格调整']);
    const { workspace, layers, rows } = await again.load(w.id);
    expect(workspace.mappings).toEqual({ grids: { code: 'WGBM' } });
    expect(layers.grids!.map((f) => f.properties!.code)).toEqual(of('grids').map((f: any) => f.properties.code));
    expect(layers.buildings!.map((f) => f.geometry)).toEqual(of('buildings').map((f: any) => f.geometry));
    expect(rows.find((r) => r.role === 'grids')!.source.notes).toEqual(['encoding GBK (guessed)']);
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
