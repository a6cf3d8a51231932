// A district on the office server, in the district worker: its file fetched and read as a
// workspace file is (the same checks), and its live events followed (server-sent events:
// each edit someone commits, with who made it), reconnecting by itself when the link drops.
import type { DistrictInfo, EditEvent, PlanInfo, PublishedInfo, ServerView } from '../server/api';
import { readArchive, type Archive } from '../store/archive';
import { rawLayersOfArchive } from '../workspace/fromWorkspace';
import type { RawLayers } from '../workspace/assemble';
import { send } from '../ui/server';

export interface ServerDistrict {
  raw: RawLayers;
  archive: Archive;
  /** the last edit's number as the server sent it (X-GridScope-Seq) */
  seq: number;
}

/** GET /api/districts/:id/file, read and checked in full; the layers as the console assembles them. */
export async function fetchServerDistrict(id: string, name = id, view: ServerView = 'draft'): Promise<ServerDistrict> {
  const res = await send(`/api/districts/${encodeURIComponent(id)}/file?view=${encodeURIComponent(view)}`);
  const seq = Number(res.headers.get('X-GridScope-Seq') ?? NaN);
  const archive = readArchive(new Uint8Array(await res.arrayBuffer()), `${name}.gridscope`);
  const raw = rawLayersOfArchive(archive);
  return { raw, archive, seq: Number.isFinite(seq) ? seq : archive.edits.length };
}

export interface LiveHost {
  /** the last edit's number held (events after it are asked for) */
  seq(): number;
  /** edits heard of (in any order, maybe twice) */
  edits(e: EditEvent[]): void;
  /** the server's last number, said on connecting */
  hello(seq: number): void;
  /** the link is up (true: after an open, catch up) or down (false) */
  online(up: boolean): void;
  /** a plan submitted, returned, withdrawn or approved */
  plan?(p: PlanInfo): void;
  /** a new published version */
  published?(p: PublishedInfo): void;
}

/** How long to wait before connecting again after the server closed the stream (the browser retries a dropped one by itself). */
const RETRY_MS = 2000;

/**
 * GET /api/districts/:id/events as an EventSource: 'hello' { seq } first, then 'edit' events
 * (EditEvent, id = seq). Down as soon as it errs; up again on its next open.
 */
export class LiveLink {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private up: boolean | null = null;

  /** `only`: the kinds of events wanted besides 'hello' (null: all, edits too) */
  constructor(private readonly district: DistrictInfo['id'], private readonly only: string[] | null, private readonly host: LiveHost) {
    this.connect();
  }

  private connect() {
    if (this.closed) return;
    const es = new EventSource(`/api/districts/${encodeURIComponent(this.district)}/events?after=${this.host.seq()}${this.only ? `&only=${this.only.join(',')}` : ''}`);
    this.source = es;
    es.addEventListener('open', () => this.say(true));
    es.addEventListener('hello', (ev) => {
      const seq = Number((JSON.parse((ev as MessageEvent<string>).data) as { seq?: unknown }).seq);
      if (Number.isFinite(seq)) this.host.hello(seq);
    });
    es.addEventListener('edit', (ev) => {
      try {
        this.host.edits([JSON.parse((ev as MessageEvent<string>).data) as EditEvent]);
      } catch (e) {
        console.warn('server events: an edit event that is not JSON was skipped', e);
      }
    });
    for (const [name, to] of [['plan', this.host.plan], ['published', this.host.published]] as const) {
      es.addEventListener(name, (ev) => {
        try {
          to?.(JSON.parse((ev as MessageEvent<string>).data) as never);
        } catch (e) {
          console.warn(`server events: a ${name} event that is not JSON was skipped`, e);
        }
      });
    }
    es.addEventListener('error', () => {
      this.say(false);
      // Closed for good (the server answered with an error, a login ran out): asked again later.
      if (es.readyState === EventSource.CLOSED && !this.closed) {
        es.close();
        this.timer = setTimeout(() => this.connect(), RETRY_MS);
      }
    });
  }

  private say(up: boolean) {
    if (this.closed || this.up === up) return;
    this.up = up;
    this.host.online(up);
  }

  close() {
    this.closed = true;
    this.source?.close();
    if (this.timer) clearTimeout(this.timer);
  }
}
