// The coverage report: a score per rule, the count of each kind of finding, and the
// findings themselves; clicking one flies to it. Exports GeoJSON and Excel CSV.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SidePanel } from './SidePanel';
import { RULES, type FindingKind, type Report } from '../checks/report';
import { findingsCsv, findingsGeoJSON } from '../io/findings';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { DEFAULT_SETTINGS } from '../checks/engine';
import { downloadFile } from './download';
import { percentText, SCORE_DIGITS } from './format';

/** How many findings the list shows at once; the rest are counted and exported. */
const LIST_LIMIT = 300;

interface Props {
  report: Report;
  running: boolean;
  /** what the check is doing, or why it failed; null when done */
  progress: string | null;
  tookMs: number | null;
  selected: number | null;
  onRun: () => void;
  onPick: (findingIndex: number) => void;
  onClose: () => void;
}

export function ReportPanel({ report, running, progress, tookMs, selected, onRun, onPick, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<FindingKind | null>(null);
  const s = report.summary;
  const kinds = (Object.keys(s.counts) as FindingKind[]).filter((k) => s.counts[k] > 0);
  const shown = useMemo(() => {
    const list: number[] = [];
    report.findings.forEach((f, i) => { if (!kind || f.kind === kind) list.push(i); });
    return list;
  }, [report, kind]);
  const gridsShown = useMemo(() => shown.filter((i) => report.findings[i].rule !== 'boundaries'), [report, shown]);
  const boundaryShown = useMemo(() => shown.filter((i) => report.findings[i].rule === 'boundaries'), [report, shown]);

  const stamp = new Date().toISOString().slice(0, 10);
  const gridNames = useMemo(() => new Map(report.grids.map((g) => [g.code, g.name])), [report]);
  const named = (id: string) => (gridNames.get(id) ? `${id} ${gridNames.get(id)}` : id);

  return (
    <SidePanel title={t('report.title')} testId="report" className="report" onClose={onClose}>
      <div className="report-actions">
        <button type="button" className="primary" onClick={onRun} disabled={running} data-testid="run-checks">
          {running ? t('report.running') : t('report.run')}
        </button>
        <button type="button" onClick={() => downloadFile(`findings-${stamp}.geojson`, JSON.stringify(findingsGeoJSON(report)), 'application/geo+json', 'findings_geojson')} data-testid="export-geojson">
          {t('report.exportGeoJSON')}
        </button>
        <button type="button" onClick={() => downloadFile(`findings-${stamp}.csv`, findingsCsv(report, i18n.language === 'en' ? en : zhCN), 'text/csv;charset=utf-8', 'findings_csv')} data-testid="export-csv">
          {t('report.exportCsv')}
        </button>
      </div>
      {progress !== null || tookMs !== null ? (
        <p className="muted" role="status">{progress ?? t('report.tookMs', { ms: Math.round(tookMs!) })}</p>
      ) : null}

      <h3>{t('report.scores')}</h3>
      <ul className="scores" data-testid="scores">
        {RULES.map((rule) => {
          const v = s.scores[rule];
          const check = s.checks[rule];
          if (v === null) {
            // Never a number for what was not checked: say what is missing instead.
            return (
              <li key={rule} className="unchecked" title={check.note ? t(`report.notes.${check.note}`) : undefined}>
                <span className="score-name">{t(`rules.${rule}`)}</span>
                <span className="score-value" data-testid={`score-${rule}`}>
                  {t(`report.status.${check.status}`)}{check.note ? ` — ${t(`report.notes.${check.note}`)}` : ''}
                </span>
              </li>
            );
          }
          return (
            <li key={rule} className={v >= 0.9999 ? 'ok' : v >= 0.98 ? 'warn' : 'bad'}>
              <span className="score-name">{t(`rules.${rule}`)}</span>
              <span className="score-bar"><span style={{ width: `${(v * 100).toFixed(2)}%` }} /></span>
              <span className="score-value" data-testid={`score-${rule}`}>{percentText(v, SCORE_DIGITS)}</span>
            </li>
          );
        })}
      </ul>

      <h3>{t('report.findings')}</h3>
      {kinds.length === 0 && <p className="ok">{t('report.none')}</p>}
      <div className="kinds" data-testid="finding-kinds">
        {kinds.length > 0 && (
          <button type="button" className={kind === null ? 'chip active' : 'chip'} onClick={() => setKind(null)}>
            {t('report.all')} <b>{report.findings.length}</b>
          </button>
        )}
        {kinds.map((k) => (
          <button key={k} type="button" className={kind === k ? 'chip active' : 'chip'} onClick={() => setKind(k)} data-testid={`kind-${k}`}>
            {t(`findings.kinds.${k}`)} <b>{s.counts[k]}</b>
          </button>
        ))}
      </div>
      {s.slivers.count > 0 && (
        <p className="muted">{t('report.slivers', { count: s.slivers.count, m2: DEFAULT_SETTINGS.sliverM2, area: s.slivers.area_m2.toFixed(2) })}</p>
      )}
      <ol className="findings" data-testid="findings">
        {gridsShown.slice(0, LIST_LIMIT).map((i) => {
          const f = report.findings[i];
          const m = f.measure;
          const measure = m.area_m2 !== undefined ? t('report.area', { v: m.area_m2.toFixed(1) })
            : m.share !== undefined ? t('report.share', { v: (m.share * 100).toFixed(1) })
              : m.distance_m !== undefined ? t('report.distance', { v: m.distance_m })
                : m.count !== undefined ? t(`report.counts.${f.kind}`, { v: m.count, defaultValue: t('report.count', { v: m.count }) }) : '';
          return (
            <li key={i}>
              <button type="button" className={selected === i ? 'finding active' : 'finding'} onClick={() => onPick(i)}>
                <span className={`finding-kind rule-${f.rule}`}>{t(`findings.kinds.${f.kind}`)}</span>
                <span className="finding-ids">{f.ids.map(named).join(' · ')}</span>
                <span className="finding-measure">{measure}</span>
              </button>
            </li>
          );
        })}
      </ol>
      {gridsShown.length > LIST_LIMIT && <p className="muted">{t('report.more', { n: gridsShown.length - LIST_LIMIT })}</p>}
      {boundaryShown.length > 0 && (
        <>
          {/* the boundary layer's own findings, apart from the grids' */}
          <h3>{t('report.boundaryFindings')}</h3>
          <ol className="findings" data-testid="boundary-findings">
            {boundaryShown.slice(0, LIST_LIMIT).map((i) => {
              const f = report.findings[i];
              return (
                <li key={i}>
                  <button type="button" className={selected === i ? 'finding active' : 'finding'} onClick={() => onPick(i)}>
                    <span className={`finding-kind rule-${f.rule}`}>{t(`findings.kinds.${f.kind}`)}</span>
                    <span className="finding-ids">{f.ids.join(' · ')}</span>
                    <span className="finding-measure">{f.measure.area_m2 !== undefined ? t('report.area', { v: f.measure.area_m2.toFixed(1) }) : ''}</span>
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
      {report.repaired.length > 0 && (
        <details className="skipped" data-testid="repaired">
          <summary>{t('report.repaired', { n: report.repaired.length })}</summary>
          <ul>
            {report.repaired.slice(0, LIST_LIMIT).map((k, i) => (
              <li key={i}><code>{t(`layerNames.${k.layer}`)} {k.id}</code> {t(`skip.${k.code}`, k.params)} {k.code === 'degenerate_part' ? '' : t('report.madeValid', { parts: k.params.parts })}</li>
            ))}
          </ul>
        </details>
      )}
      {report.skipped.length > 0 && (
        <details className="skipped">
          <summary>{t('report.skipped', { n: report.skipped.length })}</summary>
          <ul>
            {report.skipped.slice(0, LIST_LIMIT).map((k, i) => (
              <li key={i}><code>{t(`layerNames.${k.layer}`)} {k.id}</code> {t(`skip.${k.code}`, k.params)}</li>
            ))}
          </ul>
        </details>
      )}
    </SidePanel>
  );
}
