// The page's entry, kept small: it starts the district's worker, reads which district to open
// and asks for it, and only then fetches the console's own code (./ui/boot, 3 MB to parse, which
// would hold the main thread and so the worker's start back).
import type { Language } from './i18n';
import { loadSetting } from './store/db';
import { DEMO, startLoad, startWorker, type Source } from './ui/loadDistrict';
import { isScreen, screenConfig } from './ui/screen/config';
import { isSheet, sheetConfig } from './ui/sheet/config';
import { isServerMode } from './ui/server';

startWorker();
if (isServerMode()) {
  // Served by the office server: who is logged in decides what opens (src/ui/ServerApp.tsx).
  const [caseLimits, language] = await Promise.all([loadSetting<Record<string, number>>('caseLimits', {}), loadSetting<Language>('language', 'zh-CN')]);
  (await import('./ui/boot')).bootServer({ caseLimits, language });
} else {
  // The workspace open when the page was last left, or the demo.
  // The big screen (/screen) takes everything from its URL: no setting of the desk console applies.
  const screen = isScreen(location) ? screenConfig(location.search) : null;
  // The approval sheet (/sheet) opens what the console has open, in the language asked for.
  const sheet = !screen && isSheet(location) ? sheetConfig(location.search) : null;
  const [source, caseLimits, language] = await Promise.all([
    screen ? (screen.workspace ? { kind: 'workspace' as const, id: screen.workspace } : DEMO) : loadSetting<Source>('source', DEMO),
    loadSetting<Record<string, number>>('caseLimits', {}),
    screen ? screen.lang : sheet?.lang ?? loadSetting<Language>('language', 'zh-CN'),
  ]);
  const load = startLoad(source, caseLimits);
  (await import('./ui/boot')).boot(load, { screen, sheet, caseLimits, language });
}
