import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, LANGUAGES, type Language } from './i18n';
import { loadSetting } from './store/db';
import { App } from './ui/App';
import { DEMO, startLoad, type Source } from './ui/loadDistrict';
import './ui/styles.css';

// The data starts loading in its worker before anything else, while the page boots: the
// workspace open when the page was last left, or the demo.
const load = startLoad(await loadSetting<Source>('source', DEMO), await loadSetting<Record<string, number>>('caseLimits', {}));
const saved = await loadSetting<Language>('language', 'zh-CN');
initI18n(LANGUAGES.includes(saved) ? saved : 'zh-CN');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initialLoad={load} />
  </StrictMode>,
);
