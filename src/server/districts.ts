// The districts the server holds, each opened once into the server's own district session
// (src/workspace/session.ts, the same code as the page's worker) — the one authority over its
// grids. An edit is planned there, checked (the planner's scope, someone else's newer change
// to the same grids), written to the log in one transaction with the PostGIS grids table, and
// only then answered and sent to every client listening.
import type { Feature } from 'geojson';
import { readArchive, writeArchive, type Archive, type ArchiveLayer } from '../store/archive';
import { rawLayersOfArchive } from '../workspace/fromWorkspace';
import { DistrictSession } from '../workspace/session';
import type { DraftStore } from '../store/drafts';
import type { Edit } from '../plan/types';
import { replay } from '../plan/history';
import { usableGrids } from '../checks/engine';
import { conflictOf, EditRefused, outOfScope, touchedCodes } from '../plan/shared';
import { toGeoColumns } from '../store/geoColumns';
import { isPersonalKey } from '../io/layers';
import type { RawLayers } from '../workspace/assemble';
import type { GridFeature } from '../domain/types';
import { EDITS, IMPORTED, type DistrictInfo, type EditEvent, type EditRequest, type Me, type PlanInfo, type PublishedInfo, type Refusal, type ServerView } from './api';
import { PlanBook } from './plans';
import { recordAudit } from './audit';
import { dropLayers, rewriteGrids, writeLayers } from './layers';
import type { Sql, Store } from './store';


export interface VersionInfo { id: string; name: string; createdAt: number; by: string }

/** The log in the database: each edit in one transaction with the grids' rows it changed. */
class ServerLog implements DraftStore {
  constructor(private readonly db: Store, private readonly id: string, private readonly grids: () => GridFeature[]) {}

  history(): never {
    throw new Error('the server session is the log: it never follows another');
  }

  async record(_ws: string, edit: Edit, rev: number): Promise<number> {
    if (edit.seq !== rev + 1) throw new Error(`edit ${edit.seq} after ${rev}: the log is out of step`);
    await this.db.tx(async (q) => {
      await q.query('INSERT INTO gs_edits (district_id, seq, by_user, at, op, change) VALUES ($1, $2, $3, $4, $5::json, $6::json)',
        [this.id, edit.seq, edit.by ?? '', edit.at, JSON.stringify(edit.op), JSON.stringify(edit.change)]);
      const codes = [...touchedCodes(edit.change)];
      await rewriteGrids(q, this.id, codes, this.grids(), 1_000_000 * edit.seq);
      await recordAudit(q, { user: edit.by ?? '', kind: 'edit', district: this.id, grids: codes, record: `edit ${edit.seq}`, detail: edit.op.type, at: edit.at });
      await q.query('UPDATE gs_districts SET updated_at = $2 WHERE id = $1', [this.id, edit.at]);
    });
    return edit.seq;
  }

  setDone(): never {
    throw new Error('a shared district is not undone by moving a count: undo is an edit');
  }
}

/** What a district's listeners hear: an edit committed, a plan submitted or decided, a version published. */
export type DistrictEvent = { type: 'edit'; data: EditEvent } | { type: 'plan'; data: PlanInfo } | { type: 'published'; data: PublishedInfo };

export class SharedDistrict {
  private readonly listeners = new Set<(e: DistrictEvent) => void>();
  private file: { seq: number; bytes: Promise<Uint8Array> } | null = null;
  /** the files of the read-only views (a published version, a plan's revision never change) */
  private readonly views = new Map<string, Promise<Uint8Array>>();
  readonly plans: PlanBook;

  constructor(readonly id: string, readonly name: string, private readonly archive: Archive, readonly session: DistrictSession, private readonly db: Store) {
    this.plans = new PlanBook(db, id, session.raw, () => session.importedGrids(), () => session.grids());
  }

  get seq(): number {
    return this.session.edits().length;
  }

  eventsAfter(seq: number): EditEvent[] {
    return this.session.edits().slice(Math.max(0, seq)) as EditEvent[];
  }

  listen(l: (e: DistrictEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Said to every listener (a listener that fails does not keep it from the others). */
  tell(e: DistrictEvent) {
    for (const l of this.listeners) {
      try { l(e); } catch (err) { console.error('gridscope: a listener failed', err); }
    }
  }

  /** An edit by `me`: committed and sent to every listener, or refused with the HTTP status that says why. */
  async edit(me: Me, req: EditRequest): Promise<{ status: number; body: { edit: EditEvent } | Refusal }> {
    if (!EDITS[me.role]) return { status: 403, body: { code: 'read_only_role', values: {} } };
    if (req.base > this.seq) return { status: 400, body: { code: 'bad_request', values: { message: `base ${req.base}: there are ${this.seq} edits` } } };
    if (req.op.type === 'restore') {
      const grids = await this.versionGrids(req.op.version);
      if (!grids) return { status: 422, body: { code: 'no_version', values: { id: req.op.version } } };
      this.session.rememberVersion(req.op.version, grids);
    }
    const answer = await this.session.commit(req.op, {
      by: me.name,
      guard: (change, edits) => {
        const outside = me.role === 'planner' ? outOfScope(change, me.scope) : null;
        if (outside) throw new EditRefused('out_of_scope', { grid: outside });
        const c = conflictOf(edits, req.base, me.name, change);
        if (c) throw new EditRefused('edit_conflict', { user: c.edit.by ?? '', grid: c.grid, seq: c.edit.seq });
      },
    });
    if (!answer.ok) {
      const status = answer.code === 'edit_conflict' ? 409 : answer.code === 'out_of_scope' ? 403 : answer.code === 'not_saved' ? 503 : 422;
      return { status, body: { code: answer.code, values: answer.values } };
    }
    const edit = answer.edit as EditEvent;
    this.tell({ type: 'edit', data: edit });
    return { status: 200, body: { edit } };
  }

  /** The district as a workspace file for a page: personal data masked, the log as its draft (made once per edit count). */
  fileBytes(): { seq: number; bytes: Promise<Uint8Array> } {
    const seq = this.seq;
    if (this.file?.seq !== seq) {
      const edits = this.session.edits().slice();
      this.file = {
        seq, bytes: this.versionsWithGrids().then((versions) => writeArchive({ ...this.archive, edits, editsDone: edits.length, versions, includePersonal: 'masked' })),
      };
    }
    return this.file;
  }

  /**
   * The district as a workspace file in a view: the draft (its log), or, read-only, the grids
   * of a published version or of a plan as its base with it applied; null when there is no such
   * version or plan. Made once per version and plan revision (they never change).
   */
  async viewBytes(view: ServerView): Promise<{ seq: number; bytes: Promise<Uint8Array> } | null> {
    if (view === 'draft') return this.fileBytes();
    const m = /^(published|plan)(?::(\d{1,9}))?$/.exec(view);
    if (!m || (m[1] === 'plan' && !m[2])) return null;
    let key: string, grids: () => Promise<GridFeature[] | null>;
    if (m[1] === 'published') {
      const n = m[2] ? Number(m[2]) : (await this.plans.current()).number;
      key = `published:${n}`;
      grids = () => this.plans.publishedGrids(n);
    } else {
      const p = await this.plans.plan(Number(m[2]));
      if (!p) return null;
      key = `plan:${p.id}:${p.revision}:${p.base}`;
      grids = () => this.plans.planGrids(p.id);
    }
    let bytes = this.views.get(key);
    if (!bytes) {
      const g = await grids();
      if (!g) return null;
      const layers = this.archive.layers.map((l) => (l.role === 'grids' ? { ...l, geo: toGeoColumns(g as Feature[]), count: g.length } : l));
      bytes = Promise.resolve(writeArchive({ ...this.archive, layers, edits: [], editsDone: 0, versions: [], includePersonal: 'masked' }));
      this.views.set(key, bytes);
      bytes.catch(() => this.views.delete(key));
    }
    return { seq: this.seq, bytes };
  }

  /** The personal columns of the households as uploaded (for an auditor who gave a reason). */
  personal(): { ids: string[]; columns: Record<string, unknown[]> } {
    const h = this.session.raw.households;
    const keys = new Set<string>();
    for (const f of h) for (const k of Object.keys(f.properties ?? {})) if (isPersonalKey(k)) keys.add(k);
    const columns: Record<string, unknown[]> = {};
    for (const k of keys) columns[k] = h.map((f) => (f.properties as unknown as Record<string, unknown>)[k] ?? null);
    return { ids: h.map((f) => String(f.properties.id)), columns };
  }

  /** The versions saved by name, then the published ones (ids published:N, named by their number and day). */
  async versions(): Promise<VersionInfo[]> {
    const rows = await this.db.query<{ id: string; name: string; by_user: string; created_at: string }>(
      'SELECT id, name, by_user, created_at FROM gs_versions WHERE district_id = $1 ORDER BY created_at, id', [this.id]);
    const published = (await this.plans.published()).map((p) => ({ id: `published:${p.number}`, name: `#${p.number} ${p.effective}`, createdAt: p.approvedAt, by: p.approvedBy }));
    return [...rows.map((r) => ({ id: r.id, name: r.name, createdAt: Number(r.created_at), by: r.by_user })), ...published];
  }

  private async versionsWithGrids() {
    const rows = await this.db.query<{ id: string; name: string; created_at: string; grids: string }>(
      'SELECT id, name, created_at, grids::text AS grids FROM gs_versions WHERE district_id = $1 ORDER BY created_at, id', [this.id]);
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: Number(r.created_at), grids: JSON.parse(r.grids) as GridFeature[] }));
  }

  async saveVersion(me: Me, name: string): Promise<VersionInfo> {
    const v = { id: `v${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name, createdAt: Date.now(), by: me.name };
    await this.db.query('INSERT INTO gs_versions (id, district_id, name, by_user, created_at, grids) VALUES ($1, $2, $3, $4, $5, $6::json)',
      [v.id, this.id, v.name, v.by, v.createdAt, JSON.stringify(this.session.grids())]);
    this.file = null;
    return v;
  }

  async versionGrids(id: string): Promise<GridFeature[] | null> {
    if (id === IMPORTED) return this.session.importedGrids();
    const published = /^published:(\d{1,9})$/.exec(id);
    if (published) return this.plans.publishedGrids(Number(published[1]));
    const [r] = await this.db.query<{ grids: string }>('SELECT grids::text AS grids FROM gs_versions WHERE district_id = $1 AND id = $2', [this.id, id]);
    return r ? JSON.parse(r.grids) : null;
  }
}


export class Districts {
  private readonly opened = new Map<string, Promise<SharedDistrict>>();

  constructor(private readonly db: Store) {}

  async list(): Promise<DistrictInfo[]> {
    const rows = await this.db.query<{ id: string; name: string; updated_at: string; seq: number | null }>(
      'SELECT d.id, d.name, d.updated_at, (SELECT max(seq) FROM gs_edits e WHERE e.district_id = d.id) AS seq FROM gs_districts d ORDER BY d.created_at, d.id');
    return rows.map((r) => ({ id: r.id, name: r.name, seq: Number(r.seq ?? 0), updatedAt: Number(r.updated_at) }));
  }

  /** A district, opened (checked once) the first time it is asked for; null when there is none. */
  get(id: string): Promise<SharedDistrict | null> {
    if (!/^[a-z0-9]{1,40}$/.test(id)) return Promise.resolve(null);
    let p = this.opened.get(id);
    if (!p) {
      p = this.open(id);
      this.opened.set(id, p);
      p.catch(() => this.opened.delete(id));
    }
    return p.then((d) => d, (e) => { if (e instanceof NoDistrict) return null; throw e; });
  }

  private async open(id: string): Promise<SharedDistrict> {
    const [row] = await this.db.query<{ name: string; base: Uint8Array }>('SELECT name, base FROM gs_districts WHERE id = $1', [id]);
    if (!row) throw new NoDistrict();
    const archive = readArchive(new Uint8Array(row.base), row.name);
    const edits = (await this.db.query<{ seq: number; by_user: string; at: string; op: string; change: string }>(
      'SELECT seq, by_user, at, op::text AS op, change::text AS change FROM gs_edits WHERE district_id = $1 ORDER BY seq', [id]))
      .map((r): Edit => ({ seq: r.seq, by: r.by_user, at: Number(r.at), op: JSON.parse(r.op), change: JSON.parse(r.change) }));
    const raw = rawLayersOfArchive(archive);
    let session: DistrictSession | null = null;
    const log = new ServerLog(this.db, id, () => session!.grids());
    session = DistrictSession.open(raw, { workspaceId: id, history: { edits, done: edits.length, rev: edits.length }, drafts: log, clockMs: Date.now() }).session;
    return new SharedDistrict(id, row.name, archive, session, this.db);
  }

  /**
   * A workspace file added as a new district: checked in full first (a FileError-like PartError
   * naming the part otherwise, nothing stored); its draft's applied edits become its grids, its
   * versions its versions; stored with its PostGIS tables in one transaction.
   */
  async add(bytes: Uint8Array, fileName: string, by: string): Promise<DistrictInfo> {
    const archive = readArchive(bytes, fileName);
    const raw = rawLayersOfArchive(archive);
    const grids = replay(usableGrids(raw.grids), { edits: archive.edits, done: archive.editsDone ?? 0 });
    const layers: ArchiveLayer[] = archive.layers.map((l) => (l.role === 'grids' ? { ...l, geo: toGeoColumns(grids as Feature[]), count: grids.length } : l));
    if (!layers.some((l) => l.role === 'grids')) layers.push({ role: 'grids', geo: toGeoColumns(grids as Feature[]), count: grids.length, source: { file: fileName, notes: [] } });
    const base = writeArchive({ ...archive, layers, edits: [], editsDone: 0, versions: [], includePersonal: true });
    const now = Date.now();
    const id = `d${now.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await this.db.tx(async (q) => {
      await q.query('INSERT INTO gs_districts (id, name, base, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [id, archive.name, base, now]);
      for (const [k, v] of archive.versions.entries()) {
        await q.query('INSERT INTO gs_versions (id, district_id, name, by_user, created_at, grids) VALUES ($1, $2, $3, $4, $5, $6::json)',
          [`v${now.toString(36)}${k}`, id, v.name, by, v.createdAt, JSON.stringify(v.grids)]);
      }
      await writeLayers(q, id, layersOf({ ...raw, grids }));
    });
    return { id, name: archive.name, seq: 0, updatedAt: now };
  }

  async remove(id: string, q: Sql = this.db) {
    await dropLayers(q, id);
    await q.query('DELETE FROM gs_districts WHERE id = $1', [id]);
    this.opened.delete(id);
  }
}

class NoDistrict extends Error {}

function layersOf(raw: RawLayers) {
  return { boundaries: raw.boundaries, grids: raw.grids, buildings: raw.buildings, households: raw.households } as unknown as Record<'boundaries' | 'grids' | 'buildings' | 'households', Feature[]>;
}
