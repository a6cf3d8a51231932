// The grid editor: the tools (each with its key), what the current one expects next, undo
// and redo, the selected grid with its live counts and band, its community's ideal size,
// the grids outside their band (worst first), versions and the comparison of the draft with
// one. Every figure here follows each edit (the page's one copy of the report and totals).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SidePanel } from './SidePanel';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import type { DraftState } from '../workspace/session';
import type { Feature } from 'geojson';
import { ProposalSection, Scores } from './ProposalSection';
import type { PlanScores } from '../plan/scores';
import type { EditOp } from '../plan/types';
import type { Comparison } from '../plan/compare';
import { MODE_KEYS, type ModeHint, type ModeHost, type ModeId } from '../map/modes/types';
import { gridIndex } from '../map/state';
import { isLocked } from '../plan/grids';
import { compareWithVersion, draftVersions, saveVersion } from './loadDistrict';
import type { VersionInfo } from '../workers/district.worker';
import { comparisonCsv, comparisonGeoJSON } from '../io/comparison';
import { downloadFile } from './download';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { bandDeviations, communitySize } from '../domain/bands';
import { sheetUrl } from './sheet/config';

export interface EditNotice {
  /** i18n key and values; `error` ones are refusals */
  key: string;
  values?: Record<string, string | number>;
  error?: boolean;
}

interface Props {
  district: District;
  report: Report;
  draft: DraftState;
  selected: string | null;
  mode: ModeId;
  hint: ModeHint | null;
  notice: EditNotice | null;
  lastEdit: { changed: string[]; ms: number } | null;
  bandView: boolean;
  drawOptions: ModeHost['drawOptions'];
  onMode: (m: ModeId) => void;
  onUndo: () => void;
  onRedo: () => void;
  onOp: (op: EditOp) => void;
  onRestore: (versionId: string) => void;
  onSelect: (code: string) => void;
  onBandView: (on: boolean) => void;
  onDrawOptions: (o: ModeHost['drawOptions']) => void;
  onNextUnassigned: () => void;
  /** a comparison shown (its outlines go on the map), or none */
  onComparison: (c: Comparison | null) => void;
  /** a proposal shown on the map, or none */
  onPreview: (features: Feature[] | null) => void;
  /** accept the proposal with this id */
  onAccept: (id: number) => void;
  onNotice: (n: EditNotice) => void;
  onClose: () => void;
  /** why nothing can be edited here (another tab edits it, the role only views, the server is out of reach) */
  readOnlyText?: string | null;
}

const DEDICATED_TYPES = ['school', 'hospital', 'market', 'enterprise', 'park'] as const;

export function EditPanel(p: Props) {
  const { t, i18n } = useTranslation();
  const d = p.district;
  const gi = p.selected ? gridIndex(d.grids, p.selected) : -1;
  const grid = gi >= 0 ? d.grids[gi] : null;
  const judged = useMemo(() => new Map(p.report.grids.map((g) => [g.code, g])), [p.report]);
  const g = grid ? judged.get(grid.properties.code) : undefined;
  const outside = useMemo(() => bandDeviations(p.report), [p.report]);
  const community = grid ? communitySize(p.report, d, grid.properties.community_code) : null;
  const unassigned = useMemo(() => {
    let n = 0;
    for (const x of d.buildings.grid) if (x < 0) n++;
    for (const x of d.households.grid) if (x < 0) n++;
    return n;
  }, [d]);
  const opName = (type: string | null) => (type ? t(`edit.ops.${type}`) : '');
  // Another tab is editing this draft: this one shows it as it goes and changes nothing.
  const ro = p.draft.readOnly;

  return (
    <SidePanel title={t('edit.title')} testId="edit-panel" className="edit-panel" onClose={p.onClose}>
      <div className="edit-tools" role="toolbar" aria-label={t('edit.title')}>
        {(Object.keys(MODE_KEYS) as ModeId[]).map((m) => (
          <button key={m} type="button" className={m === p.mode ? 'primary' : 'secondary'} aria-pressed={m === p.mode} data-testid={`mode-${m}`} disabled={ro} onClick={() => p.onMode(m)}>
            {t(`edit.modes.${m}`)} <kbd>{MODE_KEYS[m].toUpperCase()}</kbd>
          </button>
        ))}
      </div>
      <p className="edit-current" data-testid="edit-mode">{t('edit.current', { mode: t(`edit.modes.${p.mode}`) })}</p>
      {ro && <p className="edit-notice" role="status" data-testid="edit-read-only">{p.readOnlyText ?? t('edit.otherTab')}</p>}
      {p.hint && <p className="edit-hint" data-testid="edit-hint">{t(p.hint.key, p.hint.values)}</p>}
      {p.notice && <p className={p.notice.error ? 'edit-notice error' : 'edit-notice'} role={p.notice.error ? 'alert' : 'status'} data-testid="edit-notice">{t(p.notice.key, p.notice.values)}</p>}
      <div className="edit-history">
        <button type="button" className="secondary" disabled={ro || !p.draft.canUndo} onClick={p.onUndo} data-testid="undo" title={p.draft.undoType ? t('edit.undoWhat', { what: opName(p.draft.undoType) }) : undefined}>{t('edit.undo')}</button>
        <button type="button" className="secondary" disabled={ro || !p.draft.canRedo} onClick={p.onRedo} data-testid="redo" title={p.draft.redoType ? t('edit.redoWhat', { what: opName(p.draft.redoType) }) : undefined}>{t('edit.redo')}</button>
        <span className="muted" data-testid="draft-state">{p.draft.total ? t('edit.draft', { done: p.draft.done, total: p.draft.total }) : t('edit.draftNone')}</span>
      </div>

      <section className="edit-selected" data-testid="edit-selected">
        <h3>{t('edit.selected')}</h3>
        {!grid || !g ? <p className="muted">{t('edit.noSelection')}</p> : (
          <>
            <p><strong>{grid.properties.name}</strong>（{grid.properties.code}）</p>
            <dl className="rows">
              <div className="row"><dt>{t('edit.households')}</dt><dd data-testid="edit-households">{g.households}</dd></div>
              <div className="row"><dt>{t('edit.buildings')}</dt><dd>{g.buildings}</dd></div>
              <div className="row"><dt>{t('edit.residents')}</dt><dd>{g.residents}</dd></div>
              <div className="row"><dt>{t('edit.band')}</dt><dd className={`band-${g.band_status}`} data-testid="edit-band">{g.band ? `${g.band[0]}–${g.band[1]} · ` : ''}{t(`edit.bandStatus.${g.band_status}`)}</dd></div>
            </dl>
            {isLocked(grid) && <p className="muted">{t('edit.locked')}</p>}
            <div className="edit-actions">
              <button type="button" className="secondary" data-testid="lock" disabled={ro} onClick={() => p.onOp({ type: 'lock', codes: [grid.properties.code], locked: !isLocked(grid) })}>{isLocked(grid) ? t('edit.unlock') : t('edit.lock')} <kbd>L</kbd></button>
              <button type="button" className="secondary" data-testid="delete-grid" disabled={ro} onClick={() => p.onOp({ type: 'delete', code: grid.properties.code })}>{t('edit.remove')}</button>
              <button type="button" className="secondary" data-testid="renumber" disabled={ro} onClick={() => p.onOp({ type: 'renumber', community_code: grid.properties.community_code })}>{t('edit.renumber')}</button>
            </div>
            {community && <p className="muted" data-testid="community-size">{t('edit.community', community)}</p>}
          </>
        )}
      </section>

      {p.lastEdit && (
        <section data-testid="edit-touched">
          <h3>{t('edit.touched')} <span className="muted">{t('edit.took', { ms: Math.round(p.lastEdit.ms) })}</span></h3>
          <ul className="plain">
            {p.lastEdit.changed.map((c) => judged.get(c)).filter((x) => x !== undefined).map((x) => (
              <li key={x.code}><button type="button" className="link" onClick={() => p.onSelect(x.code)}>{x.name}（{x.code}）</button> {x.households} {t('edit.households')} · <span className={`band-${x.band_status}`}>{t(`edit.bandStatus.${x.band_status}`)}</span></li>
            ))}
          </ul>
        </section>
      )}

      {p.mode === 'draw' && (
        <section className="edit-draw">
          <h3>{t('edit.drawKind')}</h3>
          <select value={p.drawOptions.kind} onChange={(e) => p.onDrawOptions({ ...p.drawOptions, kind: e.target.value as 'base' | 'dedicated' })} data-testid="draw-kind">
            <option value="base">{t('edit.kinds.base')}</option>
            <option value="dedicated">{t('edit.kinds.dedicated')}</option>
          </select>
          {p.drawOptions.kind === 'dedicated' && (
            <>
              <select value={p.drawOptions.dedicatedType} aria-label={t('edit.dedicatedType')} onChange={(e) => p.onDrawOptions({ ...p.drawOptions, dedicatedType: e.target.value })}>
                {DEDICATED_TYPES.map((k) => <option key={k} value={k}>{t(`edit.dedicatedTypes.${k}`)}</option>)}
              </select>
              <label><input type="checkbox" checked={p.drawOptions.onTop} onChange={(e) => p.onDrawOptions({ ...p.drawOptions, onTop: e.target.checked })} /> {t('edit.onTop')}</label>
            </>
          )}
        </section>
      )}

      <section data-testid="band-list">
        <label><input type="checkbox" checked={p.bandView} onChange={(e) => p.onBandView(e.target.checked)} data-testid="band-view" /> {t('edit.bandView')}</label>
        <h3>{outside.length ? t('edit.outside', { n: outside.length }) : t('edit.outsideNone')}</h3>
        <ul className="plain band-outside">
          {outside.slice(0, 50).map((x) => (
            <li key={x.code}><button type="button" className="link" onClick={() => p.onSelect(x.code)}>{x.name}（{x.code}）</button> {x.households} · <span className={`band-${x.status}`}>{t(`edit.bandStatus.${x.status}`)}</span> {x.band[0]}–{x.band[1]}</li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={p.onNextUnassigned} disabled={unassigned === 0} data-testid="next-unassigned">{unassigned ? t('edit.nextUnassigned') : t('edit.noneUnassigned')}</button>
        {unassigned > 0 && <span className="muted"> {t('edit.unassignedLeft', { n: unassigned })}</span>}
      </section>

      <ProposalSection draft={p.draft} selected={grid ? { code: grid.properties.code, community: grid.properties.community_code } : null} onAccept={p.onAccept} onPreview={p.onPreview} onNotice={p.onNotice} />

      <Versions draft={p.draft} language={i18n.language} onRestore={p.onRestore} onComparison={p.onComparison} name={d.meta.district_name} />
    </SidePanel>
  );
}

function Versions({ draft, language, onRestore, onComparison, name }: { draft: DraftState; language: string; onRestore: (id: string) => void; onComparison: (c: Comparison | null) => void; name: string }) {
  const { t } = useTranslation();
  const [list, setList] = useState<VersionInfo[]>([]);
  const [label, setLabel] = useState('');
  const [compared, setCompared] = useState<{ v: VersionInfo; c: Comparison & { scores: { before: PlanScores; after: PlanScores } } } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { draftVersions().then(setList).catch((e: unknown) => setError(String(e))); }, [draft.workspaceId]);
  const vName = (v: VersionInfo) => v.name || t('edit.imported');
  const save = () => saveVersion(label).then((v) => { setList((l) => [...l, v]); setLabel(''); }).catch((e: unknown) => setError(String(e)));
  const compare = (v: VersionInfo) => compareWithVersion(v.id).then((c) => { setCompared({ v, c }); onComparison(c); }).catch((e: unknown) => setError(String(e)));
  // A comparison is of the draft as it was: an edit (or closing the editor) takes it off the map.
  useEffect(() => { setCompared(null); onComparison(null); }, [draft.done, draft.total]);
  useEffect(() => () => onComparison(null), []);
  const m = language === 'en' ? en : zhCN;
  const stamp = new Date().toISOString().slice(0, 10);
  const summary = compared && {
    name: vName(compared.v),
    added: compared.c.grids.filter((g) => g.change === 'added').length,
    removed: compared.c.grids.filter((g) => g.change === 'removed').length,
    reshaped: compared.c.grids.filter((g) => g.change === 'reshaped').length,
    households: compared.c.moves.reduce((s, x) => s + x.households, 0),
    buildings: compared.c.moves.reduce((s, x) => s + x.buildings, 0),
  };
  return (
    <section className="edit-versions" data-testid="versions">
      <h3>{t('edit.versions')}</h3>
      {error && <p className="edit-notice error" role="alert">{error}</p>}
      <ul className="plain">
        {list.map((v) => (
          <li key={v.id} data-testid="version">
            <span>{vName(v)}</span>{' '}
            <button type="button" className="link" onClick={() => compare(v)} data-testid="compare">{t('edit.compare')}</button>{' '}
            <button type="button" className="link" onClick={() => onRestore(v.id)} disabled={!draft.workspaceId || draft.readOnly}>{t('edit.restore')}</button>
          </li>
        ))}
      </ul>
      <div className="edit-actions">
        <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder={t('edit.versionName')} aria-label={t('edit.versionName')} data-testid="version-name" />
        <button type="button" className="secondary" onClick={save} disabled={!draft.workspaceId} data-testid="save-version">{t('edit.saveVersion')}</button>
      </div>
      {compared && summary && (
        <div className="edit-compare" data-testid="comparison">
          <p>{t('edit.comparison', summary)}</p>
          <Scores before={compared.c.scores.before} after={compared.c.scores.after} />
          <ul className="plain">
            {compared.c.grids.slice(0, 30).map((g) => <li key={g.code}>{g.name}（{g.code}）{t(`edit.change.${g.change}`)} · {g.households_before} → {g.households_after}</li>)}
          </ul>
          <h4>{t('edit.movesTitle')}</h4>
          <ul className="plain">
            {compared.c.moves.slice(0, 30).map((x) => <li key={`${x.from}-${x.to}`}>{t('edit.move', { ...x, from: x.from || t('edit.noGrid'), to: x.to || t('edit.noGrid') })}</li>)}
          </ul>
          <button type="button" className="secondary" data-testid="download-comparison" onClick={() => downloadFile(`${name}-${summary.name}-${stamp}.csv`, comparisonCsv(compared.c, m), 'text/csv;charset=utf-8', 'comparison_csv')}>{t('edit.downloadCsv')}</button>
          <button type="button" className="secondary" data-testid="download-comparison-geojson" onClick={() => downloadFile(`${name}-${summary.name}-${stamp}.geojson`, comparisonGeoJSON(compared.c), 'application/geo+json', 'comparison_geojson')}>{t('edit.downloadGeojson')}</button>
          <a className="sheet-link" href={sheetUrl(compared.v.id, 'A3', language)} target="_blank" rel="noopener" data-testid="open-sheet">{t('sheet.open')}</a>
        </div>
      )}
    </section>
  );
}
