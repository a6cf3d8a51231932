// The console on the office server: logged in first (the login form until then), then the
// district remembered or the first one opened in the console; with none yet, it says so (an
// administrator uploads one here).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FIRST_VIEW, type DistrictInfo, type Me, type PublishedInfo } from '../server/api';
import { loadSetting, saveSetting } from '../store/db';
import { App } from './App';
import { Login } from './Login';
import { setAccount, startLoad, watchServer, type PendingLoad } from './loadDistrict';
import { call, listDistricts, logout, whoAmI } from './server';
import { serverMessage } from './serverText';
import { ServerSections, type ServerHost } from './ServerPanel';
import { isScreen, screenConfig } from './screen/config';
import { Screen } from './screen/Screen';
import { exposeForTests } from './testHooks';

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
    setState({ at: 'console', me, districts, load: pick && !isScreen(location) ? startLoad({ kind: 'server', id: pick.id, view: FIRST_VIEW[me.role] }, caseLimits) : null });
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

/**
 * The big screen on the office server (/screen?district=<id>&…): the district's published plan,
 * drawn again as soon as a new version is published (told by the server's events, checked each
 * minute too), without a reload. It never shows a draft.
 */
function ServerScreen({ districts, caseLimits }: { districts: DistrictInfo[]; caseLimits: Record<string, number> }) {
  const { t } = useTranslation();
  const config = useMemo(() => screenConfig(location.search), []);
  const asked = new URLSearchParams(location.search).get('district');
  const id = (districts.find((d) => d.id === asked) ?? districts[0])?.id ?? null;
  // the version drawn is named by its number: what is shown is exactly the version the wall says it shows
  const [shown, setShown] = useState<{ load: PendingLoad; published: number; effective: string; reloads: number } | null>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    const seen = (p: PublishedInfo) => setShown((s) => {
      if (!live || (s && s.published >= p.number)) return s;
      return { load: startLoad({ kind: 'server', id, view: `published:${p.number}` }, caseLimits), published: p.number, effective: p.effective, reloads: s ? s.reloads + 1 : 0 };
    });
    const check = () => call<PublishedInfo[]>(`/api/districts/${encodeURIComponent(id)}/published`)
      .then((list) => { if (list.length) seen(list[list.length - 1]); })
      .catch((e: unknown) => console.warn('wall: could not ask which version is published', e));
    void check();
    const timer = setInterval(check, WALL_CHECK_MS);
    void watchServer((n) => { if (n.kind === 'published') seen(n.published); });
    return () => { live = false; clearInterval(timer); };
  }, [id, caseLimits]);

  useEffect(() => { if (shown) exposeForTests({ wall: { published: shown.published, reloads: shown.reloads } }); }, [shown]);

  if (!id) return <div className="loading" role="status" data-testid="no-district">{t('server.noDistrict')}</div>;
  if (!shown) return <div className="loading" role="status">{t('server.login.checking')}</div>;
  return <Screen load={shown.load} config={config} published={{ number: shown.published, effective: shown.effective }} />;
}
