// Settings: the time limit (办理时限, hours) of each case category, used as the deadline of a
// case that has no expected_datetime. Blank = the built-in limit (src/domain/case-categories.ts).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseCategoryByName } from '../domain/case-categories';

export function CaseLimits({ categories, limits, onSave }: { categories: string[]; limits: Record<string, number>; onSave: (l: Record<string, number>) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, String(v)])));
  const save = () => onSave(Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== '' && Number(v) > 0).map(([k, v]) => [k, Number(v)])));
  return (
    <details className="case-limits" data-testid="case-limits">
      <summary>{t('cases.limits')}</summary>
      <table className="case-grids">
        <thead><tr><th>{t('inspector.category')}</th><th>{t('cases.limitHours')}</th></tr></thead>
        <tbody>
          {categories.map((name) => (
            <tr key={name}>
              <td>{name}</td>
              <td>
                <input type="number" min={1} className="seconds" value={draft[name] ?? ''} placeholder={String(caseCategoryByName(name)?.limitHours ?? '—')}
                  onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} aria-label={`${name} ${t('cases.limitHours')}`} data-testid="case-limit" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="primary" onClick={save} data-testid="case-limits-save">{t('cases.saveLimits')}</button>
    </details>
  );
}
