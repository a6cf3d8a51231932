// The audit trail in the server panel, for an administrator or auditor: filtered by person,
// kind, days (China time, as the server counts them) and grid; the entries as a table, newest
// first; the same selection downloaded as CSV for Excel (a plain link: the server makes the file).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_KINDS } from '../server/audit';
import type { AuditEntry, DistrictInfo } from '../server/api';
import { call } from './server';
import { serverMessage } from './serverText';

interface Filter { user: string; kind: string; from: string; to: string; grid: string }
const NONE: Filter = { user: '', kind: '', from: '', to: '', grid: '' };

/** The filter as the query GET /api/audit takes (empty fields left out). */
export function auditQuery(f: Filter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  return q.toString();
}

export function AuditSection({ districts }: { districts: DistrictInfo[] }) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<Filter>(NONE);
  const [shown, setShown] = useState<Filter>(NONE);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback((f: Filter) => {
    setShown(f);
    setEntries(null);
    setError(null);
    call<AuditEntry[]>(`/api/audit?${auditQuery(f)}`).then(setEntries).catch((e: unknown) => { setEntries([]); setError(serverMessage(e, t)); });
  }, [t]);
  useEffect(() => load(NONE), [load]);
  const submit = (e: FormEvent) => { e.preventDefault(); load(form); };
  const names = new Map(districts.map((d) => [d.id, d.name]));
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const csv = `/api/audit?${[auditQuery(shown), `format=csv&lang=${lang}`].filter(Boolean).join('&')}`;
  const field = (k: keyof Filter) => ({ value: form[k], onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }), 'data-testid': `audit-${k}` });

  return (
    <section data-testid="server-audit">
      <h3>{t('audit.title')}</h3>
      <p className="muted">{t('audit.intro')}</p>
      <form className="audit-filter" onSubmit={submit} data-testid="audit-filter">
        <label>{t('audit.user')}<input {...field('user')} /></label>
        <label>{t('audit.kind')}
          <select {...field('kind')}>
            <option value="">{t('audit.allKinds')}</option>
            {AUDIT_KINDS.map((k) => <option key={k} value={k}>{t(`audit.kinds.${k}`)}</option>)}
          </select>
        </label>
        <label>{t('audit.from')}<input type="date" {...field('from')} /></label>
        <label>{t('audit.to')}<input type="date" {...field('to')} /></label>
        <label>{t('audit.grid')}<input {...field('grid')} /></label>
        <p className="muted">{t('audit.days')}</p>
        <div className="audit-buttons">
          <button type="submit" className="primary" data-testid="audit-apply">{t('audit.filter')}</button>
          <button type="button" className="secondary" onClick={() => { setForm(NONE); load(NONE); }} data-testid="audit-reset">{t('audit.reset')}</button>
          <a className="secondary button" href={csv} download data-testid="audit-csv">{t('audit.download')}</a>
        </div>
      </form>
      {error && <p className="edit-notice error" role="alert" data-testid="audit-error">{error}</p>}
      {entries === null && <p className="muted">{t('audit.loading')}</p>}
      {entries && !error && (
        <p className="muted" data-testid="audit-count">
          {entries.length === 0 ? t('audit.none') : entries.length >= 1000 ? t('audit.capped', { n: entries.length }) : t('audit.count', { n: entries.length })}
        </p>
      )}
      {entries && entries.length > 0 && (
        <div className="audit-table">
          <table className="case-grids" data-testid="audit-entries">
            <thead>
              <tr>{(['at', 'user', 'kind', 'district', 'grids', 'record', 'detail'] as const).map((c) => <th key={c}>{t(`audit.columns.${c}`)}</th>)}</tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <tr key={i} data-testid="audit-entry">
                  <td>{new Date(e.at).toLocaleString(lang)}</td>
                  <td>{e.user}</td>
                  <td>{t(`audit.kinds.${e.action}`, { defaultValue: e.action })}</td>
                  <td>{e.district ? names.get(e.district) ?? e.district : ''}</td>
                  <td>{e.grids.join(t('server.sep'))}</td>
                  <td>{e.record ?? ''}</td>
                  <td>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
