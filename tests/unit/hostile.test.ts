// Hostile and careless input (tests/fixtures/hostile, made by scripts/fixtures/make-hostile.mts,
// and larger cases made here): every file ends in a clean import or a refusal naming the file
// and what is wrong, in bounded time — never a hang, a crash, a stack trace, a leak of personal
// data, or a formula Excel would run.
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { guessRole, prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { guessFields } from '../../src/io/fieldGuess';
import { fileErrorOf } from '../../src/io/fileError';
import { toExcelCsv } from '../../src/io/csv';
import { householdsForExport, districtShapefileZip } from '../../src/io/export';
import { FEED_LIMITS, fetchOpen311, parseOpen311 } from '../../src/io/open311';
import { checkOrigin, guardedFetch } from '../../src/io/guardedFetch';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces } from '../../src/store/workspaces';
import { Drafts } from '../../src/store/drafts';
import type { LayerRow } from '../../src/store/db';
import { isIdCard, isMobile, maskIdCard } from '../../src/domain/privacy';
import { connectOrigins } from '../../vite.config';
import type { BuildingFeature, HouseholdFeature } from '../../src/domain/types';
import { CoverageChecker } from '../../src/checks/engine';
import { householdsFromFeatures } from '../../src/io/layers';

const dir = 'tests/fixtures/hostile';
const read = (name: string) => readAnyFile(name, new Uint8Array(readFileSync(`${dir}/${name}`)));
const scratch = mkdtempSync(join(tmpdir(), 'gridscope-hostile-'));

describe('FlatGeobuf cut anywhere', () => {
  it('refuses every cut of a file, by name, and never imports one a byte short', async () => {
    const full = readFileSync('data/demo/boundaries.fgb');
    for (let n = 0; n < full.length; n += n < 64 ? 1 : 97) {
      const e = await readAnyFile('cut.fgb', new Uint8Array(full.subarray(0, n))).then(() => null, (x: unknown) => x);
      expect(fileErrorOf(e)?.file, `cut at ${n} bytes`).toBe('cut.fgb');
    }
    for (const name of ['fgb-empty.fgb', 'fgb-magic-only.fgb', 'fgb-16-bytes.fgb', 'fgb-one-byte-short.fgb']) {
      await expect(read(name), name).rejects.toThrow(new RegExp(`^${name.replace('.', '\\.')}: (not a readable FlatGeobuf|cut short)`));
    }
  });
});

describe('zips', () => {
  it('refuses a zip bomb and archives too big to unpack before inflating them', async () => {
    await expect(read('zip-bomb.zip')).rejects.toThrow(/zip bomb/);
    // 200 entries of 10 MiB (2 GB unpacked) and one of 1 GiB, as their headers declare them
    // (small zeros inside, the sizes written over: what is checked is what a zip says it holds).
    const declaring = (entries: number, bytes: number) => {
      const zip = zipSync(Object.fromEntries(Array.from({ length: entries }, (_, k) => [`f${k}.shp`, new Uint8Array(2 ** 16)])), { level: 9 });
      const v = new DataView(zip.buffer);
      for (let i = 0; i + 46 < zip.length; i++) {
        if (v.getUint32(i, true) === 0x04034b50) v.setUint32(i + 22, bytes, true);
        if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, bytes, true);
      }
      return zip;
    };
    for (const [name, zip] of [['many.zip', declaring(200, 10 * 2 ** 20)], ['one-gib.zip', declaring(1, 2 ** 30)]] as const) {
      const before = process.memoryUsage().rss;
      const t = performance.now();
      await expect(readAnyFile(name, zip), name).rejects.toThrow(/would unpack to more than/);
      expect(performance.now() - t, name).toBeLessThan(5000);
      expect(process.memoryUsage().rss - before, name).toBeLessThan(256 * 2 ** 20);
    }
  });

  it('refuses a zip whose entries really are 200 × 10 MiB from its central directory, inflating none of them', async () => {
    // One real entry (10 MiB that inflate to 10 MiB), copied 200 times under other names: 2 MB
    // on disk, 2 GB declared and true. Before, 76 entries (760 MB) were inflated first.
    const one = zipSync({ 'f000.shp': new Uint8Array(10 * 2 ** 20) }, { level: 1 });
    const v = new DataView(one.buffer, one.byteOffset);
    const end = one.length - 22;
    const local = one.subarray(0, v.getUint32(end + 16, true));
    const central = one.subarray(local.length, end);
    const n = 200;
    const zip = new Uint8Array(n * (local.length + central.length) + 22);
    const z = new DataView(zip.buffer);
    for (let k = 0; k < n; k++) {
      const name = new TextEncoder().encode(`f${String(k).padStart(3, '0')}.shp`);
      zip.set(local, k * local.length);
      zip.set(name, k * local.length + 30);
      const c = n * local.length + k * central.length;
      zip.set(central, c);
      zip.set(name, c + 46);
      z.setUint32(c + 42, k * local.length, true); // where its local header is
    }
    zip.set(one.subarray(end), zip.length - 22);
    z.setUint16(zip.length - 22 + 8, n, true);
    z.setUint16(zip.length - 22 + 10, n, true);
    z.setUint32(zip.length - 22 + 12, n * central.length, true);
    z.setUint32(zip.length - 22 + 16, n * local.length, true);
    expect(Object.keys(unzipSync(zip, { filter: () => false }))).toEqual([]); // a well-formed archive
    const before = process.memoryUsage().rss;
    const t = performance.now();
    await expect(readAnyFile('two-gb.zip', zip)).rejects.toThrow(/^two-gb\.zip: refused: it would unpack to more than 768 MB/);
    expect(performance.now() - t).toBeLessThan(500);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  it('takes no more memory than a zip declares when an entry lies about its size', async () => {
    // 64 MiB inside, 1 KiB declared: inflated into the 1 KiB declared (and then not a Shapefile)
    const zip = zipSync({ 'a.shp': new Uint8Array(64 * 2 ** 20), 'a.dbf': new Uint8Array(10) }, { level: 1 });
    const v = new DataView(zip.buffer);
    for (let i = 0; i + 46 < zip.length; i++) {
      if (v.getUint32(i, true) === 0x04034b50 && zip[i + 30] === 0x61 && zip[i + 32] === 0x73) v.setUint32(i + 22, 1024, true);
      if (v.getUint32(i, true) === 0x02014b50 && zip[i + 46] === 0x61 && zip[i + 48] === 0x73) v.setUint32(i + 24, 1024, true);
    }
    const before = process.memoryUsage().rss;
    await expect(readAnyFile('lying.zip', zip)).rejects.toThrow(/^lying\.zip: /);
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * 2 ** 20);
  });

  it('refuses a Shapefile whose .dbf has fewer rows than its .shp has shapes', async () => {
    await expect(read('shp-dbf-mismatch.zip')).rejects.toThrow(/5 shapes but .*3 attribute rows/);
  });
});

describe('tables', () => {
  it('reads GBK and UTF-16 tables, and says which encoding it used', async () => {
    for (const [name, enc] of [['roster-gbk.csv', 'GBK'], ['roster-utf16.csv', 'UTF-16LE']]) {
      const [f] = await read(name);
      expect(f.columns, name).toEqual(['户编号', '楼栋编号', '人数']);
      expect(f.notes, name).toContainEqual({ key: 'import.encoding.table', values: { encoding: enc } });
    }
  });

  it('names the lines an unclosed quote swallows instead of merging them silently', async () => {
    const [f] = await read('roster-unterminated-quote.csv');
    const p = prepareLayer(f, 'households', guessFields('households', f.columns), { kind: 'wgs84' });
    expect(p.features.map((x) => x.properties!.id)).toEqual(['R1']);
    expect(p.rejected).toHaveLength(1);
    expect(p.rejected[0]).toMatchObject({ code: 'unclosed_quote', params: { from: 3, to: 5 } });
  });
});

describe('properties', () => {
  it('takes __proto__ and constructor keys as plain data, polluting nothing', async () => {
    const [f] = await read('prototype-keys.geojson');
    const p = prepareLayer(f, 'grids', guessFields('grids', f.columns), { kind: 'wgs84' });
    expect(p.features).toHaveLength(1);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reads codes given as numbers and nested values as text', async () => {
    const [f] = await read('numeric-codes.geojson');
    const p = prepareLayer(f, 'grids', guessFields('grids', f.columns), { kind: 'wgs84' });
    expect(p.features.map((x) => x.properties!.code)).toEqual(['370705001001001', '370705001001002']);
  });
});

describe('nesting 100,000 deep', () => {
  // JSON.parse reads it; turning such a value into text recursively overflowed the stack
  // ("Maximum call stack size exceeded", CLI exit 3, no file named).
  const depth = 100_000;
  const deepArray = '['.repeat(depth) + '"x"' + ']'.repeat(depth);
  const deepObject = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const sq = (x: number) => JSON.stringify([[[x, 36.7], [x + 0.002, 36.7], [x + 0.002, 36.702], [x, 36.702], [x, 36.7]]]);
  const feature = (props: string, geometry: string) => `{"type":"Feature","properties":{${props}},"geometry":${geometry}}`;
  const grid = (props: string, x: number) => feature(props, `{"type":"Polygon","coordinates":${sq(x)}}`);
  const collection = (...features: string[]) => new TextEncoder().encode(`{"type":"FeatureCollection","features":[${features.join(',')}]}`);
  // no kind or community column: the role is guessed from the names too
  const grids = collection(
    grid(`"code":"370705001001001","name":${deepArray}`, 119.1),
    grid(`"code":"370705001001002","name":"网格002","note":${deepObject}`, 119.102),
    grid(`"code":${deepArray},"name":"网格00x"`, 119.106),
    grid('"code":"370705001001003","name":"网格003"', 119.104),
  );
  const households = collection(
    feature(`"id":"H1","building_id":"B1","residents":2,"remark":${deepArray}`, '{"type":"Point","coordinates":[119.101,36.701]}'),
    feature('"id":"H2","building_id":"B1","residents":3', '{"type":"Point","coordinates":[119.101,36.7011]}'),
  );

  it('sets aside each feature with such a property, naming it and the property, imports the rest, and stores it', async () => {
    const [f] = await readAnyFile('deep.geojson', grids);
    expect(guessRole(f)).toBe('grids');
    const p = prepareLayer(f, 'grids', guessFields('grids', f.columns), { kind: 'wgs84' });
    expect(p.features.map((x) => x.properties!.code)).toEqual(['370705001001003']);
    expect(p.rejected.map((r) => [r.id, r.code, r.params.name])).toEqual([
      ['370705001001001', 'too_deep', 'name'], ['370705001001002', 'too_deep', 'note'], ['#3', 'too_deep', 'code'],
    ]);
    expect(p.rejected[0].reason).toBe('property "name" nests more than 32 levels deep (not an attribute: the feature is set aside)');
    const [h] = await readAnyFile('deep-roster.geojson', households);
    const ph = prepareLayer(h, 'households', guessFields('households', h.columns), { kind: 'wgs84' });
    expect(ph.features.map((x) => x.properties!.id)).toEqual(['H2']);
    expect(ph.rejected.map((r) => [r.id, r.code, r.params.name])).toEqual([['H1', 'too_deep', 'remark']]);
    // what was kept saves and reads back
    const ws = new Workspaces(new GridScopeDB(`deep-${Math.random()}`));
    const w = await ws.create('深层嵌套');
    await ws.saveLayer(w.id, 'grids', p.features, { file: f.name, notes: [] });
    expect((await ws.load(w.id)).layers.grids?.map((g) => g.properties?.code)).toEqual(['370705001001003']);
  });

  it('the CLI names the file and the features set aside, and checks the rest (not exit 3)', () => {
    const g = join(scratch, 'deep-grids.geojson');
    const h = join(scratch, 'deep-households.geojson');
    writeFileSync(g, grids);
    writeFileSync(h, households);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', g, '--households', h], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    expect(r.stdout).toContain(`${g}: 3 features set aside on reading`);
    expect(r.stdout).toContain(`${h}: 1 feature set aside on reading`);
    expect(r.stdout).toContain('grids 370705001001002: property "note" nests more than 32 levels deep');
    expect(r.stdout).toContain('households H1: property "remark" nests more than 32 levels deep');
    expect(r.stdout).toMatch(/— 1 grids .* 1 households/);
  });
});

describe('CSV for Excel', () => {
  it('neutralises cells Excel would run as formulas, keeping numbers numbers', () => {
    const csv = toExcelCsv(['=cmd', 'n'], [['=HYPERLINK("http://x","y")', -3], ['+1', 2], ['@SUM(A1)', 0], ['-2+3', 1], ['\tx', 1], ['plain', 4]]);
    const rows = csv.slice(1).split('\r\n').map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(rows[0][0]).toBe("'=cmd");
    for (const r of rows.slice(1, 6)) expect(r[0].replace(/^"/, '')).toMatch(/^'/);
    expect(rows[1][1]).toBe('-3');
    expect(rows[6][0]).toBe('plain');
  });
});

describe('personal data', () => {
  it('recognises mobile, landline and ID numbers by value', () => {
    expect(isMobile('13812341234')).toBe(true);
    expect(isMobile('+86 138 1234 1234')).toBe(true);
    expect(isMobile('23812341234')).toBe(false);
    expect(isIdCard('110101199003074258')).toBe(true);
    expect(isIdCard('110101199003074259')).toBe(false); // wrong check digit
    expect(isIdCard('11010119900307425X')).toBe(false);
    expect(maskIdCard('110101199003074258')).toBe('110101********4258');
  });

  it('keeps a roster\'s names, phones, ID numbers and contacts only as personal fields, and no export holds them unless included', async () => {
    const [f] = await read('roster-personal.csv');
    const p = prepareLayer(f, 'households', guessFields('households', f.columns), { kind: 'wgs84' });
    const props = p.features[0].properties!;
    expect(props).toMatchObject({ head_name: '张三丰', phone: '13812341234', id_card: '110101199003074258', contact: '李四', 'personal:备注': '家里电话 0536-8123456' });
    for (const k of ['户主姓名', '手机号码', '身份证号', '联系人', '备注']) expect(props, k).not.toHaveProperty(k);
    const secrets = ['13812341234', '110101199003074258', '0536-8123456', '张三丰', '李四', '15912345678'];

    // The workspace file: unzipped and read, not the compressed bytes searched.
    const ws = new Workspaces(new GridScopeDB(`hostile-${Math.random()}`));
    const w = await ws.create('带个人信息');
    await ws.saveLayer(w.id, 'households', p.features, { file: f.name, notes: [] });
    const contents = (zip: Uint8Array) => Object.values(unzipSync(zip)).map((b) => strFromU8(b)).join('\n');
    const without = contents(await ws.exportArchive(w.id, { includePersonal: false }));
    for (const s of secrets) expect(without, s).not.toContain(s);
    const withIt = contents(await ws.exportArchive(w.id, { includePersonal: true }));
    for (const s of secrets.slice(0, 5)) expect(withIt, s).toContain(s);

    // The Shapefile export: its .dbf as text.
    const dbfText = (zip: Uint8Array) => strFromU8(unzipSync(zip)['households.dbf']);
    const district = { boundaries: [], grids: [], buildings: [], households: p.features as HouseholdFeature[] };
    for (const s of secrets) expect(dbfText(districtShapefileZip(district)), s).not.toContain(s);
    expect(dbfText(districtShapefileZip(district, { includePersonal: true }))).toContain('13812341234');
    expect(Object.keys(householdsForExport(p.features as HouseholdFeature[])[0].properties!)).not.toContain('phone');
  });
});

/** What each hostile workspace file's refusal must say, after its name (made by scripts/fixtures/make-hostile-workspaces.mts). */
const WORKSPACE_REFUSALS: Record<string, RegExp> = {
  'ring-ends-backwards': /grids\.geo\.json: ringEnds goes backwards at entry 1/,
  'ring-ends-past': /grids\.geo\.json: entry 0 of ringEnds ends at 4294967295, past the \d+ there are/,
  'part-ends-past': /grids\.geo\.json: entry 1 of partEnds ends at 1000000, past the \d+ there are/,
  'feature-ends-backwards': /grids\.geo\.json: featureEnds goes backwards at entry 2/,
  'ends-negative': /grids\.geo\.json: entry 0 of ringEnds is not of the type the format says/,
  'two-million-bare-grids': /grids\.geo\.json: feature 1 has no geometry; this layer holds Polygon, MultiPolygon only/,
  'count-disagrees': /grids\.geo\.json holds 4 features, workspace\.json says 5/,
  'kinds-short': /grids\.geo\.json: column kinds holds 3 values, it should hold 4/,
  'kind-unknown': /grids\.geo\.json: entry 0 of kinds is not of the type the format says/,
  'point-of-three': /households\.geo\.json: feature 1 is a Point, but its parts, rings and points do not make one/,
  'grid-as-point': /grids\.geo\.json: feature 1 is a Point; this layer holds Polygon, MultiPolygon only/,
  'coords-as-text': /grids\.geo\.json: entry 0 of coords is not of the type/,
  'prop-column-short': /grids\.geo\.json: column props\.code holds 3 values, it should hold 4/,
  'two-grid-layers': /two layers of grids: a workspace holds one layer per role/,
  'grid-code-number': /grids\.geo\.json: the code of feature 1 is not text/,
  'grid-kind-evil': /grids\.geo\.json: the kind of grid 1 is <script>, not base or dedicated/,
  'layer-proto': /layer "__proto__" is not a layer GridScope knows/,
  'case-category-past': /cases\.columns\.json: entry 0 of category is 70000, it must be a whole number below 1/,
  'case-open-seven': /cases\.columns\.json: entry 0 of open is 7/,
  'case-positions-short': /cases\.columns\.json: column positions holds 1 values, it should hold 2/,
  'edits-misnumbered': /draft\.json: edit 2 is numbered 5/,
  'edits-done-past': /draft\.json: 99 edits are said to be applied, of 2/,
  'edit-unknown-kind': /draft\.json: edit 1 is of a kind GridScope does not know \(format_disk\)/,
  'edit-grid-of-nulls': /draft\.json: edit 2: grid 1 is not a grid/,
  'version-of-points': /draft\.json: version 1 is not a saved version/,
  'version-99': /made by a later GridScope \(workspace file version 99\)/,
  'draft-missing': /draft\.json is missing/,
};

describe('hostile workspace files', () => {
  const files = readdirSync(dir).filter((n) => n.startsWith('workspace-') && n !== 'workspace-good.gridscope');
  it('are all in the corpus, each with the refusal it must get', () => {
    expect(files.map((n) => n.slice('workspace-'.length, -'.gridscope'.length)).sort()).toEqual(Object.keys(WORKSPACE_REFUSALS).sort());
  });

  for (const name of files) {
    it(`${name}: refused by the import, naming it and what is wrong, in bounded time and memory, adding nothing`, async () => {
      const ws = new Workspaces(new GridScopeDB(`hostile-ws-${Math.random()}`));
      const bytes = new Uint8Array(readFileSync(`${dir}/${name}`));
      global.gc?.();
      const heap = process.memoryUsage().heapUsed;
      const t = performance.now();
      const e = await ws.importArchive(bytes, name).then(() => null, (x: Error) => x);
      const ms = performance.now() - t, grew = process.memoryUsage().heapUsed - heap;
      expect(e?.message, name).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: ${WORKSPACE_REFUSALS[name.slice(10, -10)].source}`));
      expect(fileErrorOf(e)).toMatchObject({ file: name }); // a code the page says in its language
      expect(ms, name).toBeLessThan(10_000);
      expect(grew, name).toBeLessThan(512 * 2 ** 20);
      expect(await ws.list()).toEqual([]);
    });
  }

  it('the good one they are made from imports and opens', async () => {
    const ws = new Workspaces(new GridScopeDB(`hostile-ws-${Math.random()}`));
    const w = await ws.importArchive(new Uint8Array(readFileSync(`${dir}/workspace-good.gridscope`)), 'good.gridscope');
    const { layers, cases } = await ws.load(w.id);
    expect(layers.grids).toHaveLength(4);
    expect(cases?.count).toBe(1);
    expect((await ws.history(w.id, new Drafts(ws['db'] as GridScopeDB))).done).toBe(2);
  });
});

describe('two million features without geometry', () => {
  it('are skipped by the checks, one by one, without overflowing the stack', () => {
    const bare = Array.from({ length: 2_000_000 }, (_, i) => ({ type: 'Feature', properties: { id: `B${i}` }, geometry: null })) as unknown as BuildingFeature[];
    const c = new CoverageChecker({ boundaries: [], grids: [], buildings: bare, households: householdsFromFeatures([]) });
    expect(c.report().summary.skipped).toBe(2_000_000);
  });
});

describe('a hostile workspace already in IndexedDB', () => {
  // Rows written by an older or buggy version, or by hand: opening is refused, naming the
  // workspace and what is wrong, before anything walks the columns (these made it hang at GBs).
  async function stored(change: (db: GridScopeDB, id: string) => Promise<unknown>) {
    const db = new GridScopeDB(`hostile-db-${Math.random()}`);
    const ws = new Workspaces(db);
    const w = await ws.importArchive(new Uint8Array(readFileSync(`${dir}/workspace-good.gridscope`)), 'good.gridscope');
    await change(db, w.id);
    const t = performance.now();
    const e = await Promise.all([ws.read(w.id), ws.history(w.id, new Drafts(db))]).then(() => null, (x: Error) => x);
    expect(performance.now() - t).toBeLessThan(5000);
    return e?.message;
  }
  const geo = (db: GridScopeDB, id: string, role: string, f: (g: NonNullable<LayerRow['geo']>) => void) =>
    db.layers.get(`${id}:${role}`).then((r) => { f(r!.geo!); return db.layers.put(r!); });

  it('refuses columns that do not add up or hold what the layer may not', async () => {
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { g.ringEnds[0] = 2 ** 32 - 1; }))).toMatch(/^敌意工作区: grids: entry 0 of ringEnds ends at 4294967295, past the \d+ there are/);
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { g.partEnds = Uint32Array.from([3, 2, 1, 4]); }))).toMatch(/^敌意工作区: grids: partEnds goes backwards at entry 1/);
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { g.kinds = new Uint8Array(4); }))).toMatch(/^敌意工作区: grids: feature 1 is a null, but its parts/);
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { g.coords = Array.from(g.coords) as unknown as Float64Array; }))).toMatch(/^敌意工作区: grids: column coords is missing or not of the type/);
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { (g.props.code as { ends: Uint32Array }).ends = new Uint32Array(2); }))).toMatch(/^敌意工作区: grids: column props\.code holds 2 values, it should hold 4/);
    expect(await stored((db, id) => geo(db, id, 'grids', (g) => { g.props.code = [1, 2, 3, 4]; }))).toMatch(/^敌意工作区: grids: the code of feature 1 is not text/);
    expect(await stored((db, id) => db.layers.update(`${id}:cases`, { 'cases.level': new Uint8Array([7]) }))).toMatch(/^敌意工作区: cases: entry 0 of level is 7/);
    expect(await stored((db, id) => db.workspaces.update(id, { mappings: 'evil' as never }))).toMatch(/^敌意工作区: workspace: the remembered field mappings/);
  });

  it('refuses a draft whose edits are misnumbered, of unknown kinds or counted past their end', async () => {
    expect(await stored((db, id) => db.edits.update([id, 2], { 'edit.seq': 7 }))).toMatch(/^敌意工作区: draft: edit 2 is numbered 7/);
    expect(await stored((db, id) => db.edits.update([id, 1], { 'edit.op': { type: 'rm -rf' } as never }))).toMatch(/^敌意工作区: draft: edit 1 is of a kind GridScope does not know/);
    expect(await stored((db, id) => db.edits.update([id, 1], { 'edit.change.after': [{ type: 'Feature', properties: { code: 'x' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, Infinity], [1, 1], [0, 0]]] } }] as never }))).toMatch(/^敌意工作区: draft: edit 1: grid 2 is not a grid/);
    expect(await stored((db, id) => db.workspaces.update(id, { editsDone: -3 }))).toMatch(/^敌意工作区: draft: -3 edits are said to be applied, of 2/);
  });
});

describe('the CLI on every hostile file', () => {
  // (the workspace files are the console's: the CLI reads data files, and refuses them as such)
  for (const name of readdirSync(dir).filter((n) => !n.endsWith('.json') && !n.startsWith('workspace-'))) {
    it(`${name}: a clean check or a refusal naming it (exit 0, 1 or 2), in bounded time, no stack trace`, () => {
      const role = name.startsWith('roster') ? ['--grids', 'tests/fixtures/hostile/numeric-codes.geojson', '--households'] : ['--grids'];
      const t = performance.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...role, `${dir}/${name}`, '--csv', join(scratch, `${name}.csv`)], { encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, 'did not finish').toBeNull();
      expect([0, 1, 2], r.stderr).toContain(r.status);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (r.status === 2) expect(r.stderr).toContain(name);
      expect(performance.now() - t).toBeLessThan(60_000);
    });
  }

  it('refuses an endless stream instead of reading it forever', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', '/dev/zero'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/dev/zero: not a regular file');
  });

  it('exits 2 naming an output it cannot write', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', `${dir}/numeric-codes.geojson`, '--out', tmpdir()], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write the output there \(it is a directory\)/);
  });

  it('checks a grid of 200,000 vertices in seconds, and refuses one past the stated limit', () => {
    const ring = (n: number) => {
      const pts: number[][] = [];
      for (let i = 0; i < n; i++) { const a = (2 * Math.PI * i) / n; pts.push([119.1 + 0.01 * Math.cos(a) * (1 + 0.02 * Math.sin(97 * a)), 36.7 + 0.01 * Math.sin(a)]); }
      pts.push(pts[0]);
      return pts;
    };
    const file = join(scratch, 'huge.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '370705001001001' }, geometry: { type: 'Polygon', coordinates: [ring(200_000)] } }] }));
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(performance.now() - t).toBeLessThan(60_000);
    const tooBig = join(scratch, 'too-big.geojson');
    writeFileSync(tooBig, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { code: '370705001001001' }, geometry: { type: 'Polygon', coordinates: [ring(2_100_000)] } },
      { type: 'Feature', properties: { code: '370705001001002' }, geometry: { type: 'Polygon', coordinates: [[[119.2, 36.7], [119.21, 36.7], [119.21, 36.71], [119.2, 36.7]]] } },
    ] }));
    const big = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', '--grids', tooBig], { encoding: 'utf8', timeout: 120_000 });
    expect(big.stdout).toMatch(/370705001001001: 2100001 vertices: more than the 2000000 one shape may have/);
  });
});

describe('a misbehaving Open311 feed', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const page = Number(u.searchParams.get('page'));
      const size = Number(u.searchParams.get('page_size'));
      const entry = (id: string, extra = {}) => ({ service_request_id: id, status: 'open', requested_datetime: '2026-11-01T09:00:00+08:00', lat: 36.7, long: 119.1, ...extra });
      if (u.pathname === '/forever') { res.end(JSON.stringify(Array.from({ length: size }, (_, k) => entry(`P${page}-${k}`)))); return; }
      if (u.pathname === '/huge') { res.write('['); const chunk = JSON.stringify(entry('X', { description: 'x'.repeat(2 ** 20) })); for (let k = 0; k < 40; k++) res.write(`${k ? ',' : ''}${chunk}`); res.end(']'); return; }
      if (u.pathname === '/long') { res.end(JSON.stringify([entry('L', { description: '长'.repeat(100_000) })])); return; }
      if (u.pathname === '/redirect') { res.writeHead(302, { Location: 'http://evil.example/requests.json' }); res.end(); return; }
      res.statusCode = 404; res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  it('stops paging at the page limit and says so', async () => {
    const got = await fetchOpen311(`${base}/forever`, { pageSize: 50 });
    expect(got.pages).toBe(FEED_LIMITS.pages);
    expect(got.capped).toContain('pages');
  });

  it('refuses an answer past the byte limit while it streams in', async () => {
    await expect(fetchOpen311(`${base}/huge`, { maxBytes: 8 * 2 ** 20 })).rejects.toThrow(/goes on past 8 MB: refused/);
  });

  it('cuts a field past its length limit and says so', async () => {
    const got = await fetchOpen311(`${base}/long`);
    expect(got.cases[0].properties.description.length).toBe(FEED_LIMITS.fieldChars + 1);
    expect(got.capped).toContain('fields');
  });

  it('stops at the case limit and says so', async () => {
    const got = await fetchOpen311(`${base}/forever`, { pageSize: 100, maxCases: 250 });
    expect(got.cases).toHaveLength(250);
    expect(got.capped).toContain('cases');
  });

  it('does not follow a redirect, nor fetch an origin not allowed', async () => {
    await expect(guardedFetch(`${base}/redirect`)).rejects.toThrow(/redirects are not followed/);
    const g = globalThis as { location?: unknown };
    g.location = { origin: 'http://127.0.0.1:1', href: 'http://127.0.0.1:1/' };
    try {
      expect(() => checkOrigin(`${base}/forever`)).toThrow(/is not an origin this console may read from/);
      expect(() => checkOrigin(`${base}/forever`, [base])).not.toThrow();
      expect(() => checkOrigin('http://127.0.0.1:1/x.json')).not.toThrow();
    } finally {
      delete g.location;
    }
  });

  it('keeps the closed one of two entries with the same id and time', () => {
    const e = (status: string) => ({ service_request_id: 'D', status, requested_datetime: '2026-11-01T09:00:00+08:00', updated_datetime: '2026-11-02T09:00:00+08:00', lat: 36.7, long: 119.1 });
    expect(parseOpen311([e('closed'), e('open')], 's').cases[0].properties.status).toBe('closed');
    expect(parseOpen311([e('open'), e('closed')], 's').cases[0].properties.status).toBe('closed');
  });
});

describe('the build', () => {
  it('takes plain origins only for GRIDSCOPE_CONNECT_SRC', () => {
    expect(connectOrigins('https://gis.example.gov.cn http://10.1.2.3:8080')).toEqual(['https://gis.example.gov.cn', 'http://10.1.2.3:8080']);
    for (const bad of ['https://a.example;script-src *', "https://a.example 'unsafe-inline'", 'javascript:alert(1)', 'https://a.example/path', '*']) {
      expect(() => connectOrigins(bad), bad).toThrow(/is not an origin/);
    }
  });
});
