// The embedded demo district: FlatGeobuf files from data/demo, decoded in the worker.
import * as Comlink from 'comlink';
import type { District } from '../domain/district';
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

export async function loadDemoDistrict(onProgress: (p: LoadProgress) => void): Promise<District> {
  const worker = new Worker(new URL('../workers/district.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<DistrictWorkerApi>(worker);
  const abs = Object.fromEntries(
    Object.entries(DEMO_URLS).map(([k, v]) => [k, new URL(v, location.href).href]),
  ) as Record<LayerName, string>;
  try {
    return await api.loadDistrict(abs, meta as DemoMeta, Comlink.proxy(onProgress));
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
