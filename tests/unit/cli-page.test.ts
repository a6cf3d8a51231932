// The same files give the same report in the CLI and in the page: the CLI reads them with the
// import's own file → canonical features step, the page imports them into a workspace
// (IndexedDB: fake-indexeddb here) and checks what it reopens. Grids without `kind`, without
// a boundary, with a self-intersecting ring, and a roster CSV with Chinese headers.
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces, type WorkspaceRole } from '../../src/store/workspaces';
import { assembleDistrict } from '../../src/workspace/assemble';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';
import { prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { guessFields } from '../../src/io/fieldGuess';
import { defaultCrs } from '../../src/io/crs';
import type { Report } from '../../src/checks/report';

const dir = mkdtempSync(join(tmpdir(), 'gridscope-cli-page-'));
const fixture = JSON.parse(readFileSync('tests/fixtures/land/block-no-boundary.geojson', 'utf8'));
// Grids as a GIS export gives them: codes and names only (no kind, no community), one ring twisted.
const grids = fixture.features.filter((f: any) => f.properties.role === 'grid').map((f: any, i: number) => ({
  type: 'Feature', properties: { WGBM: f.properties.code, 名称: f.properties.name },
  geometry: i === 8 ? { type: 'Polygon', coordinates: [[[119.104, 36.7], [119.106, 36.702], [119.106, 36.7], [119.104, 36.702], [119.104, 36.7]]] } : f.geometry,
}));
const files = {
  grids: join(dir, 'grids.geojson'),
  households: join(dir, 'roster.csv'),
};
writeFileSync(files.grids, JSON.stringify({ type: 'FeatureCollection', features: grids }));
writeFileSync(files.households, '\ufeff户编号,经度,纬度,人数\nH1,119.1031,36.7031,3\nH2,119.1011,36.7011,2\nH3,119.1049,36.7005,0\nH4,119.2,36.8,1\n');

async function viaPage(): Promise<Report> {
  const ws = new Workspaces(new GridScopeDB(`cli-page-${Math.random()}`));
  const w = await ws.create('对照');
  for (const [role, path] of Object.entries(files) as ['grids' | 'households', string][]) {
    const [file] = await readAnyFile(basename(path), new Uint8Array(readFileSync(path)));
    const prepared = prepareLayer(file, role, guessFields(role, file.columns), defaultCrs(file.crsGuess));
    await ws.saveLayer(w.id, role as WorkspaceRole, prepared.features, { file: file.name, notes: [] });
  }
  const { workspace, layers, cases } = await ws.load(w.id);
  return assembleDistrict(rawLayersOf(workspace, layers, cases), Date.now()).report;
}

describe('CLI and page', () => {
  it('give the same report on the same files', async () => {
    const out = join(dir, 'report.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', files.grids, '--households', files.households, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const cli: Report = JSON.parse(readFileSync(out, 'utf8'));
    const page = await viaPage();
    // The page shows what reading rejected and repaired at import; the CLI puts it in the report.
    expect(cli.repaired.map((x) => [x.id, x.code])).toEqual([['370705001001009', 'self_intersecting']]);
    const strip = (x: Report) => ({ ...x, skipped: [], repaired: [], summary: { ...x.summary, skipped: 0, repaired: 0 } });
    expect(strip(page)).toEqual(strip(cli));
    // Grids with no `kind` are base grids in both (rule 5 judges them; the totals say so).
    expect(cli.summary.totals.base_grids).toBe(9);
    expect(cli.grids.every((g) => g.band !== null)).toBe(true);
    // No boundary: overlaps found, land not scored.
    expect(cli.summary.counts.overlap).toBe(8);
    expect(cli.summary.scores.land).toBeNull();
    expect(cli.summary.checks.land).toEqual({ status: 'partial', note: 'no_boundary' });
    expect(r.stdout).toMatch(/land .* partial \(no boundary\)/);
    expect(cli.summary.scores.buildings).toBeNull();
    expect(cli.summary.checks.buildings).toEqual({ status: 'no_data', note: 'no_buildings' });
  });

  it('the CLI says which --map a polygon file without codes needs, and when a name stands in for the code', () => {
    const unnamed = join(dir, 'unnamed.geojson');
    writeFileSync(unnamed, JSON.stringify({ type: 'FeatureCollection', features: grids.map((g: any) => ({ ...g, properties: { grid_no: g.properties.WGBM, remark: 'x' } })) }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', unnamed], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no column for the grids "code"');
    expect(r.stderr).toContain('--map grids.code=grid_no');
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', unnamed, '--map', 'grids.code=grid_no'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(1);
    // A layer with a name and no code: the name serves, and the CLI says so.
    const named = join(dir, 'named.geojson');
    writeFileSync(named, JSON.stringify({ type: 'FeatureCollection', features: grids.map((g: any) => ({ ...g, properties: { name: g.properties.WGBM } })) }));
    const n = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', named], { encoding: 'utf8' });
    expect(n.status, n.stderr).toBe(1);
    expect(n.stdout).toContain('no code column; the "name" column serves as the grids code');
  });
});
