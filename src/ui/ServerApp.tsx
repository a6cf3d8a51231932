// The console on the office server: logged in first (the login form until then), then the
// district remembered or the first one opened in the console; with none yet, it says so (an
// administrator uploads one here).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FIRST_VIEW, type DistrictInfo, type Me, type PlanDetail, type PublishedInfo } from '../server/api';
import { loadSetting, saveSetting } from '../store/db';
import { App } from './App';
import { Login } from './Login';
import { setAccount, showPublished, startLoad, watchServer, type PendingLoad } from './loadDistrict';
import type { GridView } from '../workspace/session';
import { call, listDistricts, logout, whoAmI } from './server';
import { serverMessage } from './serverText';
import { ServerSections, type ServerHost } from './ServerPanel';
import { isScreen, screenConfig } from './screen/config';
import { Screen } from './screen/Screen';
import { exposeForTests } from './testHooks';
import { isSheet, sheetConfig } from './sheet/config';
import { SheetPage } from './sheet/SheetPage';

type State =
  | { at: 'checking' }
  | { at: 'unreachable'; message: string }
  | { at: 'login'; message: string | null }
  | { at: 'console'; me: Me; districts: DistrictInfo[]; load: PendingLoad | null };

/** The setting that remembers the server district last open. */
export const SERVER_DISTRICT = 'serverDistrict';

export function ServerApp({ caseLimits }: { caseLimits: Record<string, number> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ at: 'checking' });

  const enter = useCallback(async (me: Me) => {
    setAccount(me);
    const districts = await listDistricts();
    const remembered = await loadSetting<string | null>(SERVER_DISTRICT, null);
    const pick = districts.find((d) => d.id === remembered) ?? districts[0];
    setState({ at: 'console', me, districts, load: pick && !isScreen(location) && !isSheet(location) ? startLoad({ kind: 'server', id: pick.id, view: FIRST_VIEW[me.role] }, caseLimits) : null });
  }, [caseLimits]);

  const check = useCallback(() => {
    setState({ at: 'checking' });
    whoAmI()
      .then((me) => (me ? enter(me) : setState({ at: 'login', message: null })))
      .catch((e: unknown) => setState({ at: 'unreachable', message: serverMessage(e, t) }));
  }, [enter, t]);
  useEffect(check, [check]);

  const onLogout = useCallback(() => {
    logout().catch((e: unknown) => console.warn('logout', e)).finally(() => { setAccount(null); location.reload(); });
  }, []);

  if (state.at === 'checking') return <div className="loading" role="status" data-testid="server-checking">{t('server.login.checking')}</div>;
  if (state.at === 'unreachable') {
    return (
      <div className="loading" role="alert" data-testid="server-unreachable">
        {state.message}
        <button type="button" className="primary" onClick={check}>{t('server.login.retry')}</button>
      </div>
    );
  }
  if (state.at === 'login') return <Login message={state.message} onLogin={(me) => { enter(me).catch((e: unknown) => setState({ at: 'login', message: serverMessage(e, t) })); }} />;

  const { me, districts, load } = state;
  if (isScreen(location)) return <ServerScreen districts={districts} caseLimits={caseLimits} />;
  if (isSheet(location)) return <ServerSheet caseLimits={caseLimits} />;
  const host: ServerHost = {
    me, districts, current: load?.source.kind === 'server' ? load.source.id : null,
    view: (load?.source.kind === 'server' && load.source.view) || FIRST_VIEW[me.role],
    onOpen: (id, view = FIRST_VIEW[me.role]) => {
      void saveSetting(SERVER_DISTRICT, id);
      const next = startLoad({ kind: 'server', id, view }, caseLimits);
      setState((s) => (s.at === 'console' ? { ...s, load: next } : s));
    },
    onLogout,
    onDistricts: async () => { const list = await listDistricts(); setState((s) => (s.at === 'console' ? { ...s, districts: list } : s)); return list; },
  };
  if (!load) {
    return (
      <div className="login-page">
        <div className="login panel" data-testid="no-district">
          <h2>{t('app.title')}</h2>
          <p role="status">{t('server.noDistrict')}</p>
          <ServerSections host={host} />
        </div>
      </div>
    );
  }
  return <App key={load.started} initialLoad={load} initialCaseLimits={caseLimits} server={host} />;
}

/** How often the wall asks which version is published, besides being told (a missed event, a long night: the login kept alive). */
const WALL_CHECK_MS = 60_000;

interface WallState {
  load: PendingLoad;
  /** the published version on the wall, and the day it took effect */
  published: number;
  effective: string;
  /** its grids, when they replaced those the load opened */
  view: GridView | null;
  /** how many newer versions were drawn in place, and how many needed the district opened anew */
  redraws: number;
  reloads: number;
}

/**
 * The big screen on the office server (/screen?district=<id>&…): the district's published plan,
 * its next version drawn in place as soon as it is published (told by the server's events,
 * checked each minute too): only the grids that changed are checked again, without a reload
 * (opened anew only if that fails). It never shows a draft.
 */
function ServerScreen({ districts, caseLimits }: { districts: DistrictInfo[]; caseLimits: Record<string, number> }) {
  const { t } = useTranslation();
  const config = useMemo(() => screenConfig(location.search), []);
  const asked = new URLSearchParams(location.search).get('district');
  const id = (districts.find((d) => d.id === asked) ?? districts[0])?.id ?? null;
  // the version drawn is named by its number: what is shown is exactly the version the wall says it shows
  const [shown, setShown] = useState<WallState | null>(null);
  const wall = useRef<WallState | null>(null);
  useEffect(() => { wall.current = shown; if (shown) exposeForTests({ wall: { published: shown.published, redraws: shown.redraws, reloads: shown.reloads } }); }, [shown]);

  useEffect(() => {
    if (!id) return;
    let live = true;
    let queue = Promise.resolve();
    // One version after another: each newer one drawn in place of the one shown.
    const seen = (p: PublishedInfo) => {
      queue = queue.then(async () => {
        const s = wall.current;
        if (!live || (s && s.published >= p.number)) return;
        if (!s) {
          const first: WallState = { load: startLoad({ kind: 'server', id, view: `published:${p.number}` }, caseLimits), published: p.number, effective: p.effective, view: null, redraws: 0, reloads: 0 };
          wall.current = first;
          setShown(first);
          return;
        }
        let next: WallState;
        try {
          await s.load.district;
          next = { ...s, published: p.number, effective: p.effective, view: await showPublished(p.number), redraws: s.redraws + 1 };
        } catch (e) {
          console.warn('wall: the new version could not be drawn in place; opening it anew', e);
          next = { ...s, load: startLoad({ kind: 'server', id, view: `published:${p.number}` }, caseLimits), published: p.number, effective: p.effective, view: null, reloads: s.reloads + 1 };
        }
        if (!live) return;
        wall.current = next;
        setShown(next);
      });
    };
    const check = () => call<PublishedInfo[]>(`/api/districts/${encodeURIComponent(id)}/published`)
      .then((list) => { if (list.length) seen(list[list.length - 1]); })
      .catch((e: unknown) => console.warn('wall: could not ask which version is published', e));
    void check();
    const timer = setInterval(check, WALL_CHECK_MS);
    void watchServer((n) => { if (n.kind === 'published') seen(n.published); });
    return () => { live = false; clearInterval(timer); };
  }, [id, caseLimits]);

  if (!id) return <div className="loading" role="status" data-testid="no-district">{t('server.noDistrict')}</div>;
  if (!shown) return <div className="loading" role="status">{t('server.login.checking')}</div>;
  return <Screen load={shown.load} config={config} published={{ number: shown.published, effective: shown.effective }} view={shown.view} />;
}

/** The approval sheet of a plan on the office server (/sheet?district=<id>&plan=<n>&paper=A3|A4): its view, compared with its base version. */
function ServerSheet({ caseLimits }: { caseLimits: Record<string, number> }) {
  const { t } = useTranslation();
  const config = useMemo(() => sheetConfig(location.search), []);
  const [shown, setShown] = useState<{ load: PendingLoad; plan: PlanDetail } | { error: string } | null>(null);
  useEffect(() => {
    const { district, plan } = config;
    if (!district || plan === null) { setShown({ error: t('sheet.noPlan', { n: plan ?? '' }) }); return; }
    call<PlanDetail>(`/api/districts/${encodeURIComponent(district)}/plans/${plan}`)
      .then((p) => setShown({ plan: p, load: startLoad({ kind: 'server', id: district, view: `plan:${p.id}` }, caseLimits) }))
      .catch((e: unknown) => setShown({ error: serverMessage(e, t) }));
  }, [config, caseLimits, t]);
  if (!shown) return <div className="loading" role="status">{t('sheet.loading')}</div>;
  if ('error' in shown) return <div className="loading" role="alert" data-testid="sheet-error">{shown.error}</div>;
  return <SheetPage load={shown.load} config={config} plan={shown.plan} />;
}
