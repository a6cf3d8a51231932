// The district off the main thread: fetch, decode FlatGeobuf, run the coverage checks,
// assemble tables and per-grid totals, then hand the typed arrays over without copying.
// The raw layers stay here so the checks can run again without reloading.
import * as Comlink from 'comlink';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { checkInputOf, nowFor, type RawLayers } from '../workspace/assemble';
import { buildingTableOfColumns, districtPreview, householdPositions, PREVIEW_TRIANGLES, previewBuffers, type DistrictPreview } from '../workspace/preview';
import { buildingBuffers, buildingTable, triangulate } from '../workspace/buildingTable';
import { fromGeoColumns } from '../store/geoColumns';
import { DistrictSession, type DraftState, type EditAnswer, type GridView, type ProposalAnswer } from '../workspace/session';
import { DraftTab } from './draftTabs';
import type { ProposalRequest } from '../workspace/proposals';
import { Drafts } from '../store/drafts';
import type { EditOp } from '../plan/types';
import { runChecks, usableGrids } from '../checks/engine';
import { withCaseFindings } from '../checks/cases';
import { GridLocator } from '../checks/locate';
import type { CaseFeature, DemoMeta, GridFeature } from '../domain/types';
import type { BuildingTable, CaseTable, District } from '../domain/district';
import { guardedFetch } from '../io/guardedFetch';
import { FEED_LIMITS, fetchOpen311, type FeedCap } from '../io/open311';
import { caseBuffers, caseColumns, casesAtBuffers, mergeIntoColumns } from '../workspace/caseTable';
import { casesOfRow, db } from '../store/db';
import { Workspaces, type WorkspaceRole } from '../store/workspaces';
import { rawLayersOf } from '../workspace/fromWorkspace';
import { districtShapefileZip, gridsFlatGeobuf, gridsGeoJSON, gridsShapefileZip, householdAssignmentCsv } from '../io/export';
import { zhCN } from '../i18n/zh-CN';
import { en } from '../i18n/en';
import type { Language } from '../i18n';
import { FileError, PartError, failFile } from '../io/fileError';
import { checkVersions } from '../store/checkStored';
import { ServerDrafts } from './serverDrafts';
import { fetchServerDistrict, LiveLink } from './serverDistrict';
import { EDITS, IMPORTED, type EditEvent, type Me, type PlanInfo, type PublishedInfo, type ServerView } from '../server/api';
import { EditRefused, outOfScope, touchedCodes } from '../plan/shared';
import type { EditMeta } from '../workspace/session';
import { call } from '../ui/server';
import type { History } from '../plan/history';

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
/** The district on the page: its layers, checker, cases and draft (one owner, src/workspace/session.ts). */
let session: DistrictSession | null = null;
const drafts = new Drafts(db);
/** set by cancelProposal: the proposal under way stops at its next community */
let cancelled = false;
/** This tab's place on the draft's workspace among the browser's tabs (writer or follower), and the page's ears for it. */
let tab: DraftTab | null = null;
let watcher: { view: (v: GridView) => void; draft: (d: DraftState) => void } | null = null;
/**
 * The district on the map is the office server's: who is logged in, the page's mirror of the
 * log, its live link and whether that is up. (Several tabs on a server are several clients:
 * no Web Lock is claimed.)
 */
/** On the office server: who, the log's mirror, the live link, and which view (only the draft follows edits and takes them). */
let shared: { me: Me; drafts: ServerDrafts; live: LiveLink | null; online: boolean; view: ServerView } | null = null;
let serverWatcher: ((n: ServerNotice) => void) | null = null;

/** What the page hears from the server: someone's edit (who, which grids), the link down or up again, a plan submitted or decided, a version published. */
export type ServerNotice = { kind: 'edit'; by: string; type: string; grids: string[] } | { kind: 'online'; online: boolean }
  | { kind: 'plan'; plan: PlanInfo } | { kind: 'published'; published: PublishedInfo };

function open(): DistrictSession {
  if (!session) throw new Error('no district loaded');
  return session;
}

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
    return assemble(layers, null, caseLimits, (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }));
  },

  /**
   * A workspace saved in IndexedDB (Dexie works in a worker too): read, then what the map draws
   * sent at once (onPreview: the stored columns as they are, a city's in well under a second),
   * then decoded and checked (the answer).
   */
  async loadWorkspace(workspaceId: string, caseLimits: Record<string, number>, onProgress: (p: LoadProgress) => void, onPreview?: (p: DistrictPreview) => void) {
    const t0 = performance.now();
    const total = 1 + CHECK_STAGES.length;
    let done = 0;
    onProgress({ step: 'load.reading', done, total });
    const { workspace, rows } = await new Workspaces(db).read(workspaceId).catch(transferable); // checked: a damaged one is refused, named
    onProgress({ step: 'load.reading', done: ++done, total });
    const t1 = performance.now();
    const stored = (role: WorkspaceRole) => rows.find((r) => r.role === role && r.geo)?.geo;
    const features = (role: WorkspaceRole) => { const c = stored(role); return c ? fromGeoColumns(c) : []; };
    const storedCases = rows.find((r) => r.cases)?.cases;
    const small = { boundaries: features('boundaries'), grids: features('grids'), roads: features('roads'), water: features('water') };
    let preview: DistrictPreview | undefined;
    let names: Pick<BuildingTable, 'ids' | 'addresses'> | undefined;
    const buildings = stored('buildings');
    const table = !onPreview ? null : buildings ? buildingTableOfColumns(buildings, { triangles: buildings.count <= PREVIEW_TRIANGLES }) : buildingTable([], new Int32Array(0), new Int32Array(0));
    if (onPreview && table) {
      // The cases' texts are not drawn: unpacked (400,000 strings of each) after the preview.
      const noTexts = storedCases ? { ...storedCases, ids: [], addresses: [], descriptions: [] } : caseColumns([]);
      const raw = rawLayersOf(workspace, small, noTexts);
      const households = stored('households');
      // (the buildings' ids and addresses, 400,000 strings to clone, come with the District)
      names = { ids: table.ids, addresses: table.addresses };
      preview = districtPreview(raw, { ...table, ids: [], addresses: [] }, households ? householdPositions(households) : new Float64Array(0), noTexts, nowFor(raw.meta, Date.now()), caseLimits);
      void onPreview(Comlink.transfer(preview, previewBuffers(preview)));
      console.debug(`district worker: read in ${Math.round(t1 - t0)} ms, preview sent ${Math.round(performance.now() - t1)} ms later (asked at ${Math.round(performance.timeOrigin + t0)}, worker began ${Math.round(performance.timeOrigin)})`);
    }
    const layers = { ...small, buildings: features('buildings'), households: features('households') };
    const cases = storedCases ? casesOfRow(storedCases) : caseColumns([]);
    return assemble(rawLayersOf(workspace, layers, cases), workspaceId, caseLimits, (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }), preview && names && { preview, names });
  },

  /**
   * A district on the office server: its file (layers, the log as edits, versions) read and
   * checked, edited through the server (each edit committed there), followed live.
   */
  async loadServerDistrict(id: string, me: Me, caseLimits: Record<string, number>, onProgress: (p: LoadProgress) => void, view: ServerView = 'draft') {
    const total = 1 + CHECK_STAGES.length;
    let done = 0;
    onProgress({ step: 'load.reading', done, total });
    // A file that does not read is named as the workspace files are; the server's refusal is said as it is.
    const { raw, archive } = await fetchServerDistrict(id, id, view).catch((e: unknown) => transferable(e instanceof PartError ? asFileError(`${id}.gridscope`, e) : e));
    onProgress({ step: 'load.reading', done: ++done, total });
    const drafts = new ServerDrafts({ district: id, edits: archive.edits });
    const history = { edits: archive.edits, done: archive.edits.length, rev: archive.edits.length };
    return assemble(raw, id, caseLimits, (stage) => onProgress({ step: 'load.checking', stage, done: ++done, total }), undefined, { me, drafts, history, view });
  },

  /**
   * A read-only view of a server district brought to published version `n` (its grids fetched,
   * only those that differ checked again): the wall's next version without opening it anew.
   */
  async showPublished(n: number): Promise<GridView> {
    const s = open();
    const sh = shared;
    if (!sh || sh.view === 'draft') throw new Error('not a published view of a server district');
    const grids = await call<GridFeature[]>(districtPath(`/versions/published:${n}`));
    if (session !== s || shared !== sh) throw new Error('another district was opened meanwhile');
    sh.view = `published:${n}`;
    return transferView(await s.showGrids(usableGrids(grids)));
  },

  /** The page's ears for the server: others' edits as they come (the view itself comes by watchDraft's onView), the link down and up. */
  watchServer(onNotice: (n: ServerNotice) => void) {
    serverWatcher = onNotice;
    return shared ? { online: shared.online } : null;
  },

  /** A file of the district on the map (its layers as loaded); 户主 and phone only with includePersonal. */
  exportFile(kind: ExportKind, includePersonal: boolean, language: Language) {
    const s = open();
    const out = exportOf(kind, { ...s.raw, grids: s.grids() }, s.assignment(), includePersonal, language);
    return typeof out.data === 'string' ? out : Comlink.transfer(out, [out.data.buffer as ArrayBuffer]);
  },

  /**
   * Polls an Open311 feed: pages fetched, merged by id into the cases held (closed cases stay
   * closed unless the feed reopens them), located in the grids, statuses as of now — a feed
   * is live data. A failure throws and changes nothing.
   */
  async pollCases(url: string, timeoutMs: number): Promise<FeedUpdate> {
    const s = open();
    const raw = s.raw;
    const got = await fetchOpen311(url, { signal: AbortSignal.timeout(timeoutMs) });
    // All a feed may hold: new cases past the limit are not added (updates still are).
    const room = FEED_LIMITS.cases - raw.cases.count;
    const known = new Set(raw.cases.ids);
    let fresh = 0;
    const incoming = got.cases.filter((c) => known.has(c.properties.service_request_id) || fresh++ < room);
    if (incoming.length < got.cases.length && !got.capped.includes('cases')) got.capped.push('cases');
    const merged = mergeIntoColumns(raw.cases, incoming);
    raw.cases = merged.columns;
    s.live = true;
    const u = s.casesNow();
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
    const s = open();
    s.setLimits(caseLimits);
    const u = s.casesNow();
    return Comlink.transfer(u, casesAtBuffers(u));
  },

  /** Runs the coverage checks again, in full, on the district as it is now (its draft's grids). */
  recheck(onProgress: (p: LoadProgress) => void) {
    const s = open();
    let done = 0;
    const { report, timings } = runChecks(checkInputOf({ ...s.raw, grids: s.grids() }), undefined, (stage) =>
      onProgress({ step: 'load.checking', stage, done: ++done, total: CHECK_STAGES.length }));
    const { ids, positions } = s.raw.cases;
    return { report: withCaseFindings(report, { ids, positions, grid: new GridLocator(s.grids()).locateAll(positions) }), timings };
  },

  /** One edit of the draft (src/plan): the grids, totals and report as they now are, or why it was refused. */
  async applyEdit(op: EditOp): Promise<EditAnswer> {
    const s = open();
    return answered(s, await s.applyEdit(op, scopeGuard()));
  },
  async undo(): Promise<EditAnswer> {
    const s = open();
    return answered(s, await s.undo());
  },
  async redo(): Promise<EditAnswer> {
    const s = open();
    return answered(s, await s.redo());
  },
  draft(): DraftState {
    return open().draft();
  },

  /**
   * The console's editor takes its place on the draft on the map (the big screen never does):
   * the writer, or read-only behind the tab that is; onView brings the other tab's edits as
   * they are committed, onDraft a change of role (the writer's tab closed: this one edits now).
   */
  async watchDraft(onView: (v: GridView) => void, onDraft: (d: DraftState) => void): Promise<DraftState> {
    watcher = { view: onView, draft: onDraft };
    if (!shared) await claimDraft(open());
    return open().draft();
  },

  /** A proposal (auto-split, auto-merge, repair), with progress; cancelProposal stops a long one between communities. */
  async propose(req: ProposalRequest, onProgress: (done: number, total: number) => void): Promise<ProposalAnswer> {
    cancelled = false;
    return open().propose(req, async (done, total) => {
      onProgress(done, total);
      await new Promise((r) => setTimeout(r, 0)); // let a cancel in
      return cancelled;
    });
  },
  cancelProposal() {
    cancelled = true;
  },
  /** This tab takes the draft over from the tab editing it (that one turns read-only); onDraft says when. */
  async takeDraft(): Promise<void> {
    await tab?.takeOver();
  },
  async acceptProposal(id: number): Promise<EditAnswer> {
    const s = open();
    return answered(s, await s.accept(id));
  },

  /** The versions of the draft's workspace: the grids as imported first, then those saved by name. */
  async versions(): Promise<VersionInfo[]> {
    const s = open();
    if (shared) return [{ id: IMPORTED, name: '', createdAt: 0 }, ...await call<VersionInfo[]>(districtPath('/versions'))];
    const saved = s.draft().workspaceId ? await drafts.versions(s.draft().workspaceId!) : [];
    return [{ id: IMPORTED, name: '', createdAt: 0 }, ...saved.map((v) => ({ id: v.id, name: v.name, createdAt: v.createdAt }))];
  },

  async saveVersion(name: string): Promise<VersionInfo> {
    const s = open();
    const ws = s.draft().workspaceId;
    if (!ws) throw new Error('no workspace: edit the district first');
    if (shared) return call<VersionInfo>(districtPath('/versions'), { body: { name: name.trim() || new Date().toISOString().slice(0, 10) } });
    const v = await drafts.saveVersion(ws, name.trim() || new Date().toISOString().slice(0, 10), s.grids().slice());
    return { id: v.id, name: v.name, createdAt: v.createdAt };
  },

  /** A version's grids as the draft (one edit: undo goes back). */
  async restoreVersion(id: string): Promise<EditAnswer> {
    const s = open();
    s.rememberVersion(id, await versionGrids(s, id));
    return answered(s, await s.applyEdit({ type: 'restore', version: id }));
  },

  /** The draft compared with a version. */
  async compare(id: string): Promise<ReturnType<DistrictSession['compareWith']>> {
    const s = open();
    return s.compareWith(await versionGrids(s, id));
  },

  /**
   * Editing the demo (or any district not yet saved) starts a workspace copy of it: every
   * layer saved as it is; the demo itself is never changed.
   */
  async startDraft(name: string): Promise<DraftState> {
    const s = open();
    if (s.editable) return s.draft();
    const { meta, boundaries, grids, roads, water, buildings, households, cases } = s.raw;
    const row = await new Workspaces(db).createFromDistrict(name, meta, { boundaries, grids, roads, water, buildings, households }, cases);
    s.adopt(row.id);
    await claimDraft(s);
    return s.draft();
  },
};


export interface VersionInfo {
  id: string;
  /** '' for the imported grids (the page names it in its language) */
  name: string;
  createdAt: number;
}

async function versionGrids(s: DistrictSession, id: string): Promise<GridFeature[]> {
  if (id === IMPORTED) return s.importedGrids();
  if (shared) return call<GridFeature[]>(districtPath(`/versions/${encodeURIComponent(id)}`));
  const v = await drafts.version(id);
  if (!v) throw new Error(`no version ${id}`);
  try { checkVersions([v], 'versions'); } catch (e) { failFile(s.raw.meta.district_name, e); }
  return v.grids;
}

/** Takes this tab's place on the session's draft (the one before, if another, let go). */
async function claimDraft(s: DistrictSession) {
  const id = s.draft().workspaceId;
  if (tab && tab.workspaceId === id) return;
  tab?.close();
  tab = null;
  if (!id || !watcher) return;
  const claimed = await DraftTab.claim(id, {
    role: (writer) => {
      if (session !== s) return;
      if (!writer) { // another tab took the draft over: nothing more is edited here
        s.setReadOnly(true);
        watcher?.draft(s.draft());
        return;
      }
      // The writer's tab closed or let go: the draft as it left it, then editable here.
      void catchUp(s).then(() => { s.setReadOnly(false); watcher?.draft(s.draft()); });
    },
    changed: () => { if (session === s) void catchUp(s); },
  });
  if (session !== s || s.draft().workspaceId !== id) { claimed.tab.close(); return; } // another district opened meanwhile
  tab = claimed.tab;
  s.setReadOnly(!claimed.writer);
}

/** A path of the shared district's API. */
function districtPath(rest: string) {
  return `/api/districts/${encodeURIComponent(shared!.drafts.district)}${rest}`;
}

/** A planner's edit outside their streets and communities is refused here at once (the server refuses it anyway). */
function scopeGuard(): EditMeta {
  const me = shared?.me;
  if (!me || me.role !== 'planner' || me.scope.length === 0) return {};
  return { guard: (change) => { const grid = outOfScope(change, me.scope); if (grid) throw new EditRefused('out_of_scope', { grid }); } };
}

/** Edits the role may not make, or none while the server is out of reach (nothing would be stored). */
function sharedReadOnly(s: DistrictSession) {
  if (!shared) return;
  if (shared.view !== 'draft') s.setReadOnly(true, 'view_read_only');
  else if (!EDITS[shared.me.role]) s.setReadOnly(true, 'read_only_role');
  else if (!shared.online) s.setReadOnly(true, 'server_unreachable');
  else s.setReadOnly(false);
}

/** Follows the server: edits as they come, the link down (read-only at once) and up (caught up, then editable). */
function goLive(s: DistrictSession, sh: NonNullable<typeof shared>) {
  const mine = () => session === s && shared === sh;
  const draft = sh.view === 'draft';
  const heard = (edits: EditEvent[]) => {
    if (!mine() || !draft) return; // a published version or a plan does not change with the draft
    const added = sh.drafts.receive(edits);
    if (sh.drafts.gap) void serverCatchUp(s);
    else if (added.length) void catchUp(s);
    for (const e of added) if (e.by !== sh.me.name) serverWatcher?.({ kind: 'edit', by: e.by ?? '', type: e.op.type, grids: [...touchedCodes(e.change)] });
  };
  sh.live = new LiveLink(sh.drafts.district, draft ? null : ['plan', 'published'], {
    seq: () => sh.drafts.seq,
    edits: heard,
    hello: (seq) => { if (mine() && draft && seq > sh.drafts.seq) void serverCatchUp(s); },
    plan: (plan) => { if (mine()) serverWatcher?.({ kind: 'plan', plan }); },
    published: (published) => { if (mine()) serverWatcher?.({ kind: 'published', published }); },
    online: (up) => {
      if (!mine()) return;
      if (!up) {
        sh.online = false;
        sharedReadOnly(s);
        watcher?.draft(s.draft());
        serverWatcher?.({ kind: 'online', online: false });
        return;
      }
      // Back: what was missed first, then edits again.
      void serverCatchUp(s).then((ok) => {
        if (!mine() || !ok) return;
        sh.online = true;
        sharedReadOnly(s);
        watcher?.draft(s.draft());
        serverWatcher?.({ kind: 'online', online: true });
      });
    },
  });
}

/** The edits the mirror lacks fetched from the server, then shown; answers whether that worked. */
async function serverCatchUp(s: DistrictSession): Promise<boolean> {
  if (!shared) return false;
  const sh = shared;
  if (sh.view !== 'draft') return true; // nothing to catch up with: a view is as the server made it
  try {
    const added = await sh.drafts.catchUp();
    for (const e of added) if (e.by !== sh.me.name) serverWatcher?.({ kind: 'edit', by: e.by ?? '', type: e.op.type, grids: [...touchedCodes(e.change)] });
  } catch (e) {
    console.warn('district worker: could not catch up with the server', e);
    return false;
  }
  await catchUp(s);
  return true;
}

/** The draft as another tab left it, on this page. */
async function catchUp(s: DistrictSession) {
  try {
    const v = await s.follow();
    if (v && session === s) watcher?.view(transferView(v));
  } catch (e) {
    console.error('district worker: could not follow the draft written in another tab', e);
  }
}

/** An edit's answer: the other tabs told of it once committed; refused as stale, this tab catches up. */
function answered(s: DistrictSession, a: EditAnswer): EditAnswer {
  if (a.ok) tab?.announce();
  else if (a.code === 'draft_conflict') void catchUp(s);
  // Refused as made on an old view: the server's grids as they are now, on this page.
  else if (shared && (a.code === 'edit_conflict' || a.code === 'undo_blocked')) void serverCatchUp(s);
  return transferAnswer(a);
}

function asFileError(file: string, e: unknown): FileError {
  try { failFile(file, e); } catch (f) { return f as FileError; }
}

/** A FileError keeps its code across postMessage (the page says it in the user's language). */
function transferable(e: unknown): never {
  throw e instanceof FileError ? e.forTransfer() : e;
}

function transferAnswer(a: EditAnswer): EditAnswer {
  return a.ok ? Comlink.transfer(a, viewBuffers(a.view)) : a;
}

function transferView(v: GridView): GridView {
  return Comlink.transfer(v, viewBuffers(v));
}

function viewBuffers(v: GridView): ArrayBuffer[] {
  const s = v.gridStats;
  return [v.buildingGrid, v.householdGrid, v.caseGrid, s.households, s.buildings, s.residents, s.openCases, s.overdueCases].map((x) => x.buffer as ArrayBuffer);
}

async function assemble(layers: RawLayers, workspaceId: string | null, limits: Record<string, number>, onStage: (stage: string) => void,
  sent?: { preview: DistrictPreview; names: Pick<BuildingTable, 'ids' | 'addresses'> },
  server?: { me: Me; drafts: ServerDrafts; history: History & { rev: number }; view: ServerView }) {
  const preview = sent?.preview;
  const t0 = performance.now();
  // A district opened anew: this tab's place on the draft before is let go (the page claims it again).
  tab?.close();
  tab = null;
  shared?.live?.close();
  shared = null;
  const history = server ? server.history : workspaceId ? await new Workspaces(db).history(workspaceId, drafts).catch(transferable) : undefined;
  const opened = DistrictSession.open(layers, { workspaceId, history, drafts: server?.drafts ?? drafts, limits, clockMs: Date.now(), onStage, preview, ...(server ? { me: server.me.name } : {}) });
  session = opened.session;
  if (server) {
    server.drafts.start(session.grids());
    shared = { me: server.me, drafts: server.drafts, live: null, online: true, view: server.view };
    sharedReadOnly(session);
    goLive(session, shared);
  }
  const district = opened.district;
  console.debug(`district worker: checked and assembled in ${Math.round(performance.now() - t0)} ms`);
  // Buildings go as columns (buildingTable): cloning 200,000 footprint objects cost seconds on
  // each side of postMessage, and rebuilding them on the page froze it; typed arrays move free.
  // What the preview already brought the page (footprints, points, rasters) does not go again.
  const b = district.buildings;
  const sameBuildings = preview !== undefined && b.shapes === preview.buildings.shapes;
  // A city's footprints came to the page uncut (the preview drew their density): their triangles now.
  const cut = sameBuildings && b.count > 0 && b.triangles.length === 0 ? triangulate(b.shapes) : null;
  const { positions, ...households } = district.households;
  const packed: PackedDistrict = {
    ...district, draft: session.draft(),
    buildings: sameBuildings ? { count: b.count, grid: b.grid, households: b.households, ...sent!.names, ...cut } : b,
    households: preview ? households : district.households,
    density: district.density === preview?.density ? undefined : district.density,
  };
  const h = district.households, s = district.gridStats;
  const buffers = [
    ...(sameBuildings ? [b.grid, b.households, ...(cut ? [cut.triangles, cut.triangleStart] : [])].map((a) => a.buffer as ArrayBuffer) : buildingBuffers(b)),
    ...[h.units, h.residents, h.building, h.grid, ...(preview ? [] : [positions])].map((a) => a.buffer as ArrayBuffer),
    ...(packed.density ? [packed.density.households.level.buffer as ArrayBuffer, packed.density.buildings.level.buffer as ArrayBuffer] : []),
    ...[s.households, s.buildings, s.residents, s.openCases, s.overdueCases].map((a) => a.buffer as ArrayBuffer),
    ...caseBuffers(district.cases),
  ];
  return Comlink.transfer(packed, buffers);
}

/**
 * A district as it crosses to the page, with where its draft stands; what the preview brought
 * is left out (the page's unpackDistrict puts it back): the buildings' footprints and columns
 * when the checks kept them all as stored, the households' points, the density rasters.
 */
export type PackedDistrict = Omit<District, 'buildings' | 'households' | 'density'> & {
  buildings: BuildingTable | (Pick<BuildingTable, 'count' | 'grid' | 'households' | 'ids' | 'addresses'> & Partial<Pick<BuildingTable, 'triangles' | 'triangleStart'>>);
  households: Omit<District['households'], 'positions'> & { positions?: Float64Array };
  density?: District['density'];
  draft: DraftState;
};

function exportOf(kind: ExportKind, layers: RawLayers, assigned: ReturnType<DistrictSession['assignment']>, includePersonal: boolean, language: Language): { ext: string; type: string; data: Uint8Array | string } {
  switch (kind) {
    case 'grids-geojson': return { ext: 'geojson', type: 'application/geo+json', data: gridsGeoJSON(layers.grids, { includePersonal }) };
    case 'grids-fgb': return { ext: 'fgb', type: 'application/octet-stream', data: gridsFlatGeobuf(layers.grids, { includePersonal }) };
    case 'grids-shp': return { ext: 'zip', type: 'application/zip', data: gridsShapefileZip(layers.grids, { includePersonal }) };
    case 'district-shp': return { ext: 'zip', type: 'application/zip', data: districtShapefileZip(layers, { includePersonal }) };
    case 'assignment-csv':
      return { ext: 'csv', type: 'text/csv;charset=utf-8', data: householdAssignmentCsv(assigned, assigned, language === 'en' ? en : zhCN) };
  }
}

export type DistrictWorkerApi = typeof api;
Comlink.expose(api);
