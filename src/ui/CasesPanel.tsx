// Cases (事件): filters the map, lists and KPIs follow; the KPIs of the chosen place; open cases
// by urgency, and the load per grid and per dispatch level; the live feed.
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SidePanel } from './SidePanel';
import type { District } from '../domain/district';
import { CASE_STATUS_NAMES, CaseStatus, DISPATCH_LEVELS, type CaseStatusCode } from '../domain/cases';
import { caseKpis, gridCaseLoad, openCasesByUrgency, type CaseFilter, type CaseKpis } from '../domain/kpis';
import { categoryName, duration } from './format';
import { CaseDetails } from './Inspector';
import { gridIndex } from '../map/state';

const DAY = 86_400_000;
/** How many open cases the urgency list shows; the rest are counted. */
const LIST_LIMIT = 100;
export const WINDOWS = ['all', '7d', '30d', '365d'] as const;
export type TimeWindow = (typeof WINDOWS)[number];

/** A window's [from, to) ending at `now`. */
export function windowRange(w: TimeWindow, now: number): [number, number] {
  const days = { all: NaN, '7d': 7, '30d': 30, '365d': 365 }[w];
  return Number.isFinite(days) ? [now - days * DAY, NaN] : [NaN, NaN];
}

interface Props {
  district: District;
  placeName: string;
  filter: CaseFilter;
  window: TimeWindow;
  onFilter: (f: CaseFilter, w: TimeWindow) => void;
  inArea: (grid: number) => boolean;
  mask: Uint8Array;
  feed: ReactNode;
  /** the case picked from the list, shown here above it (the list stays open) */
  selected: number | null;
  onPickCase: (index: number) => void;
  onPickGrid: (index: number) => void;
  onClose: () => void;
}

export function CasesPanel({ district: d, placeName, filter, window, onFilter, inArea, mask, feed, selected, onPickCase, onPickGrid, onClose }: Props) {
  const { t } = useTranslation();
  const c = d.cases;
  const [tab, setTab] = useState<'urgent' | 'grids' | 'levels'>('urgent');
  const kpis = useMemo(() => caseKpis(c, filter, inArea), [c, filter, inArea]);
  const areaMask = useMemo(() => mask.map((m, i) => (m && inArea(c.grid[i]) ? 1 : 0)), [mask, c, inArea]);
  const urgent = useMemo(() => openCasesByUrgency(c, areaMask), [c, areaMask]);
  const byGrid = useMemo(() => gridRows(d, areaMask), [d, areaMask]);

  const setStatus = (s: CaseStatusCode, on: boolean) =>
    onFilter({ ...filter, statuses: on ? [...filter.statuses, s] : filter.statuses.filter((x) => x !== s) }, window);
  const setWindow = (w: TimeWindow) => {
    const [from, to] = windowRange(w, c.asOf);
    onFilter({ ...filter, from, to }, w);
  };
  const left = (i: number) => c.deadline[i] - c.asOf;

  return (
    <SidePanel title={t('cases.title')} testId="cases" className="report cases" onClose={onClose}>
      <h3>{t('cases.kpisFor', { place: placeName })}</h3>
      <Kpis k={kpis} />
      <div className="case-filters" data-testid="case-filters">
        {[CaseStatus.overdue, CaseStatus.inProgress, CaseStatus.closed].map((s) => (
          <label key={s} className="toggle">
            <input type="checkbox" checked={filter.statuses.includes(s)} onChange={(e) => setStatus(s, e.target.checked)} data-testid={`case-status-${CASE_STATUS_NAMES[s]}`} />
            {t(`inspector.statuses.${CASE_STATUS_NAMES[s]}`)}
          </label>
        ))}
        <select value={filter.category} onChange={(e) => onFilter({ ...filter, category: Number(e.target.value) }, window)} aria-label={t('inspector.category')} data-testid="case-category">
          <option value={-1}>{t('cases.allCategories')}</option>
          {c.categoryNames.map((name, k) => <option key={k} value={k}>{categoryName(name, t)}</option>)}
        </select>
        <select value={filter.level} onChange={(e) => onFilter({ ...filter, level: Number(e.target.value) }, window)} aria-label={t('inspector.dispatchLevel')} data-testid="case-level">
          <option value={-1}>{t('cases.allLevels')}</option>
          {DISPATCH_LEVELS.map((l, k) => <option key={l} value={k}>{t(`inspector.dispatchLevels.${l}`)}</option>)}
        </select>
        <select value={window} onChange={(e) => setWindow(e.target.value as TimeWindow)} aria-label={t('cases.window')} data-testid="case-window">
          {WINDOWS.map((w) => <option key={w} value={w}>{t(`cases.windows.${w}`)}</option>)}
        </select>
      </div>
      <details className="fold" data-testid="case-settings">
        <summary>{t('cases.settings')}</summary>
        {feed}
      </details>
      {selected !== null && (
        <section className="case-detail" data-testid="case-detail">
          <CaseDetails d={d} index={selected} t={t} onSelect={(s) => s.kind === 'grid' && onPickGrid(gridIndex(d.grids, s.code))} />
        </section>
      )}
      <div className="tabs" role="tablist">
        {(['urgent', 'grids', 'levels'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'primary' : ''} onClick={() => setTab(k)} data-testid={`case-tab-${k}`}>
            {t(`cases.tabs.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'urgent' && (
        <ol className="case-list" data-testid="case-list">
          {urgent.slice(0, LIST_LIMIT).map((i) => (
            <li key={i}>
              <button type="button" className={i === selected ? 'link active' : 'link'} onClick={() => onPickCase(i)}>
                <span className={`status status-${CASE_STATUS_NAMES[c.status[i]]}`}>{t(`inspector.statuses.${CASE_STATUS_NAMES[c.status[i]]}`)}</span>
                <b>{categoryName(c.categoryNames[c.category[i]], t)}</b> <code>{c.ids[i]}</code>
                <span className="muted">{Number.isFinite(left(i)) ? t(left(i) >= 0 ? 'cases.leftShort' : 'cases.overdueShort', { time: duration(Math.abs(left(i)), t) }) : t('cases.noDeadline')}</span>
              </button>
            </li>
          ))}
          {urgent.length > LIST_LIMIT && <li className="muted">{t('report.more', { n: urgent.length - LIST_LIMIT })}</li>}
          {urgent.length === 0 && <li className="muted">{t('cases.noneOpen')}</li>}
        </ol>
      )}
      {tab === 'grids' && (
        <table className="case-grids" data-testid="case-grids">
          <thead><tr><th>{t('inspector.grid')}</th><th>{t('cases.open')}</th><th>{t('cases.overdue')}</th><th>{t('cases.per100')}</th></tr></thead>
          <tbody>
            {byGrid.slice(0, LIST_LIMIT).map((g) => (
              <tr key={g.grid}>
                <td><button type="button" className="link" onClick={() => onPickGrid(g.grid)}>{d.grids[g.grid].properties.name}</button></td>
                <td>{g.open}</td><td className={g.overdue ? 'bad' : ''}>{g.overdue}</td><td>{Number.isFinite(g.per100) ? g.per100.toFixed(1) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tab === 'levels' && (
        <table className="case-grids" data-testid="case-levels">
          <thead><tr><th>{t('inspector.dispatchLevel')}</th><th>{t('cases.received')}</th><th>{t('cases.open')}</th><th>{t('cases.overdue')}</th></tr></thead>
          <tbody>
            {kpis.byLevel.map((l, k) => (
              <tr key={k}><td>{t(`inspector.dispatchLevels.${DISPATCH_LEVELS[k] ?? 'unknown'}`)}</td><td>{l.received}</td><td>{l.open}</td><td className={l.overdue ? 'bad' : ''}>{l.overdue}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </SidePanel>
  );
}

function Kpis({ k }: { k: CaseKpis }) {
  const { t } = useTranslation();
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
  const tiles: [string, string, string?][] = [
    ['received', k.received.toLocaleString()],
    ['closed', k.closed.toLocaleString()],
    ['closureRate', pct(k.closureRate)],
    ['onTimeRate', pct(k.onTimeRate)],
    ['open', k.open.toLocaleString()],
    ['overdue', k.overdue.toLocaleString(), k.overdue ? 'bad' : ''],
    ['satisfactionRate', pct(k.satisfactionRate)],
  ];
  return (
    <div className="kpis" data-testid="case-kpis">
      {tiles.map(([key, value, cls]) => (
        <div key={key} className={`kpi ${cls ?? ''}`} data-kpi={key}>
          <span className="kpi-value">{value}</span>
          <span className="kpi-label">{t(`cases.${key}`)}</span>
        </div>
      ))}
    </div>
  );
}

/** Grids with open cases among those shown, most overdue first. */
function gridRows(d: District, mask: Uint8Array) {
  const load = gridCaseLoad(d.cases, mask, d.gridStats.households);
  const rows = [];
  for (let g = 0; g < d.grids.length; g++) if (load.open[g]) rows.push({ grid: g, open: load.open[g], overdue: load.overdue[g], per100: load.per100[g] });
  return rows.sort((a, b) => b.overdue - a.overdue || b.open - a.open);
}
