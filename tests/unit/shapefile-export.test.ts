// Zipped Shapefile export: read back by our own reader and by GDAL (ogrinfo), and the
// acceptance round trip — the demo district exported as zipped Shapefile and re-imported
// through the import path gives the same check report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Geometry, Position } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckInput } from '../../src/checks/engine';
import type { Finding, Report } from '../../src/checks/report';
import type { BoundaryFeature, BuildingFeature, GridFeature, HouseholdFeature } from '../../src/domain/types';
import { findingsCsv, findingsGeoJSON } from '../../src/io/findings';
import { zhCN } from '../../src/i18n/zh-CN';
import { districtShapefileZip, gridsFlatGeobuf, gridsGeoJSON, gridsShapefileZip, householdAssignmentCsv } from '../../src/io/export';
import { guessFields } from '../../src/io/fieldGuess';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { householdsFromFeatures, type LayerName } from '../../src/io/layers';
import { readShapefileZip } from '../../src/io/shapefile';
import { SHORT_NAMES, shapefileFiles, writeShapefileZip } from '../../src/io/shapefileWrite';
import { guessRole, prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { readLayeredFixture } from '../support/fixtures';

const sq = (x: number, y: number, s: number): Position[] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const cw = (ring: Position[]) => [...ring].reverse();
const long = '网格'.repeat(100); // 600 bytes of UTF-8: cut to 254 on a character boundary

/** Grids with Chinese names, a hole, a MultiPolygon (one part holed), a clockwise-drawn exterior and an empty geometry. */
const grids: Feature[] = [
  { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(119, 36, 0.01), cw(sq(119.002, 36.002, 0.002))] },
    properties: { code: '370705001001001', name: '北王村第1网格', kind: 'base', community_code: '370705001001', dedicated_type: '', band_min: 300, band_max: 500, ratio: 0.125, note: long } },
  { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[sq(119.02, 36, 0.01)], [sq(119.04, 36, 0.01), cw(sq(119.043, 36.003, 0.001))]] },
    properties: { code: '370705001001002', name: '潍坊学院专属网格（示范）', kind: 'dedicated', community_code: '370705001001', dedicated_type: 'school', band_min: null, band_max: null, ratio: -3.5, note: 'ok' } },
  { type: 'Feature', geometry: { type: 'Polygon', coordinates: [cw(sq(119.06, 36, 0.01))] },
    properties: { code: '370705001001003', name: 'Grid "C", 第3', kind: 'base', community_code: '370705001001', dedicated_type: '', band_min: 150, band_max: 500, ratio: 1e-7, note: null } },
];
const households: Feature<Geometry | null>[] = [
  { type: 'Feature', geometry: { type: 'Point', coordinates: [119.005, 36.008] }, properties: { id: 'H1', building_id: 'B1', unit: 1, room: '一单元101', residents: 3 } },
  { type: 'Feature', geometry: null, properties: { id: 'H2', building_id: 'B1', unit: 2, room: '202', residents: null } },
];
const buildings: Feature[] = [
  { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(119.004, 36.007, 0.002)] }, properties: { id: 'B1', address: '北王村1号', levels: 6, residential: true } },
  { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(119.021, 36.001, 0.001)] }, properties: { id: 'B2', address: '四平路313号沿街商铺', levels: 2, residential: false } },
];

/** Rings as RFC 7946 draws them (exterior counter-clockwise, holes clockwise), for comparing. */
function rfc7946(g: Geometry | null): Position[][][] {
  if (!g) return [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  const area = (r: Position[]) => r.slice(1).reduce((s, p, i) => s + r[i][0] * p[1] - p[0] * r[i][1], 0);
  return polys.map((p) => p.map((r, k) => ((area(r) > 0) === (k === 0) ? r : cw(r))));
}

const short = (k: string) => SHORT_NAMES[k] ?? k;

describe('zipped Shapefile export', () => {
  it('reads back with our reader: geometry, holes, parts, Chinese text, numbers, booleans, null shapes', async () => {
    const zip = writeShapefileZip([{ name: 'grids', features: grids }, { name: 'households', features: households }, { name: 'buildings', features: buildings }]);
    const layers = await readShapefileZip(zip);
    expect(layers.map((l) => [l.name, l.encoding, l.encodingFrom, l.reprojected])).toEqual([
      ['grids', 'utf-8', 'cpg', false], ['households', 'utf-8', 'cpg', false], ['buildings', 'utf-8', 'cpg', false]]);
    const [g, h, b] = layers.map((l) => l.features);

    expect(g.map((f) => f.geometry!.type)).toEqual(['Polygon', 'MultiPolygon', 'Polygon']);
    // Same rings, same order, same vertices (the reader passes lon/lat through proj4: last-bit differences).
    const got = g.map((f) => rfc7946(f.geometry)), want = grids.map((f) => rfc7946(f.geometry));
    expect(got.map((p) => p.map((r) => r.length))).toEqual(want.map((p) => p.map((r) => r.length)));
    const [xs, ys] = [got.flat(4) as number[], want.flat(4) as number[]];
    expect(xs).toHaveLength(ys.length);
    xs.forEach((v, i) => expect(Math.abs(v - ys[i])).toBeLessThan(1e-12));
    const text = (v: unknown) => (v === null ? '' : v);
    g.forEach((f, i) => {
      const p = grids[i].properties!;
      for (const k of ['code', 'name', 'kind', 'community_code', 'dedicated_type']) expect(f.properties![short(k)]).toBe(p[k]);
      expect(f.properties!.band_min).toEqual(p.band_min ?? NaN);
      expect(f.properties!.ratio).toBe(p.ratio);
      if (i > 0) expect(f.properties!.note).toBe(text(p.note));
    });
    expect(g[0].properties!.note).toBe('网格'.repeat(42)); // 84 characters, 252 bytes

    expect(h.map((f) => f.geometry)).toEqual([households[0].geometry, null]);
    expect(h.map((f) => f.properties)).toEqual([
      { id: 'H1', bldg_id: 'B1', unit: 1, room: '一单元101', residents: 3 },
      { id: 'H2', bldg_id: 'B1', unit: 2, room: '202', residents: NaN }]);
    expect(b.map((f) => [f.properties!.address, f.properties!.resident])).toEqual([['北王村1号', true], ['四平路313号沿街商铺', false]]);
  });

  it('cuts long and Chinese field names to 10 bytes, each name once', async () => {
    const props = { community_code: 'a', community_name: 'b', community_note: 'c', 所属社区名称: 'd', residential: true };
    const [layer] = await readShapefileZip(writeShapefileZip([{ name: 'n', features: [{ type: 'Feature', geometry: null, properties: props }] }]));
    expect(layer.features[0].properties).toEqual({ comm_code: 'a', community_: 'b', communit_1: 'c', 所属社: 'd', resident: true });
  });

  it('writes exteriors clockwise and holes counter-clockwise, as the Shapefile spec says', () => {
    const shp = new DataView(shapefileFiles({ name: 'g', features: [grids[1]] }).shp.buffer);
    const rec = 100 + 8;
    const parts = shp.getInt32(rec + 36, true);
    const points = shp.getInt32(rec + 40, true);
    const starts = [...Array(parts).keys()].map((k) => shp.getInt32(rec + 44 + 4 * k, true)).concat(points);
    const xy = rec + 44 + 4 * parts;
    const signs = starts.slice(0, -1).map((s, k) => {
      let a = 0;
      for (let i = s; i < starts[k + 1] - 1; i++) {
        const [x0, y0, x1, y1] = [0, 8, 16, 24].map((o) => shp.getFloat64(xy + 16 * i + o, true));
        a += x0 * y1 - x1 * y0;
      }
      return Math.sign(a);
    });
    expect(signs).toEqual([-1, -1, 1]); // two exteriors, one hole
  });

  it('keeps personal fields out of the district export unless asked', async () => {
    const hh = [{ ...households[0], properties: { ...households[0].properties, head_name: '张三丰', phone: '13812341234', note: 'x' } }] as unknown as HouseholdFeature[];
    const layers = { boundaries: [], grids: grids as GridFeature[], buildings: buildings as BuildingFeature[], households: hh };
    const fields = async (zip: Uint8Array) => Object.keys((await readShapefileZip(zip)).find((l) => l.name === 'households')!.features[0].properties!);
    expect(await fields(districtShapefileZip(layers))).toEqual(['id', 'bldg_id', 'unit', 'room', 'residents']);
    expect(await fields(districtShapefileZip(layers, { includePersonal: true }))).toEqual(['id', 'bldg_id', 'unit', 'room', 'residents', 'head_name', 'phone']);
  });
});

// GDAL is the reference reader; .ci/run installs it (Debian's gdal-bin). Without it these fail, saying so.
const OGRINFO = ['/usr/bin/ogrinfo', '/usr/local/bin/ogrinfo'].find((p) => existsSync(p));

describe('exports read by GDAL (ogrinfo)', () => {
  it('has GDAL to read with', () => expect(OGRINFO, 'ogrinfo not found: install GDAL (Debian: apt-get install gdal-bin; .ci/run does)').toBeTruthy());
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ogrinfo = (file: string, summary = true) => {
    const r = spawnSync(OGRINFO ?? 'ogrinfo', ['-ro', '-al', ...(summary ? ['-so'] : []), file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ERROR/);
    return r.stdout;
  };
  const counts = (out: string) => [...out.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  const write = (name: string, data: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, data); return p; };

  const input = readLayeredFixture('tests/fixtures/engine/rules.geojson');
  const { assignment } = runChecks(input);
  const fixtureGrids = assignment.grids;

  it('reads the zipped Shapefiles, with the Chinese text (from the .cpg), holes and parts', () => {
    const small = write('small.zip', writeShapefileZip([{ name: 'grids', features: grids }, { name: 'households', features: households }]));
    expect(counts(ogrinfo(`/vsizip/${small}`))).toEqual(['grids:3', 'households:2']);
    const full = ogrinfo(`/vsizip/${small}`, false);
    expect(full).toMatch(/Geometry: Polygon/);
    expect(full).toContain('name (String) = 北王村第1网格');
    expect(full).toContain('name (String) = 潍坊学院专属网格（示范）');
    expect(full).toContain('comm_code (String) = 370705001001');
    expect(full).toContain('room (String) = 一单元101');
    expect(full).toMatch(/MULTIPOLYGON \(\(\(119\.02 36(\.0)?,[^)]*\)\),\(\(119\.04 36(\.0)?,[^)]*\),\(119\.043 36\.003,[^)]*\)\)\)/);
    expect(full).toMatch(/POLYGON \(\(119 36,[^)]*\),\(119\.002 36\.002,[^)]*\)\)/);

    const gridsZip = write('grids.zip', gridsShapefileZip(fixtureGrids));
    const out = ogrinfo(`/vsizip/${gridsZip}`, false);
    expect(counts(out)).toEqual([`grids:${fixtureGrids.length}`]);
    for (const g of fixtureGrids) expect(out).toContain(`name (String) = ${g.properties.name}`);
  });

  it('reads the grids GeoJSON and FlatGeobuf', () => {
    for (const [name, data] of [['grids.geojson', gridsGeoJSON(fixtureGrids)], ['grids.fgb', gridsFlatGeobuf(fixtureGrids)]] as const) {
      const out = ogrinfo(write(name, data), false);
      expect(out).toMatch(new RegExp(`Feature Count: ${fixtureGrids.length}\\b`));
      for (const g of fixtureGrids) expect(out).toContain(`name (String) = ${g.properties.name}`);
    }
  });

  it('reads the household assignment CSV (UTF-8 with BOM, Chinese headers)', () => {
    const out = ogrinfo(write('assignment.csv', householdAssignmentCsv(input.households, assignment, zhCN)), false);
    expect(out).toMatch(new RegExp(`Feature Count: ${input.households.ids.length}\\b`));
    expect(out).toMatch(/^户编号: String/m);
    expect(out).toContain('网格编码 (String) = 370705001001002');
  });

  it('reads the findings exports of the report (GeoJSON, and CSV for Excel)', () => {
    const { report } = runChecks(input);
    expect(report.findings.length).toBeGreaterThan(3);
    const gj = ogrinfo(write('findings.geojson', JSON.stringify(findingsGeoJSON(report))));
    expect(gj).toMatch(new RegExp(`Feature Count: ${report.findings.length}\\b`));
    const csv = ogrinfo(write('findings.csv', findingsCsv(report, zhCN)), false);
    expect(csv).toMatch(new RegExp(`Feature Count: ${report.findings.length}\\b`));
    expect(csv).toContain(`${zhCN.findings.csv.kind} (String) = ${zhCN.findings.kinds[report.findings[0].kind]}`);
  });

  it('reads the demo district zip, every layer whole', async () => {
    const raw = await readDemo();
    const out = ogrinfo(`/vsizip/${write('district.zip', districtShapefileZip(raw))}`);
    expect(counts(out)).toEqual(LAYERS.map((l) => `${l}:${raw[l].length}`));
    expect(out).not.toMatch(/head_name|phone/);
  });
});

const LAYERS = ['boundaries', 'grids', 'buildings', 'households'] as const;

async function readDemo() {
  const read = async (name: string) => readFlatGeobuf(new Uint8Array(readFileSync(`data/demo/${name}.fgb`)));
  return {
    boundaries: (await read('boundaries')) as never as BoundaryFeature[],
    grids: (await read('grids')) as never as GridFeature[],
    buildings: (await read('buildings')) as never as BuildingFeature[],
    households: (await read('households')) as never as HouseholdFeature[],
  };
}

describe('acceptance: the demo district as zipped Shapefile', () => {
  it('re-imported through the import path gives the same check report', async () => {
    const raw = await readDemo();
    const before = runChecks({ ...raw, households: householdsFromFeatures(raw.households) }).report;
    expect(before.findings.filter((f) => f.measure.area_m2).length).toBeGreaterThan(0); // the demo's planted gaps and overlaps: areas to compare

    const t = performance.now();
    const zip = districtShapefileZip(raw);
    const ms = performance.now() - t;
    console.log(`demo district → zipped Shapefile: ${ms.toFixed(0)} ms, ${(zip.length / 1024).toFixed(0)} KiB`);

    // The user drops the one zip: it opens as one file per layer, each with its role guessed.
    const files = await readAnyFile('district.zip', zip);
    expect(files.map((f) => f.name)).toEqual(LAYERS.map((l) => `district.zip › ${l}`));
    const imported: Partial<Record<LayerName, Feature[]>> = {};
    for (const [k, layer] of LAYERS.entries()) {
      const file = files[k];
      expect(guessRole(file)).toBe(layer);
      const prepared = prepareLayer(file, layer, guessFields(layer, file.columns), { kind: 'wgs84' });
      expect(prepared.rejected).toEqual([]);
      imported[layer] = prepared.features;
    }
    const input = {
      boundaries: imported.boundaries, grids: imported.grids, buildings: imported.buildings,
      households: householdsFromFeatures(imported.households!),
    } as CheckInput;
    const canonical = (g: GridFeature) => ['code', 'name', 'kind', 'community_code', 'dedicated_type', 'band_min', 'band_max'].map((k) => g.properties[k as keyof GridFeature['properties']] ?? null);
    expect(input.grids.map(canonical)).toEqual(raw.grids.map(canonical));
    const after = runChecks(input).report;

    expectSameReport(after, before);
  });
});

function expectSameReport(a: Report, b: Report) {
  const key = (f: Finding) => `${f.kind}:${f.ids.join('|')}`;
  const sorted = (r: Report) => [...r.findings].sort((x, y) => key(x).localeCompare(key(y)));
  const [fa, fb] = [sorted(a), sorted(b)];
  expect(fa.map(key)).toEqual(fb.map(key));
  fa.forEach((f, i) => {
    const g = fb[i];
    expect(f.rule).toBe(g.rule);
    expect(Object.keys(f.measure).sort()).toEqual(Object.keys(g.measure).sort());
    for (const [k, v] of Object.entries(f.measure)) {
      const w = g.measure[k as keyof Finding['measure']];
      if (typeof v === 'number') expect(Math.abs(v - (w as number))).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(w as number), 1e-9));
      else expect(v).toEqual(w);
    }
  });
  expect(a.grids).toEqual(b.grids);
  expect(a.skipped).toEqual(b.skipped);
  expect(a.summary.counts).toEqual(b.summary.counts);
  const { land_m2: la, ...ta } = a.summary.totals;
  const { land_m2: lb, ...tb } = b.summary.totals;
  expect(ta).toEqual(tb);
  expect(Math.abs(la! - lb!)).toBeLessThanOrEqual(1e-6 * lb!);
}
