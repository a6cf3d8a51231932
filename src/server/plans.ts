// From draft to published plan: a planner submits the draft's changes (in their scope) against
// the published plan; a reviewer comments, returns or approves; approval makes a new published
// version, which never changes. The published grids are checked by a checker of their own, so
// a plan's findings (and how many are new) are the published checker with the plan applied for
// a moment — the regions it touches re-checked, not the district.
import type { GridFeature } from '../domain/types';
import { CoverageChecker } from '../checks/engine';
import type { Finding } from '../checks/report';
import { checkInputOf, type RawLayers } from '../workspace/assemble';
import { sameGrid } from '../plan/restore';
import { inScope } from '../plan/shared';
import type { GridLife, Me, PlanComment, PlanDetail, PlanInfo, PlanStatus, PublishedInfo, Refusal } from './api';
import { recordAudit } from './audit';
import type { Sql, Store } from './store';

/** What the book answers: a value, or a refusal with the HTTP status that says why. */
export type Answer<T> = { ok: true; value: T } | { ok: false; status: number; body: Refusal };
const refuse = (status: number, code: string, values: Refusal['values'] = {}): { ok: false; status: number; body: Refusal } => ({ ok: false, status, body: { code, values } });

/** A plan's changes: the codes it touches and the grids it gives them (a code without one is removed). */
export interface PlanChanges {
  codes: string[];
  after: GridFeature[];
  renumber: [string, string][];
}

/** The draft's changes against the published grids, for the codes in `scope` (empty: all). */
export function planChanges(published: GridFeature[], draft: GridFeature[], scope: readonly string[]): PlanChanges {
  const was = new Map(published.map((g) => [g.properties.code, g]));
  const now = new Map(draft.map((g) => [g.properties.code, g]));
  const codes: string[] = [];
  for (const code of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(code), b = now.get(code);
    if (a && sameGrid(a, b)) continue;
    if (!(a && inScope(a, scope)) && !(b && inScope(b, scope))) continue;
    codes.push(code);
  }
  codes.sort();
  const after = codes.flatMap((c) => now.get(c) ?? []);
  // Renumbered: a grid that is gone under its old code and is there, the same land, under a new one.
  const gone = new Map(codes.filter((c) => !now.has(c)).map((c) => [JSON.stringify(was.get(c)!.geometry), c]));
  const renumber: [string, string][] = codes.filter((c) => !was.has(c)).flatMap((c) => {
    const old = gone.get(JSON.stringify(now.get(c)!.geometry));
    return old ? [[old, c] as [string, string]] : [];
  });
  return { codes, after, renumber };
}

/** `base` with the plan applied: its codes' grids replaced by the plan's (in code order). */
export function applyPlan(base: GridFeature[], p: Pick<PlanChanges, 'codes' | 'after'>): GridFeature[] {
  const codes = new Set(p.codes);
  return [...base.filter((g) => !codes.has(g.properties.code)), ...p.after].sort((a, b) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0));
}

/** The grids' lifecycle after a plan takes effect: new grids start that day, removed ones end it. */
export function nextLifecycle(life: GridLife[], base: GridFeature[], p: PlanChanges, effective: string): GridLife[] {
  const had = new Set(base.map((g) => g.properties.code));
  const has = new Map(p.after.map((g) => [g.properties.code, g]));
  const out = life.map((l) => (l.end === null && p.codes.includes(l.code) && !has.has(l.code) ? { ...l, end: effective } : l));
  for (const [code, g] of has) if (!had.has(code)) out.push({ code, name: g.properties.name, start: effective, end: null });
  return out;
}

/** The day (YYYY-MM-DD) in China time (UTC+8): the office's calendar, whatever the server's zone. */
export function chinaDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

interface PlanRow {
  id: number; author: string; note: string; scope: string; status: PlanStatus; revision: number; base: number; effective: string;
  submitted_at: string; codes: string; after: string; renumber: string; decided_by: string | null; decided_at: string | null;
  reason: string | null; published: number | null; findings: string;
}

interface PublishedRow {
  number: number; plan_id: number | null; approved_by: string; approved_at: string; effective: string; note: string;
  lifecycle: string; renumber: string; plan_number: string | null;
}

type Findings = PlanDetail['findings'];

/**
 * Whether a finding after the plan is new: no finding of its kind was where it is (their boxes
 * meet) and at least as large. A gap the plan only reshaped (re-noded near a moved vertex) is
 * not new; one it made, or made larger, is.
 */
function isFresh(f: Finding, before: Finding[]): boolean {
  const b = bboxOf(f.geometry);
  const area = Number((f.measure as { area_m2?: number }).area_m2 ?? 0);
  return !before.some((o) => {
    if (o.kind !== f.kind) return false;
    const c = bboxOf(o.geometry);
    return c[0] <= b[2] && b[0] <= c[2] && c[1] <= b[3] && b[1] <= c[3] && Number((o.measure as { area_m2?: number }).area_m2 ?? 0) >= area - 1;
  });
}

function bboxOf(g: Finding['geometry']): number[] {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1] as number); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g && 'coordinates' in g) walk(g.coordinates);
  return b;
}

const LAND = (f: Finding) => f.kind === 'gap' || f.kind === 'overlap';

export class PlanBook {
  private latest: { number: number; grids: GridFeature[] } | null = null;
  private checker: CoverageChecker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Store, private readonly district: string, private readonly raw: RawLayers,
    private readonly imported: () => GridFeature[], private readonly draft: () => GridFeature[]) {}

  /** One change at a time per district (two approvals at once would publish two versions on one base). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The latest published version (made from the grids as imported the first time it is asked for). */
  async current(): Promise<{ number: number; grids: GridFeature[] }> {
    if (this.latest) return this.latest;
    const [r] = await this.db.query<{ number: number; grids: string }>(
      'SELECT number, grids::text AS grids FROM gs_published WHERE district_id = $1 ORDER BY number DESC LIMIT 1', [this.district]);
    if (r) return (this.latest = { number: r.number, grids: JSON.parse(r.grids) });
    const grids = this.imported();
    const [d] = await this.db.query<{ created_at: string }>('SELECT created_at FROM gs_districts WHERE id = $1', [this.district]);
    const day = chinaDay(Number(d?.created_at ?? Date.now()));
    const life: GridLife[] = grids.map((g) => ({ code: g.properties.code, name: g.properties.name, start: day, end: null }));
    await this.db.query(`INSERT INTO gs_published (district_id, number, plan_id, approved_by, approved_at, effective, note, grids, lifecycle, renumber)
      VALUES ($1, 1, NULL, '', $2, $3, '', $4::json, $5::json, '[]'::json) ON CONFLICT DO NOTHING`, [this.district, Number(d?.created_at ?? Date.now()), day, JSON.stringify(grids), JSON.stringify(life)]);
    this.latest = null;
    return this.current();
  }

  async published(): Promise<PublishedInfo[]> {
    await this.current();
    const rows = await this.db.query<PublishedRow>(`SELECT p.number, p.plan_id, p.approved_by, p.approved_at, p.effective, p.note, p.lifecycle::text AS lifecycle,
      p.renumber::text AS renumber, (SELECT submitted_at::text FROM gs_plans x WHERE x.district_id = p.district_id AND x.id = p.plan_id) AS plan_number
      FROM gs_published p WHERE p.district_id = $1 ORDER BY p.number`, [this.district]);
    return rows.map((r) => ({
      number: r.number, plan: r.plan_id, planNumber: r.plan_id === null ? null : planNumber(r.plan_id, Number(r.plan_number)),
      approvedBy: r.approved_by, approvedAt: Number(r.approved_at), effective: r.effective, note: r.note,
      renumber: JSON.parse(r.renumber), lifecycle: JSON.parse(r.lifecycle),
    }));
  }

  async publishedGrids(n: number): Promise<GridFeature[] | null> {
    const cur = await this.current();
    if (n === cur.number) return cur.grids;
    const [r] = await this.db.query<{ grids: string }>('SELECT grids::text AS grids FROM gs_published WHERE district_id = $1 AND number = $2', [this.district, n]);
    return r ? JSON.parse(r.grids) : null;
  }

  async plans(): Promise<PlanInfo[]> {
    const cur = await this.current();
    return (await this.rows()).map((r) => infoOf(r, cur.number));
  }

  async plan(id: number): Promise<PlanDetail | null> {
    const cur = await this.current();
    const [r] = await this.rows(id);
    if (!r) return null;
    const comments = (await this.db.query<{ id: string; revision: number; by_user: string; at: string; text: string; grid: string | null; lon: number | null; lat: number | null }>(
      'SELECT id, revision, by_user, at, text, grid, lon, lat FROM gs_comments WHERE district_id = $1 AND plan_id = $2 ORDER BY id', [this.district, id]))
      .map((c): PlanComment => ({ id: Number(c.id), plan: id, revision: c.revision, by: c.by_user, at: Number(c.at), text: c.text, grid: c.grid, lonLat: c.lon === null || c.lat === null ? null : [c.lon, c.lat] }));
    return { ...infoOf(r, cur.number), after: JSON.parse(r.after), comments, findings: JSON.parse(r.findings) };
  }

  /** A plan's grids: its base version with it applied. */
  async planGrids(id: number): Promise<GridFeature[] | null> {
    const [r] = await this.rows(id);
    if (!r) return null;
    const base = await this.publishedGrids(r.base);
    return base && applyPlan(base, { codes: JSON.parse(r.codes), after: JSON.parse(r.after) });
  }

  private rows(id?: number): Promise<PlanRow[]> {
    return this.db.query<PlanRow>(`SELECT id, author, note, scope::text AS scope, status, revision, base, effective, submitted_at, codes::text AS codes, after::text AS after,
      renumber::text AS renumber, decided_by, decided_at, reason, published, findings::text AS findings FROM gs_plans WHERE district_id = $1 ${id === undefined ? '' : 'AND id = $2'} ORDER BY id DESC`,
    id === undefined ? [this.district] : [this.district, id]);
  }

  /** The findings of the published grids with `p` applied, and how many of them the published grids do not have. */
  private findingsOf(p: PlanChanges): Findings {
    const c = this.checker!;
    const before = c.report().findings.filter(LAND);
    const codes = new Set(p.codes);
    const out = c.currentGrids().filter((g) => codes.has(g.properties.code));
    c.replaceGrids(out, p.after);
    try {
      const after = c.report().findings.filter(LAND);
      const fresh = after.filter((f) => isFresh(f, before));
      return {
        gaps: after.filter((f) => f.kind === 'gap').length, overlaps: after.filter((f) => f.kind === 'overlap').length,
        newGaps: fresh.filter((f) => f.kind === 'gap').length, newOverlaps: fresh.filter((f) => f.kind === 'overlap').length,
      };
    } finally {
      c.replaceGrids(p.after, out);
    }
  }

  private async ready() {
    const cur = await this.current();
    this.checker ??= new CoverageChecker(checkInputOf({ ...this.raw, grids: cur.grids }));
    return cur;
  }

  /** The draft's changes in `me`'s scope, submitted (or, with `id`, the plan `id` brought up to date). */
  submit(me: Me, o: { note?: unknown; effective?: unknown }, id?: number): Promise<Answer<PlanInfo>> {
    return this.serial(async () => {
      const old = id === undefined ? null : (await this.rows(id))[0];
      if (id !== undefined) {
        if (!old) return refuse(404, 'no_plan', { id });
        if (old.author !== me.name) return refuse(403, 'not_author', { user: old.author });
        if (old.status !== 'submitted' && old.status !== 'returned') return refuse(409, 'plan_closed', { status: old.status });
      }
      const note = o.note === undefined && old ? old.note : o.note;
      const effective = o.effective === undefined && old ? old.effective : o.effective;
      if (typeof note !== 'string' || note.length > 2000) return refuse(400, 'bad_request', { message: 'note: a text of at most 2000 characters' });
      if (!isDay(effective)) return refuse(400, 'bad_request', { message: 'effective: a date YYYY-MM-DD' });
      const cur = await this.ready();
      const scope = me.role === 'planner' ? me.scope : [];
      const changes = planChanges(cur.grids, this.draft(), scope);
      if (changes.codes.length === 0) return refuse(422, 'no_changes', {});
      const findings = this.findingsOf(changes);
      const now = Date.now();
      const plan = await this.db.tx(async (q) => {
        const pid = old?.id ?? Number((await q.query<{ n: number | null }>('SELECT max(id) AS n FROM gs_plans WHERE district_id = $1', [this.district]))[0]?.n ?? 0) + 1;
        const values = [this.district, pid, me.name, note.trim(), JSON.stringify(scope), (old?.revision ?? 0) + 1, cur.number, effective, now,
          JSON.stringify(changes.codes), JSON.stringify(changes.after), JSON.stringify(changes.renumber), JSON.stringify(findings)];
        if (old) {
          await q.query(`UPDATE gs_plans SET author = $3, note = $4, scope = $5::json, status = 'submitted', revision = $6, base = $7, effective = $8, submitted_at = $9,
            codes = $10::json, after = $11::json, renumber = $12::json, findings = $13::json, decided_by = NULL, decided_at = NULL WHERE district_id = $1 AND id = $2`, values);
        } else {
          await q.query(`INSERT INTO gs_plans (district_id, id, author, note, scope, status, revision, base, effective, submitted_at, codes, after, renumber, findings)
            VALUES ($1, $2, $3, $4, $5::json, 'submitted', $6, $7, $8, $9, $10::json, $11::json, $12::json, $13::json)`, values);
        }
        await recordAudit(q, { user: me.name, kind: old ? 'resubmit' : 'submit', district: this.district, grids: changes.codes, record: `plan ${pid}`, detail: note.trim().slice(0, 200), at: now });
        return pid;
      });
      return { ok: true, value: infoOf((await this.rows(plan))[0], cur.number) };
    });
  }

  async comment(me: Me, id: number, o: { text?: unknown; grid?: unknown; lonLat?: unknown }): Promise<Answer<PlanComment>> {
    const [r] = await this.rows(id);
    if (!r) return refuse(404, 'no_plan', { id });
    if (me.role !== 'reviewer' && me.role !== 'admin' && me.name !== r.author) return refuse(403, 'forbidden', { role: me.role });
    if (r.status === 'approved' || r.status === 'withdrawn') return refuse(409, 'plan_closed', { status: r.status });
    if (typeof o.text !== 'string' || !o.text.trim() || o.text.length > 2000) return refuse(400, 'bad_request', { message: 'text: a text of 1–2000 characters' });
    if (o.grid !== undefined && o.grid !== null && (typeof o.grid !== 'string' || !/^[\w.-]{1,40}$/.test(o.grid))) return refuse(400, 'bad_request', { message: 'grid: a grid code' });
    const ll = o.lonLat;
    const at = ll === undefined || ll === null ? null : Array.isArray(ll) && ll.length === 2 && ll.every((v) => typeof v === 'number' && Number.isFinite(v)) && Math.abs(ll[0]) <= 180 && Math.abs(ll[1]) <= 90 ? ll as [number, number] : undefined;
    if (at === undefined) return refuse(400, 'bad_request', { message: 'lonLat: [longitude, latitude]' });
    const grid = typeof o.grid === 'string' ? o.grid : null;
    const now = Date.now();
    const cid = await this.db.tx(async (q) => {
      const [c] = await q.query<{ id: string }>('INSERT INTO gs_comments (district_id, plan_id, revision, by_user, at, text, grid, lon, lat) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
        [this.district, id, r.revision, me.name, now, o.text, grid, at?.[0] ?? null, at?.[1] ?? null]);
      await recordAudit(q, { user: me.name, kind: 'comment', district: this.district, grids: grid ? [grid] : [], record: `plan ${id}`, at: now });
      return Number(c.id);
    });
    return { ok: true, value: { id: cid, plan: id, revision: r.revision, by: me.name, at: now, text: o.text as string, grid, lonLat: at } };
  }

  /** Returned with a reason (a reviewer, not its author), or withdrawn (its author). */
  decide(me: Me, id: number, to: 'returned' | 'withdrawn', reason?: unknown): Promise<Answer<PlanInfo>> {
    return this.serial(async () => {
      const [r] = await this.rows(id);
      if (!r) return refuse(404, 'no_plan', { id });
      if (to === 'returned') {
        if (me.role !== 'reviewer' && me.role !== 'admin') return refuse(403, 'forbidden', { role: me.role });
        if (me.name === r.author) return refuse(403, 'own_plan', {});
        if (typeof reason !== 'string' || !reason.trim() || reason.length > 2000) return refuse(400, 'reason_required', {});
        if (r.status !== 'submitted') return refuse(409, 'plan_closed', { status: r.status });
      } else {
        if (me.name !== r.author) return refuse(403, 'not_author', { user: r.author });
        if (r.status !== 'submitted' && r.status !== 'returned') return refuse(409, 'plan_closed', { status: r.status });
      }
      const now = Date.now();
      await this.db.tx(async (q) => {
        await q.query('UPDATE gs_plans SET status = $3, decided_by = $4, decided_at = $5, reason = $6 WHERE district_id = $1 AND id = $2',
          [this.district, id, to, me.name, now, to === 'returned' ? (reason as string).trim() : r.reason]);
        await recordAudit(q, { user: me.name, kind: to === 'returned' ? 'return' : 'withdraw', district: this.district, grids: JSON.parse(r.codes), record: `plan ${id}`, detail: to === 'returned' ? (reason as string).trim().slice(0, 500) : '', at: now });
      });
      const cur = await this.current();
      return { ok: true, value: infoOf((await this.rows(id))[0], cur.number) };
    });
  }

  /**
   * Approved by a reviewer (not its author): refused while stale (the published plan changed
   * since it was drawn) and, unless `confirm`, while it makes new gaps or overlaps. The new
   * published version is written with the plan's decision and both audit entries in one transaction.
   */
  approve(me: Me, id: number, confirm: boolean): Promise<Answer<{ published: PublishedInfo; plan: PlanInfo }>> {
    return this.serial(async () => {
      if (me.role !== 'reviewer' && me.role !== 'admin') return refuse(403, 'forbidden', { role: me.role });
      const [r] = await this.rows(id);
      if (!r) return refuse(404, 'no_plan', { id });
      if (me.name === r.author) return refuse(403, 'own_plan', {});
      if (r.status !== 'submitted') return refuse(409, 'plan_closed', { status: r.status });
      const cur = await this.ready();
      if (r.base !== cur.number) return refuse(409, 'plan_stale', { base: r.base, published: cur.number });
      const changes: PlanChanges = { codes: JSON.parse(r.codes), after: JSON.parse(r.after), renumber: JSON.parse(r.renumber) };
      const findings = this.findingsOf(changes);
      if (!confirm && findings.newGaps + findings.newOverlaps > 0) return refuse(409, 'plan_findings', { gaps: findings.newGaps, overlaps: findings.newOverlaps });
      const grids = applyPlan(cur.grids, changes);
      const [prev] = await this.db.query<{ lifecycle: string }>('SELECT lifecycle::text AS lifecycle FROM gs_published WHERE district_id = $1 AND number = $2', [this.district, cur.number]);
      const life = nextLifecycle(JSON.parse(prev.lifecycle), cur.grids, changes, r.effective);
      const number = cur.number + 1, now = Date.now();
      await this.db.tx(async (q: Sql) => {
        await q.query(`INSERT INTO gs_published (district_id, number, plan_id, approved_by, approved_at, effective, note, grids, lifecycle, renumber)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9::json, $10::json)`,
        [this.district, number, id, me.name, now, r.effective, r.note, JSON.stringify(grids), JSON.stringify(life), r.renumber]);
        await q.query(`UPDATE gs_plans SET status = 'approved', decided_by = $3, decided_at = $4, published = $5, findings = $6::json WHERE district_id = $1 AND id = $2`,
          [this.district, id, me.name, now, number, JSON.stringify(findings)]);
        await recordAudit(q, { user: me.name, kind: 'approve', district: this.district, grids: changes.codes, record: `plan ${id}`, detail: confirm ? 'confirmed findings' : '', at: now });
        await recordAudit(q, { user: me.name, kind: 'publish', district: this.district, grids: changes.codes, record: `published ${number}`, detail: `plan ${id}`, at: now });
      });
      // The published checker follows: the plan's grids in it for good.
      const codes = new Set(changes.codes);
      this.checker!.replaceGrids(this.checker!.currentGrids().filter((g) => codes.has(g.properties.code)), changes.after);
      this.latest = { number, grids };
      const published = (await this.published()).find((p) => p.number === number)!;
      return { ok: true, value: { published, plan: infoOf((await this.rows(id))[0], number) } };
    });
  }
}

/** 方案 2026-003: the year it was first submitted (China time), then its number in the district. */
export function planNumber(id: number, submittedAt: number): string {
  return `${chinaDay(submittedAt).slice(0, 4)}-${String(id).padStart(3, '0')}`;
}

function infoOf(r: PlanRow, published: number): PlanInfo {
  return {
    id: r.id, number: planNumber(r.id, Number(r.submitted_at)), author: r.author, note: r.note, scope: JSON.parse(r.scope), status: r.status,
    revision: r.revision, base: r.base, effective: r.effective, submittedAt: Number(r.submitted_at), codes: JSON.parse(r.codes),
    renumber: JSON.parse(r.renumber), decidedBy: r.decided_by, decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    reason: r.reason, published: r.published, stale: (r.status === 'submitted' || r.status === 'returned') && r.base !== published,
  };
}
