// One writer per draft among the browser's tabs: the tab that holds the Web Lock
// `gridscope-draft:<workspace>` edits it; any other tab on it waits for the lock (read-only) and
// follows the writer, told of each committed write on the BroadcastChannel of the same name.
// The lock goes with the tab (closed, crashed, reloaded) and the next tab in line takes over;
// a read-only tab may also take the draft over at once (the lock stolen: the writer turns follower).
// (Drafts' revision check stays the guard where Web Locks are missing or a tab is slow to hear.)

export interface DraftTabHost {
  /** this tab may edit the draft (true) or another tab holds it (false) */
  role(writer: boolean): void;
  /** another tab wrote the draft */
  changed(): void;
}

export class DraftTab {
  private readonly name: string;
  private readonly channel: BroadcastChannel | null;
  private readonly stop = new AbortController();
  private readonly locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  private release: (() => void) | null = null;
  /** a request for the lock is waiting in line */
  private queued = false;

  /** Takes the draft's lock if it is free (answers true) or waits in line for it (false; host.role(true) when it comes). */
  static async claim(workspaceId: string, host: DraftTabHost): Promise<{ tab: DraftTab; writer: boolean }> {
    const tab = new DraftTab(workspaceId, host);
    const writer = await tab.start();
    return { tab, writer };
  }

  private constructor(readonly workspaceId: string, private readonly host: DraftTabHost) {
    this.name = `gridscope-draft:${workspaceId}`;
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(this.name);
    if (this.channel) this.channel.onmessage = () => { if (!this.stop.signal.aborted) host.changed(); };
  }

  private async start(): Promise<boolean> {
    if (!this.locks) return true; // no Web Locks: every tab may write; the revision check refuses the stale one
    if (await this.hold({ ifAvailable: true })) return true;
    this.queue();
    return false;
  }

  /** Waits in line for the lock: host.role(true) when it comes. */
  private queue() {
    if (this.queued) return;
    this.queued = true;
    void this.hold({ signal: this.stop.signal }).then((got) => { this.queued = false; if (got) this.host.role(true); });
  }

  /**
   * Asks for the lock; answers whether it was granted, and keeps it until close() — or until
   * another tab takes it over (steal), when this one turns read-only and waits in line again.
   */
  private hold(options: LockOptions): Promise<boolean> {
    return new Promise((granted) => {
      let held = false;
      this.locks!.request(this.name, options, (lock) => {
        if (!lock || this.stop.signal.aborted) { granted(false); return undefined; }
        held = true;
        granted(true);
        return new Promise<void>((done) => { this.release = done; });
      }).catch(() => {
        if (!held) { granted(false); return; } // aborted while waiting (another workspace opened)
        this.release = null;
        if (this.stop.signal.aborted) return;
        this.host.role(false);
        this.queue();
      });
    });
  }

  /** This tab takes the draft over from the one holding it (which turns read-only). */
  async takeOver(): Promise<void> {
    if (!this.locks || this.release) return;
    if (await this.hold({ steal: true })) this.host.role(true);
  }

  /** A write of the draft was committed here: the other tabs on it follow. */
  announce(): void {
    this.channel?.postMessage({ workspaceId: this.workspaceId });
  }

  /** This tab leaves the draft (another workspace opened): the lock and the channel are let go. */
  close(): void {
    this.stop.abort();
    this.release?.();
    this.channel?.close();
  }
}
