// The embedded demo district: FlatGeobuf files from data/demo, decoded and checked in a
// worker that stays alive for re-checks.
import * as Comlink from 'comlink';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import type { DistrictWorkerApi, LayerName, LoadProgress } from '../workers/district.worker';
import meta from '../../data/demo/meta.json';
import boundaries from '../../data/demo/boundaries.fgb?url';
import grids from '../../data/demo/grids.fgb?url';
import roads from '../../data/demo/roads.fgb?url';
import water from '../../data/demo/water.fgb?url';
import buildings from '../../data/demo/buildings.fgb?url';
import households from '../../data/demo/households.fgb?url';
import cases from '../../data/demo/cases.fgb?url';
import type { DemoMeta } from '../domain/types';

const DEMO_URLS: Record<LayerName, string> = { boundaries, grids, roads, water, buildings, households, cases };

let api: Comlink.Remote<DistrictWorkerApi> | null = null;

function worker() {
  api ??= Comlink.wrap<DistrictWorkerApi>(new Worker(new URL('../workers/district.worker.ts', import.meta.url), { type: 'module' }));
  return api;
}

export async function loadDemoDistrict(onProgress: (p: LoadProgress) => void): Promise<District> {
  const abs = Object.fromEntries(
    Object.entries(DEMO_URLS).map(([k, v]) => [k, new URL(v, location.href).href]),
  ) as Record<LayerName, string>;
  return worker().loadDistrict(abs, meta as DemoMeta, Comlink.proxy(onProgress));
}

export async function recheckDistrict(onProgress: (p: LoadProgress) => void): Promise<{ report: Report; timings: Record<string, number> }> {
  return worker().recheck(Comlink.proxy(onProgress));
}
