// Simple timers over the import and reopen pipelines in Node (same code and V8 as the
// workers, one thread, nothing else running): where the browser's seconds go.
// Run: node --expose-gc --import tsx scripts/bench/import-profile.ts
import { readFlatGeobuf, writeFlatGeobuf } from '../../src/io/flatgeobuf';
import { prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { guessFields } from '../../src/io/fieldGuess';
import { rawLayersOf } from '../../src/workspace/fromWorkspace';
import { assembleDistrict, transferablesOf } from '../../src/workspace/assemble';
import type { Feature } from 'geojson';
import { CITY, makeCity } from './city';
import { fmt, median } from './stats';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const times: Record<string, number[]> = {};
async function time<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  gc();
  const t = performance.now();
  const out = await f();
  (times[name] ??= []).push(performance.now() - t);
  return out;
}

const city = makeCity({ ...CITY, householdsPerBuilding: 0 });
const bytes = writeFlatGeobuf({ type: 'FeatureCollection', features: city.buildings });
const gridBytes = writeFlatGeobuf({ type: 'FeatureCollection', features: city.grids });
const runs = Number(process.env.BENCH_RUNS ?? 3);
for (let r = 0; r < runs; r++) {
  // import: read, prepare, encode (the IndexedDB write itself is the browser's)
  const [file] = await time('import: read (readAnyFile: decode + columns + CRS guess)', () => readAnyFile('buildings.fgb', bytes));
  await time('  of which decode (readFlatGeobuf)', () => readFlatGeobuf(bytes));
  const prepared = await time('import: prepare (prepareLayer)', () => prepareLayer(file, 'buildings', guessFields('buildings', file.columns), { kind: 'wgs84' }));
  const fgb = await time('import: save encode (writeFlatGeobuf)', () => writeFlatGeobuf({ type: 'FeatureCollection', features: prepared.features }));
  await time('  structured clone of the encoded blob (IndexedDB put copies it)', () => structuredClone(fgb));
  // reopen: decode, assemble (checks), hand-over to the page
  const buildings = await time('reopen: decode buildings (readFlatGeobuf)', () => readFlatGeobuf(fgb));
  const grids = await time('reopen: decode grids', () => readFlatGeobuf(gridBytes));
  const raw = rawLayersOf({ id: 'x', name: 'x', createdAt: 0, updatedAt: 0, mappings: {} }, { buildings: buildings as Feature[], grids: grids as Feature[] });
  const district = await time('reopen: assembleDistrict (coverage checks + tables)', () => assembleDistrict(raw, Date.now()));
  await time('reopen: hand-over (structured clone with transfer, as postMessage)', () => structuredClone(district, { transfer: transferablesOf(district) }));
  await time('  of which the buildings table alone', () => structuredClone(district.buildings));
}
console.log(`import / reopen pipeline in Node ${process.version} (${fmt(city.buildings.length)} footprints, ${fmt(bytes.length / 2 ** 20, 1)} MB), median of ${runs} runs (each), ms:`);
for (const [k, v] of Object.entries(times)) console.log(`  ${k}: ${fmt(median(v))} (${v.map((x) => fmt(x)).join(', ')})`);
