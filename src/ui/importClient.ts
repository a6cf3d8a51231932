// The import worker (src/workers/import.worker.ts), started the first time it is needed.
import * as Comlink from 'comlink';
import type { ImportWorkerApi } from '../workers/import.worker';

let api: Comlink.Remote<ImportWorkerApi> | null = null;

export function importer(): Comlink.Remote<ImportWorkerApi> {
  api ??= Comlink.wrap<ImportWorkerApi>(new Worker(new URL('../workers/import.worker.ts', import.meta.url), { type: 'module' }));
  return api;
}
