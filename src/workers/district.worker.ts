// Loads a district off the main thread: fetch, decode FlatGeobuf, assemble tables and
// per-grid totals, then hand the typed arrays over without copying.
import * as Comlink from 'comlink';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { assembleDistrict, transferablesOf, type RawLayers } from '../workspace/assemble';
import type { DemoMeta } from '../domain/types';

export type LayerName = 'boundaries' | 'grids' | 'roads' | 'water' | 'buildings' | 'households' | 'cases';
export const LAYER_NAMES: LayerName[] = ['boundaries', 'grids', 'roads', 'water', 'buildings', 'households', 'cases'];

export interface LoadProgress {
  /** i18n key of the step */
  step: string;
  layer?: LayerName;
  done: number;
  total: number;
}

const api = {
  async loadDistrict(
    urls: Record<LayerName, string>, meta: DemoMeta, onProgress: (p: LoadProgress) => void,
  ) {
    const total = LAYER_NAMES.length + 1;
    let done = 0;
    const raw = { meta } as RawLayers;
    await Promise.all(LAYER_NAMES.map(async (name) => {
      const res = await fetch(urls[name]);
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status} for ${urls[name]}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      (raw as unknown as Record<string, unknown>)[name] = await readFlatGeobuf(bytes);
      onProgress({ step: 'load.decoded', layer: name, done: ++done, total });
    }));
    const district = assembleDistrict(raw, Date.now());
    onProgress({ step: 'load.assembled', done: total, total });
    return Comlink.transfer(district, transferablesOf(district));
  },
};

export type DistrictWorkerApi = typeof api;
Comlink.expose(api);
