import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, LANGUAGES, type Language } from './i18n';
import { loadSetting } from './store/db';
import { App } from './ui/App';
import './ui/styles.css';

const saved = await loadSetting<Language>('language', 'zh-CN');
initI18n(LANGUAGES.includes(saved) ? saved : 'zh-CN');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
