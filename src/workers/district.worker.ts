// The district off the main thread: fetch, decode FlatGeobuf, run the coverage checks,
// assemble tables and per-grid totals, then hand the typed arrays over without copying.
// The raw layers stay here so the checks can run again without reloading.
import * as Comlink from 'comlink';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { assembleDistrict, checkInputOf, transferablesOf, type RawLayers } from '../workspace/assemble';
import { runChecks } from '../checks/engine';
import { withCaseFindings } from '../checks/cases';
import { GridLocator } from '../checks/locate';
import type { DemoMeta } from '../domain/types';
import { db } from '../store/db';
import { Workspaces } from '../store/workspaces';
import { rawLayersOf } from '../workspace/fromWorkspace';
import { districtShapefileZip, gridsFlatGeobuf, gridsGeoJSON, gridsShapefileZip, householdAssignmentCsv } from '../io/export';
import { zhCN } from '../i18n/zh-CN';
import { en } from '../i18n/en';
import type { Language } from '../i18n';

export const EXPORTS = ['grids-geojson', 'grids-fgb', 'grids-shp', 'district-shp', 'assignment-csv'] as const;
export type ExportKind = (typeof EXPORTS)[number];

export type LayerName = 'boundaries' | 'grids' | 'roads' | 'water' | 'buildings' | 'households' | 'cases';
export const LAYER_NAMES: LayerName[] = ['boundaries', 'grids', 'roads', 'water', 'buildings', 'households', 'cases'];

export interface LoadProgress {
  /** i18n key of the step */
  step: string;
  layer?: LayerName;
  /** check stage, for step 'load.checking' */
  stage?: string;
  done: number;
  total: number;
}

const CHECK_STAGES = ['validate', 'land', 'buildings', 'households'];
let raw: RawLayers | null = null;

const api = {
  async loadDistrict(urls: Record<LayerName, string>, meta: DemoMeta, onProgress: (p: LoadProgress) => void) {
    const t0 = performance.now();
    const total = LAYER_NAMES.length + CHECK_STAGES.length;
    let done = 0;
    const layers = { meta } as RawLayers;
    await Promise.all(LAYER_NAMES.map(async (name) => {
      const res = await fetch(urls[name]);
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status} for ${urls[name]}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      (layers as unknown as Record<string, unknown>)[name] = await readFlatGeobuf(bytes);
      onProgress({ step: 'load.decoded', layer: name, done: ++done, total });
    }));
    console.debug(`district worker: decoded in ${Math.round(performance.now() - t0)} ms`);
    return assemble(layers, (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }));
  },

  /** A workspace saved in IndexedDB (Dexie works in a worker too): read, decode, check. */
  async loadWorkspace(workspaceId: string, onProgress: (p: LoadProgress) => void) {
    const total = 1 + CHECK_STAGES.length;
    let done = 0;
    onProgress({ step: 'load.reading', done, total });
    const { workspace, layers } = await new Workspaces(db).load(workspaceId);
    onProgress({ step: 'load.reading', done: ++done, total });
    return assemble(rawLayersOf(workspace, layers), (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }));
  },

  /** A file of the district on the map (its layers as loaded); 户主 and phone only with includePersonal. */
  exportFile(kind: ExportKind, includePersonal: boolean, language: Language) {
    if (!raw) throw new Error('no district loaded');
    const out = exportOf(kind, raw, includePersonal, language);
    return typeof out.data === 'string' ? out : Comlink.transfer(out, [out.data.buffer as ArrayBuffer]);
  },

  /** Runs the coverage checks again on the loaded district. */
  recheck(onProgress: (p: LoadProgress) => void) {
    if (!raw) throw new Error('no district loaded');
    let done = 0;
    const { report, timings, assignment } = runChecks(checkInputOf(raw), undefined, (stage) =>
      onProgress({ step: 'load.checking', stage, done: ++done, total: CHECK_STAGES.length }));
    const ids = raw.cases.map((c) => String(c.properties.service_request_id));
    const positions = Float64Array.from(raw.cases.flatMap((c) => c.geometry?.coordinates.slice(0, 2) ?? [NaN, NaN]));
    return { report: withCaseFindings(report, { ids, positions, grid: new GridLocator(assignment.grids).locateAll(positions) }), timings };
  },
};

function assemble(layers: RawLayers, onStage: (stage: string) => void) {
  raw = layers;
  const t0 = performance.now();
  const district = assembleDistrict(layers, Date.now(), onStage);
  console.debug(`district worker: checked and assembled in ${Math.round(performance.now() - t0)} ms`);
  return Comlink.transfer(district, transferablesOf(district));
}

function exportOf(kind: ExportKind, layers: RawLayers, includePersonal: boolean, language: Language): { ext: string; type: string; data: Uint8Array | string } {
  switch (kind) {
    case 'grids-geojson': return { ext: 'geojson', type: 'application/geo+json', data: gridsGeoJSON(layers.grids) };
    case 'grids-fgb': return { ext: 'fgb', type: 'application/octet-stream', data: gridsFlatGeobuf(layers.grids) };
    case 'grids-shp': return { ext: 'zip', type: 'application/zip', data: gridsShapefileZip(layers.grids) };
    case 'district-shp': return { ext: 'zip', type: 'application/zip', data: districtShapefileZip(layers, { includePersonal }) };
    case 'assignment-csv': {
      // The assignment as the checks make it now (the district's own arrays went to the page).
      const input = checkInputOf(layers);
      const { assignment } = runChecks(input);
      return { ext: 'csv', type: 'text/csv;charset=utf-8', data: householdAssignmentCsv(input.households, assignment, language === 'en' ? en : zhCN) };
    }
  }
}

export type DistrictWorkerApi = typeof api;
Comlink.expose(api);
