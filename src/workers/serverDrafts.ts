// The page's mirror of a district's edit log on the office server, as the district session's
// DraftStore: an edit is stored by sending it to the server (committed there before it is
// answered), the log is kept in seq order as the server numbered it, with the grids as they
// stand after its last edit in a row; edits others made come in from the live events or are
// fetched to fill a gap. A refusal is an EditRefused the session says in words; an answer that
// never came is 'server_unreachable' (nothing was changed).
import type { DraftStore, StoredHistory } from '../store/drafts';
import type { Edit } from '../plan/types';
import type { GridFeature } from '../domain/types';
import type { EditAck, EditEvent, EditRequest } from '../server/api';
import { applyChange } from '../plan/grids';
import { EditRefused } from '../plan/shared';
import { call, ServerError } from '../ui/server';

export interface ServerDraftsOptions {
  /** the district's id on the server */
  district: string;
  /** the log as the district's file held it (seq 1…n, all applied) */
  edits: Edit[];
  /** the grids after those edits; else given by start() once the session has opened */
  grids?: GridFeature[];
  /** the API's origin ('' on the page) */
  base?: string;
}

export class ServerDrafts implements DraftStore {
  readonly district: string;
  private readonly base: string;
  /** the log in a row from seq 1 */
  private log: Edit[];
  /** the grids after log's last edit */
  private grids: GridFeature[];
  /** edits heard of past a gap (seq → edit), put in the log once the gap is filled */
  private ahead = new Map<number, Edit>();

  constructor(o: ServerDraftsOptions) {
    this.district = o.district;
    this.base = o.base ?? '';
    this.log = o.edits.slice();
    this.grids = o.grids?.slice() ?? [];
  }

  /** The grids after the log's edits as the session opened them (its own objects: what it holds needs no comparing). */
  start(grids: readonly GridFeature[]): void {
    this.grids = grids.slice();
  }

  /** The last edit's number in the log as held (every one before it is held too). */
  get seq(): number {
    return this.log.length;
  }

  async history(district: string): Promise<StoredHistory & { grids: GridFeature[] }> {
    this.check(district);
    return { edits: this.log.slice(), done: this.log.length, rev: this.seq, grids: this.grids };
  }

  /**
   * An edit made on the view of edit `rev`: sent, committed by the server, put in the log at
   * the number it got (the edits before it fetched first if some were not heard of yet).
   * Answers the log's last number.
   */
  async record(district: string, edit: Edit, rev: number): Promise<number> {
    this.check(district);
    const req: EditRequest = { op: edit.op, base: rev };
    let ack: EditAck;
    try {
      ack = await call<EditAck>(this.path('/edits'), { base: this.base, body: req });
    } catch (e) {
      throw refused(e);
    }
    const got = ack.edit;
    // The server made the same change as the page did: the page's own objects are kept (the session compares nothing for them).
    const same = JSON.stringify(got.change) === JSON.stringify(edit.change);
    this.receive([same ? { ...got, change: edit.change } : got]);
    if (got.seq > this.seq) await this.catchUp();
    return this.seq;
  }

  setDone(): Promise<number> {
    return Promise.reject(new Error('a shared district has no redo: undo is an edit of its own'));
  }

  /**
   * Edits heard of (the live events, a catch-up): those not yet held go in, in order; answers
   * those that were new in the log now (an edit past a gap waits for it).
   */
  receive(edits: readonly (Edit | EditEvent)[]): Edit[] {
    for (const e of edits) if (e.seq > this.seq && !this.ahead.has(e.seq)) this.ahead.set(e.seq, e);
    const added: Edit[] = [];
    for (let next = this.ahead.get(this.seq + 1); next; next = this.ahead.get(this.seq + 1)) {
      this.ahead.delete(next.seq);
      this.grids = applyChange(this.grids, next.change);
      this.log.push(next);
      added.push(next);
    }
    return added;
  }

  /** Whether an edit heard of lies past what is held with a gap before it. */
  get gap(): boolean {
    return this.ahead.size > 0;
  }

  /** The edits after the log's last one, fetched from the server and put in; answers those new. */
  async catchUp(): Promise<Edit[]> {
    let got: EditEvent[];
    try {
      got = await call<EditEvent[]>(this.path(`/edits?after=${this.seq}`), { base: this.base });
    } catch (e) {
      throw refused(e);
    }
    if (!Array.isArray(got)) throw new EditRefused('server_unreachable');
    return this.receive(got);
  }

  private path(rest: string) {
    return `/api/districts/${encodeURIComponent(this.district)}${rest}`;
  }

  private check(district: string) {
    if (district !== this.district) throw new Error(`this mirror holds district ${this.district}, not ${district}`);
  }
}

/** A refusal as the session says it: the server's { code, values }, or out of reach. */
function refused(e: unknown): EditRefused {
  if (e instanceof ServerError) {
    if (e.status === 0 || e.status >= 500) return new EditRefused('server_unreachable');
    if (e.code === 'server_refused') return new EditRefused(e.code, e.values);
    const { status: _, ...values } = e.values;
    return new EditRefused(e.code, values);
  }
  return new EditRefused('server_unreachable');
}
