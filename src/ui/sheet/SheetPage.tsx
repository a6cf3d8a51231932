// The /sheet page of the standalone console: the district the console has open (its saved
// source, the demo by default), its draft compared with a version, as the approval sheet, with
// a print button (the browser's print saves it as PDF).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { District } from '../../domain/district';
import type { Comparison } from '../../plan/compare';
import type { PlanScores } from '../../plan/scores';
import { compareWithVersion, draftVersions, type PendingLoad } from '../loadDistrict';
import { db } from '../../store/db';
import { IMPORTED } from '../../server/api';
import { Sheet, type SheetMeta } from './Sheet';
import { sheetUrl, type SheetConfig } from './config';

type Compared = Comparison & { scores: { before: PlanScores; after: PlanScores } };

export function SheetPage({ load, config }: { load: PendingLoad; config: SheetConfig }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<{ district: District; comparison: Compared; meta: SheetMeta } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    // the page is white paper, not the console's dark desk
    document.documentElement.classList.add('sheet-doc');
    let current = true;
    (async () => {
      const { draft, ...district } = await load.district;
      // a version this draft does not have is named, not compared
      const versions = await draftVersions();
      const v = versions.find((x) => x.id === config.version);
      if (!v) throw new Error(t('sheet.noVersion', { id: config.version }));
      const [comparison, workspace] = await Promise.all([
        compareWithVersion(config.version),
        draft.workspaceId ? db.workspaces.get(draft.workspaceId) : undefined,
      ]);
      const meta: SheetMeta = {
        title: t('sheet.title'),
        // a workspace's meta is named after the workspace: the district's own name is on its boundary
        districtName: district.boundaries.find((b) => b.properties.level === 'district')?.properties.name || workspace?.meta?.district_name || district.meta.district_name,
        planNumber: workspace?.name ?? '',
        status: t('sheet.draft'),
        author: '',
        submittedAt: null,
        effective: '',
        approver: null,
        approvedAt: null,
        note: '',
        comparedWith: config.version === IMPORTED || !v.name ? t('edit.imported') : v.name,
        printedAt: Date.now(),
      };
      if (current) { setState({ district, comparison, meta }); document.title = `${meta.title} · ${meta.districtName}`; }
    })().catch((e: unknown) => { if (current) setError(e instanceof Error ? e.message : String(e)); });
    return () => { current = false; };
  }, [load, config.version]);

  // drawn once its fonts are in (the system's: nothing is fetched), for print and for the tests
  useEffect(() => {
    if (!state) return;
    let current = true;
    void document.fonts.ready.then(() => requestAnimationFrame(() => { if (current) setDrawn(true); }));
    return () => { current = false; };
  }, [state]);

  const other = config.paper === 'A3' ? 'A4' : 'A3';
  return (
    <div className="sheet-app" data-drawn={drawn ? 'true' : undefined} data-testid="sheet-app">
      <nav className="sheet-toolbar">
        <button type="button" onClick={() => window.print()} disabled={!state} data-testid="sheet-print">{t('sheet.print')}</button>
        <span>{t('sheet.labelled', { label: t('sheet.paper'), value: config.paper })} · <a href={sheetUrl(config.version, other, i18n.language)}>{other}</a></span>
      </nav>
      {error && <p className="sheet-status" role="alert">{t('sheet.failed', { message: error })}</p>}
      {!error && !state && <p className="sheet-status" role="status">{t('sheet.loading')}</p>}
      {state && <Sheet district={state.district} comparison={state.comparison} meta={state.meta} paper={config.paper} />}
    </div>
  );
}
