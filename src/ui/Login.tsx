// The office server's login: account and password; a wrong one or too many tries said as such.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../server/api';
import { login } from './server';
import { serverMessage } from './serverText';

export function Login({ onLogin, message }: { onLogin: (me: Me) => void; message?: string | null }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(message ?? null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(name.trim(), password)
      .then((me) => { setPassword(''); onLogin(me); })
      .catch((err: unknown) => setError(serverMessage(err, t)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="login-page">
      <form className="login panel" onSubmit={submit} data-testid="login">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        <h2>{t('server.login.title')}</h2>
        <p className="muted">{t('server.login.intro')}</p>
        <label>
          {t('server.login.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" autoFocus required data-testid="login-name" />
        </label>
        <label>
          {t('server.login.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required data-testid="login-password" />
        </label>
        {error && <p className="edit-notice error" role="alert" data-testid="login-error">{error}</p>}
        <button type="submit" className="primary" disabled={busy || !name.trim() || !password} data-testid="login-submit">{t('server.login.submit')}</button>
      </form>
    </div>
  );
}
