import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, LANGUAGES, type Language } from './i18n';
import { loadSetting } from './store/db';
import { App } from './ui/App';
import { DEMO, startLoad, type Source } from './ui/loadDistrict';
import './ui/styles.css';
import './ui/screen/screen.css';
import { isScreen, screenConfig } from './ui/screen/config';
import { Screen } from './ui/screen/Screen';

// The data starts loading in its worker before anything else, while the page boots: the
// workspace open when the page was last left, or the demo.
// The big screen (/screen) takes everything from its URL: no setting of the desk console applies.
const screen = isScreen(location) ? screenConfig(location.search) : null;
const [source, caseLimits, saved] = await Promise.all([
  screen ? (screen.workspace ? { kind: 'workspace' as const, id: screen.workspace } : DEMO) : loadSetting<Source>('source', DEMO),
  loadSetting<Record<string, number>>('caseLimits', {}),
  screen ? screen.lang : loadSetting<Language>('language', 'zh-CN'),
]);
const load = startLoad(source, caseLimits);
initI18n(LANGUAGES.includes(saved) ? saved : 'zh-CN');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {screen ? <Screen load={load} config={screen} /> : <App initialLoad={load} initialCaseLimits={caseLimits} />}
  </StrictMode>,
);
