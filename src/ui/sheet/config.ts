// The approval sheet's page is chosen by its URL: /sheet?version=<id>&paper=A3|A4&lang=zh-CN|en
// (the version the console's draft is compared with; the grids as imported by default).
import type { Paper } from '../../domain/sheet';
import { IMPORTED } from '../../server/api';

export interface SheetConfig {
  version: string;
  paper: Paper;
  /** null: the console's own language setting */
  lang: 'zh-CN' | 'en' | null;
}

export function sheetConfig(search: string): SheetConfig {
  const q = new URLSearchParams(search);
  const lang = q.get('lang');
  return {
    version: q.get('version') || IMPORTED,
    paper: q.get('paper')?.toUpperCase() === 'A4' ? 'A4' : 'A3',
    lang: lang === 'en' || lang === 'zh-CN' ? lang : null,
  };
}

/** Whether the page is the approval sheet: the /sheet route. */
export function isSheet(loc: { pathname: string }): boolean {
  return /\/sheet\/?$/.test(loc.pathname);
}

/** The sheet's address for a version of the draft (opened from the editor's comparison). */
export function sheetUrl(version: string, paper: Paper = 'A3', lang?: string): string {
  const q = new URLSearchParams({ version, paper });
  if (lang) q.set('lang', lang);
  return `sheet?${q}`;
}
