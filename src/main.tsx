import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, LANGUAGES, type Language } from './i18n';
import { loadSetting } from './store/db';
import { App } from './ui/App';
import { DEMO, startLoad, type Source } from './ui/loadDistrict';
import './ui/styles.css';

// The data starts loading in its worker before anything else, while the page boots: the
// workspace open when the page was last left, or the demo.
const [source, caseLimits, saved] = await Promise.all([
  loadSetting<Source>('source', DEMO),
  loadSetting<Record<string, number>>('caseLimits', {}),
  loadSetting<Language>('language', 'zh-CN'),
]);
const load = startLoad(source, caseLimits);
initI18n(LANGUAGES.includes(saved) ? saved : 'zh-CN');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initialLoad={load} initialCaseLimits={caseLimits} />
  </StrictMode>,
);
