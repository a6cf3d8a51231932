// Importing off the main thread: files are read, mapped, converted, validated and saved into
// a workspace here, so a file of 200,000 footprints never freezes the page. The page sees
// only a summary of each file (columns, counts, notes) and what the save did; the features
// stay in this worker until they are saved.
import * as Comlink from 'comlink';
import { db, type Note } from '../store/db';
import { Workspaces, type WorkspaceRole } from '../store/workspaces';
import { guessRole, prepareLayer, readAnyFile, readUrl, type FileFormat, type Prepared, type ReadFile } from '../workspace/importFile';
import type { BBox } from '../io/flatgeobufUrl';
import type { CrsGuess, SourceCrs } from '../io/crs';
import type { LayerName } from '../io/layers';
import { FileError } from '../io/fileError';

/** What the page shows of a file while the user maps its columns. */
export interface FileSummary {
  id: number;
  name: string;
  format: FileFormat;
  count: number;
  columns: string[];
  notes: Note[];
  crsGuess: CrsGuess;
  role: LayerName;
}

export interface SaveRequest {
  fileId: number;
  role: LayerName;
  mapping: Record<string, string>;
  crs: SourceCrs;
  /** an existing workspace, or the name of a new one */
  workspace: { id: string } | { newName: string };
}

export interface SaveResult extends Omit<Prepared, 'features'> {
  workspaceId: string;
  imported: number;
  saved: boolean;
  /** milliseconds: prepare (map, convert, validate) and save (encode, write) */
  timings: { prepare: number; save: number };
}

const files = new Map<number, ReadFile>();
let nextId = 1;
const store = new Workspaces(db);

function summary(f: ReadFile): FileSummary {
  const id = nextId++;
  files.set(id, f);
  return { id, name: f.name, format: f.format, count: f.features?.length ?? f.table?.rows.length ?? 0, columns: f.columns, notes: f.notes, crsGuess: f.crsGuess, role: guessRole(f) };
}

const api = {
  /** One summary per layer the file holds (a zip may hold several Shapefiles). */
  async read(name: string, bytes: Uint8Array): Promise<FileSummary[]> {
    return (await readAnyFile(name, bytes).catch(transferable)).map(summary);
  },

  async readUrl(url: string, bbox?: BBox): Promise<FileSummary> {
    return summary(await readUrl(url, bbox, AbortSignal.timeout(120_000)));
  },

  /** Prepares a file for a role and saves what is valid into the workspace (one transaction). */
  async save(req: SaveRequest): Promise<SaveResult> {
    const file = files.get(req.fileId);
    if (!file) throw new Error(`file ${req.fileId} is no longer open`);
    const t0 = performance.now();
    const { features, ...rest } = prepareLayer(file, req.role, req.mapping, req.crs);
    const t1 = performance.now();
    // Nothing usable: no new, empty workspace is made for it.
    if (features.length === 0) return { ...rest, workspaceId: 'id' in req.workspace ? req.workspace.id : '', imported: 0, saved: false, timings: { prepare: t1 - t0, save: 0 } };
    const c = rest.conversion;
    const notes: Note[] = [...file.notes, ...(c.kind !== 'none' ? [{ key: `crs.${c.kind}`, values: { n: c.features, epsg: c.epsg ?? '' } }] : [])];
    // A new workspace is made with its layer in one transaction: a failed save leaves none behind.
    const workspaceId = 'id' in req.workspace
      ? (await store.saveLayer(req.workspace.id, req.role as WorkspaceRole, features, { file: file.name, notes }, req.mapping), req.workspace.id)
      : (await store.createWithLayer(req.workspace.newName, req.role as WorkspaceRole, features, { file: file.name, notes }, req.mapping)).id;
    return { ...rest, workspaceId, imported: features.length, saved: true, timings: { prepare: t1 - t0, save: performance.now() - t1 } };
  },

  /** A .gridscope workspace file back as a new workspace, unzipped here (a large one froze the page). */
  async importArchive(name: string, bytes: Uint8Array) {
    return store.importArchive(bytes, name).catch(transferable);
  },

  forget(fileId: number) {
    files.delete(fileId);
  },
};

/** A FileError keeps its code across postMessage (the page says it in the user's language). */
function transferable(e: unknown): never {
  throw e instanceof FileError ? e.forTransfer() : e;
}

export type ImportWorkerApi = typeof api;
Comlink.expose(api);
