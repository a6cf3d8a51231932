// The office server in the side panel: who is logged in (role, area), logging out, the
// districts to open; for an administrator, a .gridscope file uploaded as a new district and
// the accounts (listed, added, disabled); for an administrator or auditor, the audit trail.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type DistrictInfo, type Me, type Role, type ServerView, type User } from '../server/api';
import { addUser, changeUser, listUsers, parseScope, uploadDistrict } from './server';
import { serverMessage } from './serverText';
import { SidePanel } from './SidePanel';
import { AuditSection } from './AuditSection';

export interface ServerHost {
  me: Me;
  districts: DistrictInfo[];
  /** the district on the map */
  current: string | null;
  /** which grids of it: the draft, the published plan, a published version, a plan */
  view: ServerView;
  onOpen: (id: string, view?: ServerView) => void;
  onLogout: () => void;
  /** the districts listed again (after an upload) */
  onDistricts: () => Promise<DistrictInfo[]>;
}

/** Who is logged in, in words: their name and role. */
export function AccountName({ me }: { me: Me }) {
  const { t } = useTranslation();
  return <>{t('server.account', { name: me.name, role: t(`server.roles.${me.role}`) })}</>;
}

export function scopeText(me: Me, t: (k: string, v?: Record<string, unknown>) => string) {
  return me.scope.length ? t('server.scope', { codes: me.scope.join(t('server.sep')) }) : t('server.scopeAll');
}

export function ServerPanel({ host, onClose }: { host: ServerHost; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <SidePanel title={t('server.panel')} testId="server-panel" className="server-panel" onClose={onClose}>
      <ServerSections host={host} />
    </SidePanel>
  );
}

/** The panel's sections (also shown on their own when the server has no district yet). */
export function ServerSections({ host }: { host: ServerHost }) {
  const { t } = useTranslation();
  const admin = host.me.role === 'admin';
  return (
    <>
      <section data-testid="server-account">
        <p><strong><AccountName me={host.me} /></strong></p>
        {host.me.role === 'planner' && <p className="muted" data-testid="server-scope">{scopeText(host.me, t)}</p>}
        <button type="button" className="secondary" onClick={host.onLogout} data-testid="logout">{t('server.logout')}</button>
      </section>
      <section data-testid="server-districts">
        <h3>{t('server.districts')}</h3>
        {host.districts.length === 0 && <p className="muted">{t(admin ? 'server.noDistrictAdmin' : 'server.noDistrictAsk')}</p>}
        <ul className="plain">
          {host.districts.map((d) => (
            <li key={d.id} data-testid="server-district">
              <strong>{d.name}</strong> <span className="muted">{t('server.seq', { n: d.seq })}</span>{' '}
              {d.id === host.current
                ? <span className="muted">{t('server.current')}</span>
                : <button type="button" className="link" onClick={() => host.onOpen(d.id)} data-testid="open-server-district">{t('server.open')}</button>}
            </li>
          ))}
        </ul>
        {admin && <Upload host={host} />}
      </section>
      {admin && <Users />}
      {(admin || host.me.role === 'auditor') && <AuditSection districts={host.districts} />}
    </>
  );
}

function Upload({ host }: { host: ServerHost }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ text: string; error: boolean } | null>(null);
  const pick = (file: File | undefined) => {
    if (!file) return;
    setState({ text: t('server.uploading', { name: file.name }), error: false });
    file.arrayBuffer()
      .then((b) => uploadDistrict(new Uint8Array(b)))
      .then(async (d) => {
        setState({ text: t('server.uploaded', { name: d.name }), error: false });
        await host.onDistricts();
        if (!host.current) host.onOpen(d.id);
      })
      .catch((e: unknown) => setState({ text: `${file.name}: ${serverMessage(e, t)}`, error: true }));
  };
  return (
    <div className="server-upload">
      <label className="secondary file-button">
        {t('server.upload')}
        <input type="file" accept=".gridscope,.zip,application/zip" onChange={(e) => { pick(e.target.files?.[0]); e.target.value = ''; }} data-testid="upload-district" />
      </label>
      {state && <p className={state.error ? 'edit-notice error' : 'edit-notice'} role={state.error ? 'alert' : 'status'} data-testid="upload-state">{state.text}</p>}
    </div>
  );
}

function Users() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<User[]>([]);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [form, setForm] = useState<{ name: string; password: string; role: Role; scope: string }>({ name: '', password: '', role: 'planner', scope: '' });
  const refresh = useCallback(() => { listUsers().then(setUsers).catch((e: unknown) => setNotice({ text: serverMessage(e, t), error: true })); }, [t]);
  useEffect(refresh, [refresh]);
  const add = (e: FormEvent) => {
    e.preventDefault();
    const name = form.name.trim();
    addUser({ name, password: form.password, role: form.role, scope: parseScope(form.scope) })
      .then(() => { setNotice({ text: t('server.added', { name }), error: false }); setForm({ ...form, name: '', password: '', scope: '' }); refresh(); })
      .catch((err: unknown) => setNotice({ text: serverMessage(err, t), error: true }));
  };
  const toggle = (u: User) => {
    changeUser(u.name, { disabled: !u.disabled }).then(refresh).catch((err: unknown) => setNotice({ text: serverMessage(err, t), error: true }));
  };
  return (
    <section data-testid="server-users">
      <h3>{t('server.users')}</h3>
      <ul className="plain">
        {users.map((u) => (
          <li key={u.name} data-testid="server-user">
            {t('server.userRow', { name: u.name, role: t(`server.roles.${u.role}`) })}
            {u.role === 'planner' && u.scope.length > 0 && <span className="muted"> · {u.scope.join(t('server.sep'))}</span>}
            {u.disabled && <span className="muted"> {t('server.disabled')}</span>}{' '}
            <button type="button" className="link" onClick={() => toggle(u)} data-testid="toggle-user">{u.disabled ? t('server.enable') : t('server.disable')}</button>
          </li>
        ))}
      </ul>
      <form className="server-add-user" onSubmit={add} data-testid="add-user">
        <h3>{t('server.addUser')}</h3>
        <label>{t('server.newName')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required data-testid="new-user-name" /></label>
        <label>{t('server.newPassword')}<input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required data-testid="new-user-password" /></label>
        <label>{t('server.newRole')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="new-user-role">
            {ROLES.map((r) => <option key={r} value={r}>{t(`server.roles.${r}`)}</option>)}
          </select>
        </label>
        {form.role === 'planner' && <label>{t('server.newScope')}<input value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })} data-testid="new-user-scope" /></label>}
        <button type="submit" className="primary" disabled={!form.name.trim() || !form.password} data-testid="add-user-submit">{t('server.addUser')}</button>
      </form>
      {notice && <p className={notice.error ? 'edit-notice error' : 'edit-notice'} role={notice.error ? 'alert' : 'status'} data-testid="users-notice">{notice.text}</p>}
    </section>
  );
}
