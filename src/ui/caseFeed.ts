// A live case feed: an Open311 URL polled at an interval (remembered per district), each
// answer merged into the cases on the map. A failed poll changes nothing on the map: the last
// good data stays, with the time it was fetched and what went wrong.
import { useCallback, useEffect, useRef, useState } from 'react';
import { loadSetting, saveSetting } from '../store/db';
import { pollCases, type Source } from './loadDistrict';
import type { FeedUpdate } from '../workers/district.worker';

export interface FeedConfig {
  url: string;
  intervalS: number;
  on: boolean;
}

export interface FeedState {
  polling: boolean;
  /** when the data on the map was fetched (epoch ms) */
  lastOk: number | null;
  lastError: string | null;
  last: Omit<FeedUpdate, 'cases' | 'openCases' | 'overdueCases'> | null;
}

const OFF: FeedConfig = { url: '', intervalS: 60, on: false };

export function useCaseFeed(source: Source, ready: boolean, onUpdate: (u: FeedUpdate) => void) {
  const key = `feed:${source.kind === 'demo' ? 'demo' : source.id}`;
  const [config, setConfigState] = useState<FeedConfig>(OFF);
  const [state, setState] = useState<FeedState>({ polling: false, lastOk: null, lastError: null, last: null });
  const latest = useRef(onUpdate);
  latest.current = onUpdate;

  useEffect(() => { void loadSetting<FeedConfig>(key, OFF).then(setConfigState); }, [key]);

  const setConfig = useCallback((c: FeedConfig) => {
    setConfigState(c);
    void saveSetting(key, c);
  }, [key]);

  useEffect(() => {
    if (!ready || !config.on || !config.url) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const intervalMs = Math.max(1, config.intervalS) * 1000;
    const poll = async () => {
      setState((s) => ({ ...s, polling: true }));
      try {
        const u = await pollCases(config.url, Math.max(10_000, intervalMs));
        if (stopped) return;
        latest.current(u);
        const { cases: _c, openCases: _o, overdueCases: _d, ...last } = u;
        setState({ polling: false, lastOk: Date.now(), lastError: null, last });
      } catch (e) {
        if (stopped) return;
        setState((s) => ({ ...s, polling: false, lastError: (e as Error).message }));
      }
      // The next poll is timed from the end of this one: a slow server is never asked twice at once.
      if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => { stopped = true; clearTimeout(timer); };
  }, [ready, config]);

  return { config, setConfig, state };
}
