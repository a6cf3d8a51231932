// The console: top bar (title, hierarchy, search, language), map, layer panel, inspector.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { District } from '../domain/district';
import { MapView, type Focus } from '../map/MapView';
import type { BBox } from '../io/flatgeobufUrl';
import { DEFAULT_VISIBILITY, type LayerVisibility, type Selection } from '../map/state';
import { selectionBBox } from '../map/focus';
import { db, loadSetting, saveSetting } from '../store/db';
import { fileErrorOf } from '../io/fileError';
import { acceptProposal, applyEdit, DEMO, recheckDistrict, redoEdit, restoreVersion, setCaseLimits, startDraft, startLoad, takeDraft, undoEdit, watchDraft, showPublished, watchServer, withView, type PendingLoad, type Source } from './loadDistrict';
import { AccountName, ServerPanel, type ServerHost } from './ServerPanel';
import { EDITS } from '../server/api';
import { ReportPanel } from './ReportPanel';
import { ImportPanel } from './ImportPanel';
import type { Report } from '../checks/report';
import type { LoadProgress } from '../workers/district.worker';
import { LayerPanel } from './LayerPanel';
import { Hierarchy, placeFilter, type Place } from './Hierarchy';
import { CasesPanel, type TimeWindow } from './CasesPanel';
import { CaseFeedControls } from './CaseFeedControls';
import { CaseLimits } from './CaseLimits';
import { useCaseFeed } from './caseFeed';
import type { FeedUpdate } from '../workers/district.worker';
import { withCaseFindings } from '../checks/cases';
import { ALL_CASES, caseMask, gridCaseLoad, type CaseFilter } from '../domain/kpis';
import { Inspector } from './Inspector';
import { SearchBox } from './SearchBox';
import { exposeForTests } from './testHooks';
import { previewDistrict } from '../workspace/preview';
import type { Language } from '../i18n';
import type { TFunction } from 'i18next';
import type { Feature } from 'geojson';
import { EditPanel, type EditNotice } from './EditPanel';
import { MODES } from '../map/modes';
import { MODE_KEYS, type ModeHint, type ModeHost, type ModeId } from '../map/modes/types';
import { gridIndex } from '../map/state';
import { isLocked } from '../plan/grids';
import type { EditOp } from '../plan/types';
import type { DraftState, EditAnswer, GridView } from '../workspace/session';
import { PlansPanel, type PinSpot } from './PlansPanel';
import { commentAt, commentPins, comparePending, planOfView, usePlanData, viewWords } from './plans';
import type { PlanComment } from '../server/api';

/** How long someone else's edit is said on the page. */
const REMOTE_NOTICE_MS = 8000;

export function App({ initialLoad, initialCaseLimits, server }: { initialLoad: PendingLoad; initialCaseLimits: Record<string, number>; server?: ServerHost }) {
  const { t, i18n } = useTranslation();
  const [load, setLoad] = useState(initialLoad);
  const [district, setDistrict] = useState<District | null>(null);
  // What the map draws while the checks run (a workspace's layers as stored): no figures, no selection.
  const [preview, setPreview] = useState<District | null>(null);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  // why the workspace asked for could not be opened (the demo is on the map instead)
  const [failure, setFailure] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<LayerVisibility>(DEFAULT_VISIBILITY);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [place, setPlace] = useState<Place>({});
  const [focus, setFocus] = useState<Focus | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  // The right-hand side shows one panel at a time; with none open, the inspector.
  // (a plan opened for review, or a comparison of published versions asked for, opens with the plans panel)
  const [panel, setPanel] = useState<'report' | 'import' | 'cases' | 'edit' | 'server' | 'plans' | null>(
    server && (planOfView(server.view) !== null || comparePending(server.current, server.view)) ? 'plans' : null);
  // On the office server: whether it can be reached (edits only then), and the last edit someone else made.
  const [online, setOnline] = useState(true);
  const [remote, setRemote] = useState<{ by: string; type: string; grids: string[]; at: number } | null>(null);
  // The draft being edited (the district's worker owns it; this is where it stands).
  const [draft, setDraft] = useState<DraftState | null>(null);
  const [source, setSource] = useState<Source>(initialLoad.source);
  const [modeId, setModeId] = useState<ModeId>('select');
  // Buildings the hand-over mode starts with (the next building in no grid).
  const [handStart, setHandStart] = useState<number[]>([]);
  const [comparison, setComparison] = useState<Feature[] | null>(null);
  const editMode = useMemo(() => MODES[modeId](handStart), [modeId, load, handStart]);
  const [hint, setHint] = useState<ModeHint | null>(null);
  const [notice, setNotice] = useState<EditNotice | null>(null);
  const [lastEdit, setLastEdit] = useState<{ changed: string[]; ms: number } | null>(null);
  const [drawOptions, setDrawOptions] = useState<ModeHost['drawOptions']>({ kind: 'base', dedicatedType: 'school', onTop: false });
  const [caseFilter, setCaseFilter] = useState<{ filter: CaseFilter; window: TimeWindow }>({ filter: ALL_CASES, window: 'all' });
  const [checking, setChecking] = useState<{ running: boolean; progress: string | null; tookMs: number | null }>({ running: false, progress: null, tookMs: null });
  // Review and approval (on a server): the plans and published versions, the comment picked in a list, a click awaited to place one.
  const plans = usePlanData(server, t);
  const [activePin, setActivePin] = useState<number | null>(null);
  const [pinPick, setPinPick] = useState<((spot: PinSpot) => void) | null>(null);
  useEffect(() => { if (panel !== 'plans') setPinPick(null); }, [panel]);

  useEffect(() => {
    loadSetting<LayerVisibility>('visibility', DEFAULT_VISIBILITY).then((v) => setVisibility({ ...DEFAULT_VISIBILITY, ...v }));
  }, []);

  useEffect(() => {
    let current = true;
    const unsubscribe = load.subscribe(setProgress);
    load.preview.then((p) => {
      if (!current || !p) return;
      setPreview((was) => was ?? previewDistrict(p));
      exposeForTests({ shownAt: performance.now() });
    }, () => {});
    load.district
      .then((d) => {
        if (!current) return;
        const { draft: dr, ...district } = d;
        exposeForTests({ district, report: d.report, loadedAt: performance.now(), source: load.source, draft: dr });
        setDistrict(district);
        setReport(d.report);
        setDraft(dr);
        // One writer per draft among this browser's tabs: this one, or it follows the one that is.
        const drafted = (next: DraftState) => { if (current) { setDraft(next); exposeForTests({ draft: next }); } };
        watchDraft((v) => { if (current) applyView(v, performance.now()); }, drafted).then(drafted, (e: unknown) => console.error(e));
        if (load.source.kind === 'server') {
          watchServer((n) => {
            if (!current) return;
            if (n.kind === 'online') setOnline(n.online);
            else if (n.kind === 'edit') setRemote({ ...n, at: Date.now() });
            else plans.refresh(); // a plan submitted, commented, decided; a version published
          }).then((w) => { if (current && w) setOnline(w.online); }, (e: unknown) => console.error(e));
        }
      })
      .catch(async (e: unknown) => {
        if (!current) return;
        console.error(e);
        const from = load.source;
        if (from.kind !== 'workspace') { setError(e instanceof Error ? e.message : String(e)); return; }
        // A workspace that fails to open does not take the console with it: the choice is
        // forgotten (a new tab or a reload opens the demo), the demo opens, the failure is named.
        const name = (await db.workspaces.get(from.id).catch(() => undefined))?.name ?? from.id;
        if (!current) return;
        const f = fileErrorOf(e);
        openSource(DEMO);
        setFailure(t('load.workspaceFailed', { name, what: f ? t(`fileErrors.${f.code}`, f.params) : e instanceof Error ? e.message : String(e) }));
      });
    return () => { current = false; unsubscribe(); };
  }, [load]);

  useEffect(() => {
    if (!remote) return;
    exposeForTests({ remoteEdit: remote });
    const timer = setTimeout(() => setRemote((r) => (r === remote ? null : r)), REMOTE_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [remote]);
  useEffect(() => exposeForTests({ online }), [online]);

  const [caseLimits, setCaseLimitsState] = useState(initialCaseLimits);
  /** Puts another district on the map (the demo or a workspace) and remembers the choice. */
  const openSource = useCallback((source: Source) => {
    setDistrict(null);
    setPreview(null);
    setReport(null);
    setError(null);
    setFailure(null);
    setProgress(null);
    setSelection(null);
    setPlace({});
    setPanel(null);
    exposeForTests({ district: undefined, report: undefined, map: undefined, shownAt: undefined, loadedAt: undefined, drawnAt: undefined });
    void saveSetting('source', source);
    setSource(source);
    setDraft(null);
    setLastEdit(null);
    setNotice(null);
    setLoad(startLoad(source, caseLimits));
  }, [caseLimits]);

  const changeVisibility = useCallback((v: LayerVisibility) => {
    setVisibility(v);
    void saveSetting('visibility', v);
  }, []);

  const flyTo = useCallback((s: Selection) => {
    if (!district || !report) return;
    const b = selectionBBox(district, s, report);
    if (b) setFocus({ bbox: b, nonce: performance.now() });
  }, [district, report]);

  // Opening the report shows it; what the map draws stays as the user set it.
  const openReport = useCallback(() => setPanel('report'), []);

  // Escape closes the open panel (or, with none, the inspector's selection).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || (e.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName))) return;
      if (panel) setPanel(null);
      else setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel]);

  const runChecks = useCallback(() => {
    openReport();
    setChecking({ running: true, progress: t('report.running'), tookMs: null });
    const started = performance.now();
    recheckDistrict((p) => setChecking((c) => ({ ...c, progress: t(p.step, { stage: t(`checkStages.${p.stage}`), done: p.done, total: p.total }) })))
      .then(({ report: r }) => {
        setReport(r);
        setSelection(null);
        setChecking({ running: false, progress: null, tookMs: performance.now() - started });
        exposeForTests({ report: r });
      })
      .catch((e: unknown) => {
        console.error(e);
        setChecking({ running: false, progress: t('load.failed', { message: e instanceof Error ? e.message : String(e) }), tookMs: null });
      });
  }, [t, openReport]);

  const select = useCallback((s: Selection | null, fly = false, keepPanel = false) => {
    setSelection(s);
    // Anything but a finding is shown in the inspector, which takes the report's place; a
    // case picked from the cases list is shown within that list instead.
    if (s && s.kind !== 'finding' && !keepPanel) setPanel((p) => (p === 'edit' ? p : null));
    if (s && fly) flyTo(s);
  }, [flyTo]);

  // Editing: each edit goes to the district's worker and comes back as the grids, totals and
  // report as they now are; the page replaces its one copy of each.
  const applyView = useCallback((v: GridView, started: number) => {
    setDistrict((d) => {
      if (!d) return d;
      const next = withView(d, v);
      exposeForTests({ district: next });
      return next;
    });
    setReport(v.report);
    setDraft(v.draft);
    // A selected grid that the edit removed: its successor (the first grid the edit made).
    setSelection((s) => (s?.kind === 'grid' && gridIndex(v.grids, s.code) < 0 ? (v.changed.find((c) => gridIndex(v.grids, c) >= 0) ? { kind: 'grid', code: v.changed.find((c) => gridIndex(v.grids, c) >= 0)! } : null) : s));
    const ms = performance.now() - started;
    setLastEdit({ changed: v.changed, ms });
    exposeForTests({ report: v.report, draft: v.draft, lastEdit: { changed: v.changed, ms, worker: v.timings, at: Date.now() } });
  }, []);
  const answer = useCallback((started: number, doneKey?: string) => (a: EditAnswer) => {
    if (a.ok) {
      applyView(a.view, started);
      const r = a.view.renamed;
      setNotice(r ? { key: 'edit.renumbered', values: { n: r.length, list: r.map(([x, y]) => `${x} → ${y}`).join('，') } } : doneKey ? { key: doneKey } : null);
    } else setNotice({ key: `edit.errors.${a.code}`, values: whatOf(a.values, t), error: true });
  }, [applyView, t]);
  const failed = useCallback((e: unknown) => { console.error(e); setNotice({ key: 'edit.errors.failed', values: { message: e instanceof Error ? e.message : String(e) }, error: true }); }, []);
  /** Makes sure there is a draft to edit: the demo is copied into a workspace first. */
  const ensureDraft = useCallback(async (): Promise<boolean> => {
    if (draft?.workspaceId) return true;
    if (!district) return false;
    const name = t('edit.copyName', { name: district.meta.district_name });
    const dr = await startDraft(name);
    setDraft(dr);
    const ws: Source = { kind: 'workspace', id: dr.workspaceId! };
    setSource(ws);
    void saveSetting('source', ws);
    setNotice({ key: 'edit.copied', values: { name } });
    exposeForTests({ draft: dr, source: ws });
    return true;
  }, [draft, district, t]);
  const edit = useCallback((op: EditOp) => {
    // Timed from the request to the worker (a first edit of the demo copies it first).
    ensureDraft().then((ok) => (ok ? applyEdit(op).then(answer(performance.now())) : undefined)).catch(failed);
  }, [ensureDraft, answer, failed]);
  const acceptPlan = useCallback((id: number) => {
    ensureDraft().then((ok) => (ok ? acceptProposal(id).then(answer(performance.now())) : undefined)).catch(failed);
  }, [ensureDraft, answer, failed]);
  const undo = useCallback(() => { const s = performance.now(); undoEdit().then(answer(s)).catch(failed); }, [answer, failed]);
  const redo = useCallback(() => { const s = performance.now(); redoEdit().then(answer(s)).catch(failed); }, [answer, failed]);
  const restore = useCallback((id: string) => { const s = performance.now(); restoreVersion(id).then(answer(s)).catch(failed); }, [answer, failed]);
  const selectedCode = selection?.kind === 'grid' ? selection.code : null;
  const onEditKey = useCallback((e: KeyboardEvent) => {
    const k = e.key.toLowerCase();
    if ((e.ctrlKey || e.metaKey) && k === 'z') { e.preventDefault(); if (e.shiftKey) redo(); else undo(); return; }
    if ((e.ctrlKey || e.metaKey) && k === 'y') { e.preventDefault(); redo(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const m = (Object.keys(MODE_KEYS) as ModeId[]).find((id) => MODE_KEYS[id] === k);
    if (m) { setHandStart([]); setModeId(m); return; }
    if (k === 'l' && selectedCode && district) {
      const g = district.grids[gridIndex(district.grids, selectedCode)];
      if (g) edit({ type: 'lock', codes: [selectedCode], locked: !isLocked(g) });
    }
  }, [undo, redo, edit, selectedCode, district]);
  const nextUnassigned = useCallback(() => {
    if (!district) return;
    const list = district.buildings.grid;
    const from = selection?.kind === 'building' ? selection.index + 1 : 0;
    let b = -1;
    for (let k = 0; k < list.length; k++) { const i = (from + k) % list.length; if (list[i] < 0) { b = i; break; } }
    if (b >= 0) {
      // In the hand-over tool with it picked: one click on the grid that should take it.
      setHandStart([b]);
      setModeId('hand');
      setSelection({ kind: 'building', index: b });
      flyTo({ kind: 'building', index: b });
      return;
    }
    // Every building in a grid: the next household in none (its point lies outside every grid).
    const hh = district.households.grid;
    const start = selection?.kind === 'household' ? selection.index + 1 : 0;
    for (let k = 0; k < hh.length; k++) {
      const i = (start + k) % hh.length;
      if (hh[i] < 0) { setSelection({ kind: 'household', index: i }); flyTo({ kind: 'household', index: i }); return; }
    }
  }, [district, selection, flyTo]);
  // A draft another tab is editing is not edited on this map (nor with its keys).
  const readOnly = draft?.readOnly === true;
  const editProps = useMemo(() => (panel === 'edit' && !readOnly ? { mode: editMode, selected: selectedCode, apply: edit, drawOptions, onKey: onEditKey, onHint: setHint } : null),
    [panel, readOnly, editMode, selectedCode, edit, drawOptions, onEditKey]);

  const mapRef = useRef<MapLibreMap | null>(null);
  const onDrawn = useCallback((map: MapLibreMap, atMs: number) => {
    mapRef.current = map;
    exposeForTests({ map, drawnAt: atMs });
  }, []);
  const viewBBox = useCallback((): BBox | undefined => {
    const b = mapRef.current?.getBounds();
    return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : undefined;
  }, []);
  useEffect(() => exposeForTests({ visibility, selection }), [visibility, selection]);

  const toggleLanguage = useCallback(() => {
    const next: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
    void i18n.changeLanguage(next);
    void saveSetting('language', next);
  }, [i18n]);

  // Cases: the filters the map, the lists and the KPIs follow; the lists and KPIs are for the chosen place.
  // (the map's cases: the district's, or the preview's while the checks run)
  const shown = district ?? preview;
  const cases = shown?.cases;
  // By the statuses (a new case table has new ones): an edit moves cases between grids, not in or out of a filter.
  const caseMaskNow = useMemo(() => (cases ? caseMask(cases, caseFilter.filter, () => true) : new Uint8Array(0)), [cases?.status, caseFilter]);
  const gridLoadNow = useMemo(() => (shown ? gridCaseLoad(shown.cases, caseMaskNow, shown.gridStats.households).per100 : new Float32Array(0)), [shown, caseMaskNow]);
  const inPlace = useMemo(() => (district && placeFilter(district, place)) || (() => true), [district, place]);
  useEffect(() => exposeForTests({ caseFilter: caseFilter.filter, shownCases: caseMaskNow.reduce((n, m) => n + m, 0) }), [caseFilter, caseMaskNow]);

  // A live case feed, or new time limits, replace the cases (and their per-grid counts) in place: same grids, same map.
  const applyCases = useCallback((u: Pick<FeedUpdate, 'cases' | 'openCases' | 'overdueCases'>) => {
    setDistrict((d) => {
      if (!d) return d;
      const next = { ...d, cases: u.cases, gridStats: { ...d.gridStats, openCases: u.openCases, overdueCases: u.overdueCases } };
      exposeForTests({ district: next });
      return next;
    });
    setReport((r) => r && withCaseFindings(r, u.cases));
  }, []);
  const feed = useCaseFeed(source, district !== null, applyCases);
  const saveCaseLimits = useCallback((l: Record<string, number>) => {
    setCaseLimitsState(l);
    void saveSetting('caseLimits', l);
    setCaseLimits(l).then(applyCases).catch((e: unknown) => console.error(e));
  }, [applyCases]);

  // Comments pinned on the map (a plan's in its view; the author's own plans' on the draft), plans awaiting review, a newer publication.
  const pins = useMemo(() => (server && district ? commentPins(plans, district, t) : null), [server, district?.grids, plans.open, plans.own, t]);
  useEffect(() => exposeForTests({ pins: pins ?? [] }), [pins]);
  const waiting = (plans.plans ?? []).filter((p) => p.status === 'submitted' && (server?.me.role === 'reviewer' || server?.me.role === 'admin' ? p.author !== server.me.name : p.author === server?.me.name)).length;
  const [shownPublished, setShownPublished] = useState<number | null>(null);
  const latestPublished = plans.published?.at(-1)?.number ?? null;
  useEffect(() => { if (latestPublished !== null) setShownPublished((n) => n ?? latestPublished); }, [latestPublished]);
  const newerPublished = latestPublished !== null && shownPublished !== null && latestPublished > shownPublished ? latestPublished : null;
  // The published plan open (an operator's console): a newer version drawn in place as it is published, as on the wall
  // (only the grids that changed checked again); if that fails, the button below opens it anew.
  const viewKind = server?.view;
  useEffect(() => {
    if (viewKind !== 'published' || newerPublished === null) return;
    let live = true;
    const started = performance.now();
    showPublished(newerPublished).then((v) => { if (live) { applyView(v, started); setShownPublished(newerPublished); } },
      (e: unknown) => console.warn('the newer published version could not be drawn in place', e));
    return () => { live = false; };
  }, [viewKind, newerPublished, applyView]);
  const flyToComment = useCallback((c: PlanComment) => {
    setActivePin(c.id);
    const at = district && commentAt(c, district);
    if (c.lonLat || !c.grid) { if (at) setFocus({ bbox: [at[0], at[1], at[0], at[1]], nonce: performance.now() }); } else flyTo({ kind: 'grid', code: c.grid });
  }, [district, flyTo]);

  const title = useMemo(() => (district ? district.meta.district_name : ''), [district]);
  useEffect(() => { document.title = `${t('app.title')} · ${title}`; }, [t, title]);
  useEffect(() => { document.documentElement.lang = i18n.language; }, [i18n.language]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        {district && (
          <Hierarchy
            district={district}
            place={place}
            onPlace={(p, s) => { setPlace(p); select(s, true); }}
          />
        )}
        <div className="topbar-right">
          {district && (
            <button type="button" className="primary" onClick={openReport} data-testid="open-report">
              {t('report.open')}
              {report && <span className="badge">{report.findings.length}</span>}
            </button>
          )}
          {district && (
            <button type="button" className="secondary" onClick={() => setPanel('cases')} data-testid="open-cases">
              {t('cases.button')}
              {/* The same "overdue" the totals strip shows, said as such (the strip also shows the open ones). */}
              <span className="badge" data-testid="cases-badge">{t('cases.badgeOverdue', { n: district.gridStats.overdueCases.reduce((a, b) => a + b, 0) })}</span>
            </button>
          )}
          {district && (
            <button type="button" className={panel === 'edit' ? 'primary' : 'secondary'} onClick={() => setPanel('edit')} data-testid="open-edit">
              {t('edit.open')}
            </button>
          )}
          {server && district && (
            <button type="button" className={panel === 'plans' ? 'primary' : 'secondary'} onClick={() => { plans.refresh(); setPanel('plans'); }} data-testid="open-plans">
              {t('plans.button')}
              {waiting > 0 && <span className="badge" data-testid="plans-badge">{waiting}</span>}
            </button>
          )}
          {server ? (
            <button type="button" className={panel === 'server' ? 'primary account' : 'secondary account'} onClick={() => setPanel('server')} data-testid="account" title={t('server.panel')}>
              <AccountName me={server.me} />
            </button>
          ) : (
            <button type="button" className="secondary" onClick={() => setPanel('import')} data-testid="open-import">
              {t('import.open')}
            </button>
          )}
          {district && <SearchBox district={district} onPick={(s) => select(s, true)} />}
          <button type="button" className="lang" onClick={toggleLanguage} aria-label={t('app.languageLabel')} data-testid="language">
            {t('app.language')}
          </button>
        </div>
      </header>
      <main className="main">
        {failure && (
          <div className="load-failure" role="alert" data-testid="load-failure">
            {failure}
            <button type="button" onClick={() => setFailure(null)} aria-label={t('load.dismiss')}>×</button>
          </div>
        )}
        {district && district.grids.length === 0 && source.kind === 'workspace' && panel !== 'import' && (
          <div className="no-grids" role="status" data-testid="no-grids">
            {t('workspaces.noGrids')}
            <button type="button" className="primary" onClick={() => { setModeId('draw'); setPanel('edit'); }} data-testid="no-grids-draw">{t('workspaces.drawGrids')}</button>
            <button type="button" onClick={() => setPanel('import')} data-testid="no-grids-import">{t('workspaces.importGrids')}</button>
          </div>
        )}
        {/* Over the map, under the figures strip: the map keeps its size (a resize would redraw it all). */}
        {server && !online && (
          <div className="server-banner" role="alert" data-testid="server-offline">{t('server.offline')}</div>
        )}
        {server && district && (
          <div className={server.view === 'draft' ? 'view-line' : 'view-line read-only'} role="status" data-testid="view-line">
            <span>{viewWords(server.view, plans, t)}</span>
            {server.view !== 'draft' && server.current && (
              <button type="button" className="secondary" onClick={() => server.onOpen(server.current!, 'draft')} data-testid="back-to-draft">{t('plans.backToDraft')}</button>
            )}
            {server.view === 'published' && newerPublished !== null && (
              <button type="button" className="primary" onClick={() => server.onOpen(server.current!, 'published')} data-testid="newer-published">{t('plans.newerPublished', { n: newerPublished })}</button>
            )}
            {pinPick && <span className="muted">{t('plans.pickHint')}</span>}
          </div>
        )}
        {server && remote && (
          <div className="remote-notice" role="status" data-testid="remote-edit">
            {t('server.editedBy', { user: remote.by, grids: gridList(remote.grids, t), what: t(`edit.ops.${remote.type}`, { defaultValue: remote.type }) })}
          </div>
        )}
        {readOnly && !server && (
          <div className="draft-banner" role="status" data-testid="draft-banner">
            {t('edit.otherTab')}{' '}
            <button type="button" className="secondary" data-testid="take-over" onClick={() => { takeDraft().catch(failed); }}>{t('edit.takeOver')}</button>
          </div>
        )}
        {shown && (
          <MapView
            key={load.started}
            district={shown}
            report={district && report ? report : shown.report}
            complete={district !== null && report !== null}
            visibility={visibility}
            selection={district ? selection : null}
            caseMask={caseMaskNow}
            gridLoad={gridLoadNow}
            focus={focus}
            onSelect={(s) => { if (district) select(s, false, panel === 'edit'); }}
            onDrawn={onDrawn}
            edit={district ? editProps : null}
            comparison={comparison}
            pins={pins}
            activePin={activePin}
            onPin={pinPick ? (at, grid) => { const pick = pinPick; setPinPick(null); pick({ at, grid }); } : null}
          />
        )}
        {!district && (
          <div className={preview ? 'loading loading-over-map' : 'loading'} role="status" data-testid="loading">
            {error ? (
              <>
                {t('load.failed', { message: error })}
                {load.source.kind === 'workspace' && <button type="button" className="primary" onClick={() => openSource(DEMO)}>{t('workspaces.openDemo')}</button>}
              </>
            ) : progress?.layer
              ? t(progress.step, { layer: t(`layerNames.${progress.layer}`), done: progress.done, total: progress.total })
              : progress?.stage
                ? t(progress.step, { stage: t(`checkStages.${progress.stage}`), done: progress.done, total: progress.total })
                : t(progress?.step ?? 'load.loading')}
            {progress && !error && <progress max={progress.total} value={progress.done} />}
          </div>
        )}
        {district && <LayerPanel visibility={visibility} onChange={changeVisibility} editing={panel === 'edit'} comparing={comparison !== null} pins={(pins?.length ?? 0) > 0} />}
        {district && report && draft && panel === 'edit' && (
          <EditPanel
            district={district}
            report={report}
            draft={draft}
            readOnlyText={!readOnly ? null : !server ? t('edit.otherTab') : server.view !== 'draft' ? t('plan.errors.view_read_only') : !EDITS[server.me.role] ? t('server.readOnlyRole', { role: t(`server.roles.${server.me.role}`) }) : t('server.offline')}
            selected={selectedCode}
            mode={modeId}
            hint={hint}
            notice={notice ?? (draft.workspaceId ? null : { key: 'edit.demoCopy', values: { name: t('edit.copyName', { name: district.meta.district_name }) } })}
            lastEdit={lastEdit}
            bandView={visibility.bandColors}
            drawOptions={drawOptions}
            onMode={(m) => { setHandStart([]); setModeId(m); }}
            onUndo={undo}
            onRedo={redo}
            onOp={edit}
            onRestore={restore}
            onSelect={(code) => select({ kind: 'grid', code }, true, true)}
            onBandView={(on) => changeVisibility({ ...visibility, bandColors: on })}
            onDrawOptions={setDrawOptions}
            onNextUnassigned={nextUnassigned}
            onComparison={(c) => setComparison(c?.features ?? null)}
            onPreview={setComparison}
            onAccept={acceptPlan}
            onNotice={setNotice}
            onClose={() => setPanel(null)}
          />
        )}
        {server && panel === 'server' && <ServerPanel host={server} onClose={() => setPanel(null)} />}
        {server && district && report && panel === 'plans' && (
          <PlansPanel
            host={server}
            data={plans}
            onComparison={(c) => setComparison(c?.features ?? null)}
            onFly={flyToComment}
            onPickPin={(pick) => setPinPick(() => pick)}
            picking={pinPick !== null}
            onClose={() => { setPinPick(null); setPanel(null); }}
          />
        )}
        {panel === 'import' && <ImportPanel source={source} districtName={district?.meta.district_name ?? null} viewBBox={viewBBox} onOpen={openSource} onClose={() => setPanel(null)} />}
        {district && panel === 'cases' && (
          <CasesPanel
            district={district}
            placeName={placeName(district, place)}
            filter={caseFilter.filter}
            window={caseFilter.window}
            onFilter={(filter, window) => setCaseFilter({ filter, window })}
            inArea={inPlace}
            mask={caseMaskNow}
            feed={(
              <>
                <CaseFeedControls config={feed.config} state={feed.state} onChange={feed.setConfig} />
                <CaseLimits categories={district.cases.categoryNames} limits={caseLimits} onSave={saveCaseLimits} />
              </>
            )}
            selected={selection?.kind === 'case' ? selection.index : null}
            onPickCase={(i) => select({ kind: 'case', index: i }, true, true)}
            onPickGrid={(i) => select({ kind: 'grid', code: district.grids[i].properties.code }, true)}
            onClose={() => setPanel(null)}
          />
        )}
        {district && report && panel === null && <Inspector district={district} report={report} selection={selection} onSelect={(s) => select(s, true)} onClose={() => select(null)} />}
        {district && report && panel === 'report' && (
          <ReportPanel
            report={report}
            running={checking.running}
            progress={checking.progress}
            tookMs={checking.tookMs}
            selected={selection?.kind === 'finding' ? selection.index : null}
            onRun={runChecks}
            onPick={(i) => select({ kind: 'finding', index: i }, true)}
            onClose={() => setPanel(null)}
          />
        )}
      </main>
    </div>
  );
}

/** The chosen place's name: a grid, community or street, else the district. */
function placeName(d: District, p: Place): string {
  if (p.grid !== undefined) return d.grids.find((g) => g.properties.code === p.grid)?.properties.name ?? '';
  const code = p.community ?? p.street;
  return (code && d.boundaries.find((b) => b.properties.code === code)?.properties.name) || d.meta.district_name;
}

/** A few grid codes for a notice (the rest counted). */
function gridList(codes: string[], t: TFunction): string {
  const shown = codes.slice(0, 3).join(t('server.sep'));
  return codes.length > 3 ? `${shown} ${t('server.more', { n: codes.length - 3 })}` : shown;
}

/** A refusal's values with the kind of defect said in words. */
function whatOf(values: Record<string, string | number>, t: TFunction): Record<string, string | number> {
  return typeof values.what === 'string' ? { ...values, what: t(`edit.what.${values.what}`, { defaultValue: values.what }) } : values;
}
