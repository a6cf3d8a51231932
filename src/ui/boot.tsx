// The console itself (React, the map, the panels), loaded by main.tsx while the district is
// already loading in its worker: a large bundle to parse does not hold the data back.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, LANGUAGES, type Language } from '../i18n';
import { App } from './App';
import type { PendingLoad } from './loadDistrict';
import './styles.css';
import './screen/screen.css';
import type { ScreenConfig } from './screen/config';
import { Screen } from './screen/Screen';
import { ServerApp } from './ServerApp';
import type { SheetConfig } from './sheet/config';
import { SheetPage } from './sheet/SheetPage';

export function boot(load: PendingLoad, o: { screen: ScreenConfig | null; sheet?: SheetConfig | null; caseLimits: Record<string, number>; language: Language }) {
  initI18n(LANGUAGES.includes(o.language) ? o.language : 'zh-CN');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      {o.screen ? <Screen load={load} config={o.screen} /> : o.sheet ? <SheetPage load={load} config={o.sheet} /> : <App initialLoad={load} initialCaseLimits={o.caseLimits} />}
    </StrictMode>,
  );
}

/** On the office server: the login first, then the server's district (src/ui/ServerApp.tsx). */
export function bootServer(o: { caseLimits: Record<string, number>; language: Language }) {
  initI18n(LANGUAGES.includes(o.language) ? o.language : 'zh-CN');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ServerApp caseLimits={o.caseLimits} />
    </StrictMode>,
  );
}
