// The command-centre big screen (/screen): an unattended wall display of the grids, the
// coverage and the live cases, configured by its URL (config.ts). Dark and high-contrast, sized
// in viewport units so it fills any wall from 1920×1080 to 7680×2160, no cursor, no scroll bars.
// It tours the streets (or communities) at an interval, pausing while someone interacts; it
// refreshes the cases from a feed and, when the feed fails, says since when the data is stale and
// keeps it. It shows no personal data: no households layer, no names or phones, cases by
// category, grid and status only.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { District } from '../../domain/district';
import { RULES, type Report } from '../../checks/report';
import { MapView, type Focus } from '../../map/MapView';
import { DEFAULT_VISIBILITY, type LayerVisibility } from '../../map/state';
import { selectionBBox } from '../../map/focus';
import { withCaseFindings } from '../../checks/cases';
import { pollCases, withView, type PendingLoad } from '../loadDistrict';
import type { GridView } from '../../workspace/session';
import { screenStats } from '../../domain/screenStats';
import { CaseStatus, DISPATCH_LEVELS } from '../../domain/cases';
import { categoryName, percentText, SCORE_DIGITS } from '../format';
import { exposeForTests } from '../testHooks';
import type { FeedUpdate } from '../../workers/district.worker';
import type { ScreenConfig } from './config';
import { Chart } from './Chart';


/**
 * `published`: on the office server, the published version shown (its number and the day it took
 * effect); `view`: that version's grids once it replaced the one the load opened.
 */
export function Screen({ load, config, published, view }: { load: PendingLoad; config: ScreenConfig; published?: { number: number; effective: string }; view?: GridView | null }) {
  const { t, i18n } = useTranslation();
  const [district, setDistrict] = useState<District | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [step, setStep] = useState(0);
  const [focus, setFocus] = useState<Focus | null>(null);
  const [feed, setFeed] = useState<{ lastOk: number | null; failing: string | null }>({ lastOk: null, failing: null });
  const polls = useRef(0);
  const lastTouch = useRef(-Infinity); // nobody has touched it yet
  // As many newest cases in the ticker as the wall's width holds (each about half a screen height wide).
  const [tickerRoom, setTickerRoom] = useState(() => tickerFits());
  useEffect(() => { const on = () => setTickerRoom(tickerFits()); window.addEventListener('resize', on); return () => window.removeEventListener('resize', on); }, []);

  useEffect(() => {
    load.district.then(({ draft: _d, ...d }) => { setDistrict(d); setReport(d.report); exposeForTests({ wallDistrict: wallPart(d) }); }).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [load]);

  // A new version's grids in place of those shown (the tour, the map and the feed go on).
  useEffect(() => {
    if (!view) return;
    setDistrict((d) => { if (!d) return d; const next = withView(d, view); exposeForTests({ wallDistrict: wallPart(next) }); return next; });
    setReport(view.report);
  }, [view]);

  // The clock, once a second (one timer for the page's life).
  useEffect(() => { const id = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(id); }, []);

  // The areas the tour goes through: the district's streets, a street's communities, or the one area.
  const areas = useMemo(() => {
    if (!district) return [config.area];
    const a = config.area;
    const list = district.boundaries.filter((b) => (a === '' ? b.properties.level === 'street' : a.length === 9 ? b.properties.level === 'community' && b.properties.parent_code === a : false)).map((b) => b.properties.code);
    return config.tour && list.length ? list : [a];
  }, [district, config.area, config.tour]);
  const area = areas[step % areas.length];

  // Tour: the next area every tourS seconds (once the first frame is complete), unless someone
  // touched the screen within quietS.
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    if (!config.tour || areas.length < 2 || !drawn) return;
    const id = setInterval(() => {
      if (performance.now() - lastTouch.current < config.quietS * 1000) return;
      setStep((s) => s + 1);
    }, config.tourS * 1000);
    return () => clearInterval(id);
  }, [config.tour, config.tourS, config.quietS, areas.length, drawn]);
  useEffect(() => {
    const touch = () => { lastTouch.current = performance.now(); };
    for (const e of ['pointerdown', 'wheel', 'keydown'] as const) window.addEventListener(e, touch);
    return () => { for (const e of ['pointerdown', 'wheel', 'keydown'] as const) window.removeEventListener(e, touch); };
  }, []);

  // Fly to the area.
  useEffect(() => {
    if (!district || !report) return;
    const i = district.boundaries.findIndex((b) => b.properties.code === area);
    const b = i >= 0 ? selectionBBox(district, { kind: 'boundary', index: i }, report) : null;
    if (b) setFocus({ bbox: b, nonce: performance.now() });
  }, [district, area]);

  // Live cases: the feed polled every refreshS; a failure keeps the last good data and says so.
  const applyFeed = useCallback((u: FeedUpdate) => {
    setDistrict((d) => d && { ...d, cases: u.cases, gridStats: { ...d.gridStats, openCases: u.openCases, overdueCases: u.overdueCases } });
    setReport((r) => r && withCaseFindings(r, u.cases));
  }, []);
  useEffect(() => {
    // polled once the first frame is complete (a wall's first picture before its updates)
    if (!drawn || !config.feed) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const u = await pollCases(new URL(config.feed!, location.href).href, Math.max(5000, config.refreshS * 1000));
        if (stopped) return;
        applyFeed(u);
        setFeed({ lastOk: Date.now(), failing: null });
      } catch (e) {
        if (!stopped) setFeed((f) => ({ ...f, failing: e instanceof Error ? e.message : String(e) }));
      }
      polls.current++;
      if (!stopped) timer = setTimeout(() => void poll(), config.refreshS * 1000);
    };
    void poll();
    return () => { stopped = true; clearTimeout(timer); };
  }, [drawn, config.feed, config.refreshS, applyFeed]);

  const stats = useMemo(() => (district && report ? screenStats(district, report, area, district.cases.asOf) : null), [district, report, area]);
  const visibility: LayerVisibility = useMemo(() => ({
    ...DEFAULT_VISIBILITY, households: false, buildings: config.layers.buildings3d, buildings3d: config.layers.buildings3d,
    baseGrids: config.layers.grids, dedicatedGrids: config.layers.grids, findings: config.layers.findings, cases: config.layers.cases,
  }), [config.layers]);
  const caseMask = useMemo(() => (district ? Uint8Array.from(district.cases.status, (s) => (s === CaseStatus.closed ? 0 : 1)) : new Uint8Array(0)), [district?.cases]);
  const gridLoad = useMemo(() => new Float32Array(district?.grids.length ?? 0), [district?.grids]);
  const onDrawn = useCallback((map: MapLibreMap, at: number) => { setDrawn(true); exposeForTests({ map, drawnAt: at }); }, []);
  const stepAt = useMemo(() => performance.now(), [step]);
  useEffect(() => exposeForTests({ screen: { area, step, stepAt, polls: polls.current, feed, drawn, ready: drawn && stats !== null } }), [area, step, stepAt, feed, drawn, stats]);

  const areaName = (code: string) => (code === '' ? district?.meta.district_name ?? '' : district?.boundaries.find((b) => b.properties.code === code)?.properties.name ?? code);
  const lang = i18n.language;
  // map labels as large, for the wall's height, as 15 px are on a 1080p desk... and a half
  const labelScale = Math.max(1, (window.innerHeight / 1080) * 1.5);
  // Rates and scores the way the report writes them: a score is the report's own figure, to its digits.
  const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : percentText(x, digits));
  const time = (ms: number) => new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  const trend = useMemo(() => stats && chartTrend(stats.days, t('screen.received'), t('screen.closed'), lang), [stats?.days, t, lang]);
  const byCategory = useMemo(() => stats && chartCategories(stats.categories.slice(0, 6).map((c) => ({ ...c, name: categoryName(c.name, t) }))), [stats?.categories, t]);
  // three or more panels across: the side columns one panel wide, their edges just inside the seams
  // (with two, the default columns already lie within the outer panels)
  const seams = config.wall && config.wall[0] >= 3 ? { gridTemplateColumns: `calc(${100 / config.wall[0]}vw - 1.5vh) 1fr calc(${100 / config.wall[0]}vw - 1.5vh)` } : undefined;
  // A wall of several rows of panels: the side columns cut into one group a panel row, the gap
  // between two groups on the seam, so no tile is split by a bezel.
  const rows = config.wall?.[1] ?? 1;
  const panelRows = rows > 1 ? { display: 'grid', gridTemplateColumns: '1fr', gridTemplateRows: seamRows(rows).map((h) => `${h}vh`).join(' '), rowGap: '1vh', alignContent: 'start' } : undefined;

  if (error) return <div className="screen screen-message" role="alert">{t('load.failed', { message: error })}</div>;
  if (!district || !report || !stats) return <div className="screen screen-message" role="status">{t('load.loading')}</div>;
  const k = stats.kpis;
  const ranked = [...stats.ranking].sort((a, b) => b.overdue - a.overdue || a.code.localeCompare(b.code)).slice(0, 6);
  const byClosure = [...stats.ranking].filter((r) => Number.isFinite(r.closureRate)).sort((a, b) => b.closureRate - a.closureRate).slice(0, 6);
  return (
    <div className={`screen theme-${config.theme}`} data-testid="screen" style={seams}>
      <header className="screen-head">
        <div className="screen-title">{t('app.title')}<span>{areaName(area)}</span></div>
        <div className="screen-status">
          {config.feed && feed.failing && <span className="screen-stale" role="alert" data-testid="screen-stale">{t('screen.stale', { time: feed.lastOk ? time(feed.lastOk) : t('screen.never') })}</span>}
          {published && <span data-testid="screen-published">{t('screen.published', { n: published.number, date: published.effective })}</span>}
          <span>{t('screen.asOf', { time: new Date(config.feed && feed.lastOk ? feed.lastOk : district.cases.asOf).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) })}</span>
          <span className="screen-clock" data-testid="screen-clock">{new Date(now).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</span>
        </div>
      </header>
      <section className="screen-kpis" data-testid="screen-kpis" style={panelRows}>
        <Panels rows={rows} className="screen-kpi-group" weights={[0, 10, 0, 10, 0, 10, 10, 9, 16]}>
        <Tile label={t('screen.grids')} value={stats.grids} />
        <Tile label={t('screen.households')} value={stats.households.toLocaleString(lang)} />
        <Tile label={t('screen.open')} value={k.open} tone="warn" />
        <Tile label={t('screen.overdue')} value={k.overdue} tone="bad" />
        <Tile label={t('screen.closure')} value={pct(k.closureRate)} />
        <Tile label={t('screen.onTime')} value={pct(k.onTimeRate)} />
        <Tile label={t('screen.satisfaction')} value={pct(k.satisfactionRate)} />
        <div className="screen-tile screen-levels">
          <div className="screen-label">{t('screen.levels')}</div>
          <div className="screen-level-row">
            {DISPATCH_LEVELS.map((l, i) => <span key={l}><b>{k.byLevel[i].received}</b>{t(`inspector.dispatchLevels.${l}`)}</span>)}
          </div>
        </div>
        <div className="screen-tile screen-scores">
          <div className="screen-label">{t('screen.coverage')}</div>
          <div className="screen-score-row">
            {RULES.map((r) => <span key={r} data-testid={`screen-score-${r}`}><b>{pct(stats.scores[r], SCORE_DIGITS)}</b>{t(`rules.${r}`)}</span>)}
          </div>
        </div>
        </Panels>
      </section>
      <main className="screen-map">
        <MapView district={district} report={report} visibility={visibility} selection={null} caseMask={caseMask} gridLoad={gridLoad} focus={focus} onSelect={() => undefined} onDrawn={onDrawn} labelScale={labelScale} />
      </main>
      <aside className="screen-side" style={panelRows}>
        <Panels rows={rows} className="screen-side-group" weights={[11, 11, 20, 20]}>
        <div className="screen-box">
          <div className="screen-label">{t('screen.rankOverdue')}</div>
          <ol className="screen-rank" data-testid="screen-rank">
            {ranked.map((r) => <li key={r.code}><span>{r.name}</span><b>{r.overdue}</b></li>)}
          </ol>
        </div>
        <div className="screen-box">
          <div className="screen-label">{t('screen.rankClosure')}</div>
          <ol className="screen-rank">
            {byClosure.map((r) => <li key={r.code}><span>{r.name}</span><b>{pct(r.closureRate)}</b></li>)}
          </ol>
        </div>
        <div className="screen-box"><div className="screen-label">{t('screen.trend')}</div>{trend && <Chart option={trend} testId="screen-trend" />}</div>
        <div className="screen-box"><div className="screen-label">{t('screen.byCategory')}</div>{byCategory && <Chart option={byCategory} testId="screen-categories" />}</div>
        </Panels>
      </aside>
      <footer className="screen-ticker" data-testid="screen-ticker">
        <span className="screen-label">{t('screen.newest')}</span>
        {stats.newest.slice(0, tickerRoom).map((i) => {
          const g = district.cases.grid[i];
          return (
            <span key={i} className={`screen-case status-${district.cases.status[i]}`}>
              {categoryName(district.cases.categoryNames[district.cases.category[i]], t)} · {g >= 0 ? district.grids[g].properties.name : t('inspector.noGrid')} · {time(district.cases.requested[i])}
            </span>
          );
        })}
      </footer>
    </div>
  );
}

/** Heights (vh) of the column's pieces between the seams of a wall `rows` panels high. */
export function seamRows(rows: number): number[] {
  // the columns run from 10vh (under the head) to 92vh (above the ticker); a 1vh gap on each seam
  const top = 10, bottom = 92;
  const cuts = Array.from({ length: rows - 1 }, (_, k) => (100 * (k + 1)) / rows).filter((y) => y > top + 2 && y < bottom - 2);
  const edges = [top, ...cuts.flatMap((y) => [y - 0.5, y + 0.5]), bottom];
  const out: number[] = [];
  for (let k = 0; k < edges.length; k += 2) out.push(edges[k + 1] - edges[k]);
  return out;
}

/**
 * Children as they are, or (a wall of several rows) in groups, one a panel row: filled in
 * order by their rough heights (vh, `weights`) up to each row's height.
 */
function Panels({ rows, className, weights, children }: { rows: number; className: string; weights: number[]; children: React.ReactNode }) {
  const items = React.Children.toArray(children);
  const room = rows > 1 ? seamRows(rows) : [];
  if (room.length <= 1) return <>{items}</>;
  const groups: React.ReactNode[][] = room.map(() => []);
  let g = 0, used = 0;
  items.forEach((item, i) => {
    const w = weights[i] ?? 5;
    if (used > 0 && used + w > room[g] && g < room.length - 1) { g++; used = 0; }
    groups[g].push(item);
    used += w;
  });
  return <>{groups.map((list, k) => <div key={k} className={className}>{list}</div>)}</>;
}

function tickerFits(): number {
  return Math.max(1, Math.min(10, Math.floor((window.innerWidth - window.innerHeight * 0.2) / (window.innerHeight * 0.62))));
}

function Tile({ label, value, tone }: { label: string; value: string | number; tone?: 'warn' | 'bad' }) {
  return (
    <div className={`screen-tile${tone ? ` tone-${tone}` : ''}`}>
      <div className="screen-value">{value}</div>
      <div className="screen-label">{label}</div>
    </div>
  );
}

/** Chart text in proportion to the screen's height (2 % of it), as the rest of the wall. */
const chartFont = () => Math.round(window.innerHeight * 0.02);
const axis = () => ({ axisLabel: { color: '#cbd5e1', fontSize: chartFont() }, axisLine: { lineStyle: { color: '#475569' } }, splitLine: { lineStyle: { color: '#1e293b' } } });

function chartTrend(days: { day: number; received: number; closed: number }[], received: string, closed: string, lang: string) {
  return {
    animation: false,
    grid: { left: chartFont() * 0.5, right: chartFont(), top: chartFont() * 2.2, bottom: chartFont() * 0.5, containLabel: true },
    legend: { textStyle: { color: '#e2e8f0', fontSize: chartFont() }, itemWidth: chartFont() * 1.5, itemHeight: chartFont() * 0.8, top: 0 },
    xAxis: { type: 'category', data: days.map((d) => new Date(d.day).toLocaleDateString(lang, { month: 'numeric', day: 'numeric' })), ...axis() },
    yAxis: { type: 'value', minInterval: 1, ...axis() },
    series: [
      { name: received, type: 'line', data: days.map((d) => d.received), lineStyle: { width: 3, color: '#38bdf8' }, itemStyle: { color: '#38bdf8' }, showSymbol: false },
      { name: closed, type: 'line', data: days.map((d) => d.closed), lineStyle: { width: 3, color: '#4ade80' }, itemStyle: { color: '#4ade80' }, showSymbol: false },
    ],
  };
}

function chartCategories(cats: { name: string; open: number }[]) {
  return {
    animation: false,
    grid: { left: chartFont() * 0.5, right: chartFont() * 1.5, top: chartFont() * 0.5, bottom: chartFont() * 0.5, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...axis() },
    // long (English) category names are cut with an ellipsis inside the chart, never off its edge
    yAxis: { type: 'category', inverse: true, data: cats.map((c) => c.name), ...axis(), axisLabel: { ...axis().axisLabel, width: chartFont() * 9, overflow: 'truncate' } },
    series: [{ type: 'bar', data: cats.map((c) => c.open), itemStyle: { color: '#f59e0b' }, barMaxWidth: chartFont() * 1.3 }],
  };
}

/** What the tests may read of the district on the screen: its grids and the cases' grids (no households: nothing personal). */
function wallPart(d: District) {
  return { grids: d.grids, cases: { ids: d.cases.ids, grid: d.cases.grid } };
}
