// The live feed's settings and state, in the cases panel: URL, interval, on/off; when the
// data on the map was fetched, what the last poll changed, and what went wrong if it failed.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeedConfig, FeedState } from './caseFeed';
import { FEED_LIMITS } from '../io/open311';

export function CaseFeedControls({ config, state, onChange }: { config: FeedConfig; state: FeedState; onChange: (c: FeedConfig) => void }) {
  const { t, i18n } = useTranslation();
  const [url, setUrl] = useState(config.url);
  const [interval, setIntervalS] = useState(String(config.intervalS));
  const time = (ms: number | null) => (ms ? new Date(ms).toLocaleTimeString(i18n.language) : '—');
  const start = () => onChange({ url: url.trim(), intervalS: Math.max(1, Number(interval) || 60), on: true });
  return (
    <section className="case-feed" data-testid="case-feed">
      <form className="import-row" onSubmit={(e) => { e.preventDefault(); start(); }}>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/requests.json" aria-label={t('feed.url')} data-testid="feed-url" />
        <label>{t('feed.every')}
          <input type="number" min={1} value={interval} onChange={(e) => setIntervalS(e.target.value)} className="seconds" aria-label={t('feed.interval')} data-testid="feed-interval" />
          {t('feed.seconds')}
        </label>
        {/* Two buttons (keys), not one whose type changes: a reused submit button restarted the feed it stopped. */}
        {config.on
          ? <button key="stop" type="button" onClick={() => onChange({ ...config, on: false })} data-testid="feed-stop">{t('feed.stop')}</button>
          : <button key="start" type="submit" className="primary" disabled={!url.trim()} data-testid="feed-start">{t('feed.start')}</button>}
      </form>
      {config.on && (
        <p className={state.lastError ? 'warn' : 'ok'} role="status" data-testid="feed-status">
          {state.lastError
            ? t('feed.failed', { error: state.lastError, at: time(state.lastOk) })
            : state.lastOk
              ? t('feed.live', { at: time(state.lastOk), added: state.last?.added ?? 0, updated: state.last?.updated ?? 0, reopened: state.last?.reopened ?? 0 })
              : t('feed.connecting')}
          {!state.lastError && state.last && state.last.skipped > 0 && <> {t('feed.skipped', { n: state.last.skipped })}</>}
          {!state.lastError && state.last?.capped.map((c) => <span key={c} className="warn" data-testid="feed-capped"> {t(`feed.capped.${c}`, FEED_LIMITS)}</span>)}
        </p>
      )}
      {!state.lastError && state.last && state.last.skipped > 0 && (
        <details className="muted"><summary>{t('feed.skippedWhy')}</summary><ul>{state.last.skippedReasons.map((r, k) => <li key={k}>{r}</li>)}</ul></details>
      )}
    </section>
  );
}
