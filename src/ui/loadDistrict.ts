// What the console shows: the embedded demo district (FlatGeobuf files from data/demo) or a
// workspace saved in IndexedDB, decoded and checked in a worker that stays alive for re-checks.
import * as Comlink from 'comlink';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import type { DistrictWorkerApi, ExportKind, LayerName, LoadProgress, PackedDistrict, ServerNotice } from '../workers/district.worker';
import type { Me, ServerView } from '../server/api';
import type { Language } from '../i18n';
import type { DraftState, EditAnswer, GridView } from '../workspace/session';
import type { EditOp } from '../plan/types';
import type { ProposalRequest } from '../workspace/proposals';
import meta from '../../data/demo/meta.json';
import boundaries from '../../data/demo/boundaries.fgb?url';
import grids from '../../data/demo/grids.fgb?url';
import roads from '../../data/demo/roads.fgb?url';
import water from '../../data/demo/water.fgb?url';
import buildings from '../../data/demo/buildings.fgb?url';
import households from '../../data/demo/households.fgb?url';
import cases from '../../data/demo/cases.fgb?url';
import type { DemoMeta } from '../domain/types';
import type { BuildingTable } from '../domain/district';
import type { DistrictPreview } from '../workspace/preview';
import { setServerDistrict } from './exportRecord';

const DEMO_URLS: Record<LayerName, string> = { boundaries, grids, roads, water, buildings, households, cases };

let api: Comlink.Remote<DistrictWorkerApi> | null = null;

function worker() {
  api ??= Comlink.wrap<DistrictWorkerApi>(new Worker(new URL('../workers/district.worker.ts', import.meta.url), { type: 'module' }));
  return api;
}

/** Starts the district's worker (its script fetched and parsed while the page reads its settings). */
export function startWorker(): void {
  worker();
}

/** A load under way: its result, and its progress for whoever listens (the latest is kept). */
export interface PendingLoad {
  source: Source;
  /** when it was started (a key for what was drawn from it) */
  started: number;
  /** what the map can draw before the checks have run (a workspace's stored columns, sent as soon as read); null when none comes (the demo) */
  preview: Promise<DistrictPreview | null>;
  district: Promise<District & { draft: DraftState }>;
  subscribe(listener: (p: LoadProgress) => void): () => void;
}

/** Which district is on the map; remembered in settings so a reload opens it again (one of the office server's: 'server'). */
export type Source = { kind: 'demo' } | { kind: 'workspace'; id: string } | { kind: 'server'; id: string; view?: ServerView };

/** Who is logged in on the office server: a server district is opened and edited as them. */
let account: Me | null = null;
export function setAccount(me: Me | null) {
  account = me;
}

export const DEMO: Source = { kind: 'demo' };

/**
 * Starts loading a district at once; main.tsx calls this before anything else so the
 * worker fetches and checks while the page boots.
 */
export function startLoad(source: Source, caseLimits: Record<string, number> = {}): PendingLoad {
  const listeners = new Set<(p: LoadProgress) => void>();
  let latest: LoadProgress | null = null;
  const report = Comlink.proxy((p: LoadProgress) => {
    latest = p;
    listeners.forEach((l) => l(p));
  });
  let previewed: (p: DistrictPreview | null) => void = () => {};
  const preview = new Promise<DistrictPreview | null>((resolve) => { previewed = resolve; });
  const district = (source.kind === 'workspace'
    ? worker().loadWorkspace(source.id, caseLimits, report, Comlink.proxy((p: DistrictPreview) => previewed(p)))
    : source.kind === 'server'
      ? worker().loadServerDistrict(source.id, account!, caseLimits, report, source.view ?? 'draft')
      : worker().loadDistrict(demoUrls(), meta as DemoMeta, caseLimits, report)).then(async (d) => {
    // A district that carries everything needs no preview (none came, or it comes too late to matter);
    // else it waits for the preview (it crosses by another port, so may arrive after).
    const complete = 'shapes' in d.buildings && d.households.positions !== undefined && d.density !== undefined;
    if (complete) previewed(null);
    // (the files the page writes from now on are of this district: on a server, they are on its audit trail)
    setServerDistrict(source.kind === 'server' ? source.id : null);
    return unpackDistrict(d, complete ? null : await preview);
  });
  district.catch(() => previewed(null));
  return {
    source,
    started: performance.now(),
    preview,
    district,
    subscribe(listener) {
      listeners.add(listener);
      if (latest) listener(latest);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The district as the worker sent it (tables as columns: nothing to rebuild), with what its
 * preview brought put back (the same footprints, points and rasters: the map keeps drawing them).
 */
function unpackDistrict(d: PackedDistrict, preview: DistrictPreview | null): District & { draft: DraftState } {
  const b = d.buildings;
  const buildings: BuildingTable = 'shapes' in b ? b : { ...preview!.buildings, ...b };
  const positions = d.households.positions ?? preview!.households.positions;
  return { ...d, buildings, households: { ...d.households, positions }, density: d.density ?? preview!.density };
}

/**
 * The district with a view of its grids as the worker sent it (after an edit, another tab's or
 * planner's, a new published version): cases keep their table (statuses, filters and the map's
 * circles stay as they are); only the grids and who is in which change.
 */
export function withView(d: District, v: GridView): District {
  return {
    ...d, grids: v.grids, gridStats: v.gridStats, cases: { ...d.cases, grid: v.caseGrid },
    buildings: { ...d.buildings, grid: v.buildingGrid }, households: { ...d.households, grid: v.householdGrid },
  };
}

/** A read-only server view brought to published version `n` in place (only the grids that differ checked again). */
export function showPublished(n: number): Promise<GridView> {
  return worker().showPublished(n);
}

/** One edit of the draft on the map, made in its worker (the district's one owner). */
export function applyEdit(op: EditOp): Promise<EditAnswer> {
  return worker().applyEdit(op);
}

export function undoEdit(): Promise<EditAnswer> {
  return worker().undo();
}

export function redoEdit(): Promise<EditAnswer> {
  return worker().redo();
}

/**
 * The editor takes its place on the draft on the map among the browser's tabs: answers where
 * the draft stands (read-only when another tab edits it); onView brings that tab's edits as it
 * makes them, onDraft a change of role (its tab closed: this one may edit now).
 */
export function watchDraft(onView: (v: GridView) => void, onDraft: (d: DraftState) => void): Promise<DraftState> {
  return worker().watchDraft(Comlink.proxy(onView), Comlink.proxy(onDraft));
}

/** The office server's news for the page: others' edits (who, which grids), the link down and up; answers whether it is up now (null: not a server district). */
export function watchServer(onNotice: (n: ServerNotice) => void): Promise<{ online: boolean } | null> {
  return worker().watchServer(Comlink.proxy(onNotice));
}

/** Takes the draft over from the other tab editing it (that tab turns read-only). */
export const takeDraft = () => worker().takeDraft();

/** Makes the district on the map (the demo) a workspace of its own, to be edited. */
export function startDraft(name: string): Promise<DraftState> {
  return worker().startDraft(name);
}

function demoUrls(): Record<LayerName, string> {
  return Object.fromEntries(Object.entries(DEMO_URLS).map(([k, v]) => [k, new URL(v, location.href).href])) as Record<LayerName, string>;
}

/** One poll of an Open311 case feed into the district on the map, in its worker. */
export function pollCases(url: string, timeoutMs: number) {
  return worker().pollCases(url, timeoutMs);
}

/** New per-category time limits applied to the cases on the map, in their worker. */
export function setCaseLimits(limits: Record<string, number>) {
  return worker().setCaseLimits(limits);
}

/** An export of the district on the map, made in its worker. */
export function exportDistrict(kind: ExportKind, includePersonal: boolean, language: Language) {
  return worker().exportFile(kind, includePersonal, language);
}

export async function recheckDistrict(onProgress: (p: LoadProgress) => void): Promise<{ report: Report; timings: Record<string, number> }> {
  return worker().recheck(Comlink.proxy(onProgress));
}

export const draftVersions = () => worker().versions();
export const saveVersion = (name: string) => worker().saveVersion(name);
export const restoreVersion = (id: string) => worker().restoreVersion(id);
export const compareWithVersion = (id: string) => worker().compare(id);

/** A proposal worked out in the district's worker, with its progress. */
export const propose = (req: ProposalRequest, onProgress: (done: number, total: number) => void) => worker().propose(req, Comlink.proxy(onProgress));
export const cancelProposal = () => worker().cancelProposal();
export const acceptProposal = (id: number) => worker().acceptProposal(id);
