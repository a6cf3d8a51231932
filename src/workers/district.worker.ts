// The district off the main thread: fetch, decode FlatGeobuf, run the coverage checks,
// assemble tables and per-grid totals, then hand the typed arrays over without copying.
// The raw layers stay here so the checks can run again without reloading.
import * as Comlink from 'comlink';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { assembleDistrict, checkInputOf, nowFor, transferablesOf, type RawLayers } from '../workspace/assemble';
import { runChecks } from '../checks/engine';
import { withCaseFindings } from '../checks/cases';
import { GridLocator } from '../checks/locate';
import type { CaseFeature, DemoMeta, GridFeature } from '../domain/types';
import type { CaseTable, District } from '../domain/district';
import { toGeoColumns, type GeoColumns } from '../store/geoColumns';
import { guardedFetch } from '../io/guardedFetch';
import { FEED_LIMITS, fetchOpen311, type FeedCap } from '../io/open311';
import { caseColumns, casesAt, casesAtBuffers, mergeIntoColumns } from '../workspace/caseTable';
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
/** the grids the district on the page has (in code order): a polled case is located in these */
let grids: GridFeature[] = [];
/** hours per case category (by service_code or name) that override the built-in time limits */
let limits: Record<string, number> = {};
/** each household's grid as the last check placed it */
let assigned: { ids: string[]; buildingIds: string[]; householdGrid: Int32Array; grids: GridFeature[] } | null = null;
/** whether the cases are live (a feed is followed): judged against the clock, not the snapshot time */
let live = false;

/** What a poll of the case feed gives the page: the new case table and the per-grid counts. */
export interface FeedUpdate {
  cases: CaseTable;
  openCases: Int32Array;
  overdueCases: Int32Array;
  added: number;
  updated: number;
  reopened: number;
  skipped: number;
  /** the first few reasons, in English (they name the entry) */
  skippedReasons: string[];
  pages: number;
  truncated: boolean;
  /** the feed limits this poll reached (pages, cases, fields), said in the panel */
  capped: FeedCap[];
}

const api = {
  async loadDistrict(urls: Record<LayerName, string>, meta: DemoMeta, caseLimits: Record<string, number>, onProgress: (p: LoadProgress) => void) {
    limits = caseLimits;
    live = false;
    const t0 = performance.now();
    const total = LAYER_NAMES.length + CHECK_STAGES.length;
    let done = 0;
    const decoded: Record<string, unknown> = {};
    await Promise.all(LAYER_NAMES.map(async (name) => {
      const res = await guardedFetch(urls[name]);
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status} for ${urls[name]}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      decoded[name] = await readFlatGeobuf(bytes);
      onProgress({ step: 'load.decoded', layer: name, done: ++done, total });
    }));
    const layers = { ...decoded, meta, cases: caseColumns(decoded.cases as CaseFeature[]) } as RawLayers;
    console.debug(`district worker: decoded in ${Math.round(performance.now() - t0)} ms`);
    return assemble(layers, (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }));
  },

  /** A workspace saved in IndexedDB (Dexie works in a worker too): read, decode, check. */
  async loadWorkspace(workspaceId: string, caseLimits: Record<string, number>, onProgress: (p: LoadProgress) => void) {
    limits = caseLimits;
    live = false;
    const total = 1 + CHECK_STAGES.length;
    let done = 0;
    onProgress({ step: 'load.reading', done, total });
    const { workspace, layers, cases } = await new Workspaces(db).load(workspaceId);
    onProgress({ step: 'load.reading', done: ++done, total });
    return assemble(rawLayersOf(workspace, layers, cases), (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }));
  },

  /** A file of the district on the map (its layers as loaded); 户主 and phone only with includePersonal. */
  exportFile(kind: ExportKind, includePersonal: boolean, language: Language) {
    if (!raw) throw new Error('no district loaded');
    const out = exportOf(kind, raw, includePersonal, language);
    return typeof out.data === 'string' ? out : Comlink.transfer(out, [out.data.buffer as ArrayBuffer]);
  },

  /**
   * Polls an Open311 feed: pages fetched, merged by id into the cases held (closed cases stay
   * closed unless the feed reopens them), located in the grids, statuses as of now — a feed
   * is live data. A failure throws and changes nothing.
   */
  async pollCases(url: string, timeoutMs: number): Promise<FeedUpdate> {
    if (!raw) throw new Error('no district loaded');
    const got = await fetchOpen311(url, { signal: AbortSignal.timeout(timeoutMs) });
    // All a feed may hold: new cases past the limit are not added (updates still are).
    const room = FEED_LIMITS.cases - raw.cases.count;
    const known = new Set(raw.cases.ids);
    let fresh = 0;
    const incoming = got.cases.filter((c) => known.has(c.properties.service_request_id) || fresh++ < room);
    if (incoming.length < got.cases.length && !got.capped.includes('cases')) got.capped.push('cases');
    const merged = mergeIntoColumns(raw.cases, incoming);
    raw.cases = merged.columns;
    live = true;
    const u = caseUpdate();
    const update: FeedUpdate = {
      ...u,
      added: merged.added, updated: merged.updated, reopened: merged.reopened,
      skipped: got.skipped.length, skippedReasons: got.skipped.slice(0, 20).map((x) => x.reason),
      pages: got.pages, truncated: got.truncated, capped: got.capped,
    };
    return Comlink.transfer(update, casesAtBuffers(u));
  },

  /** New time limits per category (settings): deadlines and statuses worked out again. */
  setCaseLimits(caseLimits: Record<string, number>) {
    if (!raw) throw new Error('no district loaded');
    limits = caseLimits;
    const u = caseUpdate();
    return Comlink.transfer(u, casesAtBuffers(u));
  },

  /** Runs the coverage checks again on the loaded district. */
  recheck(onProgress: (p: LoadProgress) => void) {
    if (!raw) throw new Error('no district loaded');
    let done = 0;
    const { report, timings, assignment } = runChecks(checkInputOf(raw), undefined, (stage) =>
      onProgress({ step: 'load.checking', stage, done: ++done, total: CHECK_STAGES.length }));
    const { ids, positions } = raw.cases;
    return { report: withCaseFindings(report, { ids, positions, grid: new GridLocator(assignment.grids).locateAll(positions) }), timings };
  },
};

/** The case table and per-grid counts from the cases held, as of now (live) or the snapshot time. */
function caseUpdate() {
  return casesAt(raw!.cases, grids, live ? Date.now() : nowFor(raw!.meta, Date.now()), limits);
}

function assemble(layers: RawLayers, onStage: (stage: string) => void) {
  raw = layers;
  const t0 = performance.now();
  const district = assembleDistrict(layers, Date.now(), onStage, limits);
  grids = district.grids;
  // Kept for the household → grid CSV (the district's own arrays are handed to the page).
  assigned = { ids: district.households.ids, buildingIds: district.households.buildingIds, householdGrid: district.households.grid.slice(), grids };
  console.debug(`district worker: checked and assembled in ${Math.round(performance.now() - t0)} ms`);
  // Buildings go as typed-array columns: cloning 200,000 footprint objects costs seconds on
  // each side of postMessage (and freezes the page while it unpacks them); columns move free.
  const buildings = toGeoColumns(district.buildings.features);
  const packed: PackedDistrict = { ...district, buildings: { ...district.buildings, features: [] }, packedBuildings: buildings };
  return Comlink.transfer(packed, [...transferablesOf(district), buildings.coords.buffer as ArrayBuffer, buildings.kinds.buffer as ArrayBuffer,
    buildings.ringEnds.buffer as ArrayBuffer, buildings.partEnds.buffer as ArrayBuffer, buildings.featureEnds.buffer as ArrayBuffer]);
}

/** A district as it crosses to the page: the buildings packed (unpackDistrict undoes it). */
export type PackedDistrict = District & { packedBuildings: GeoColumns };

function exportOf(kind: ExportKind, layers: RawLayers, includePersonal: boolean, language: Language): { ext: string; type: string; data: Uint8Array | string } {
  switch (kind) {
    case 'grids-geojson': return { ext: 'geojson', type: 'application/geo+json', data: gridsGeoJSON(layers.grids, { includePersonal }) };
    case 'grids-fgb': return { ext: 'fgb', type: 'application/octet-stream', data: gridsFlatGeobuf(layers.grids, { includePersonal }) };
    case 'grids-shp': return { ext: 'zip', type: 'application/zip', data: gridsShapefileZip(layers.grids, { includePersonal }) };
    case 'district-shp': return { ext: 'zip', type: 'application/zip', data: districtShapefileZip(layers, { includePersonal }) };
    case 'assignment-csv':
      return { ext: 'csv', type: 'text/csv;charset=utf-8', data: householdAssignmentCsv(assigned!, assigned!, language === 'en' ? en : zhCN) };
  }
}

export type DistrictWorkerApi = typeof api;
Comlink.expose(api);
