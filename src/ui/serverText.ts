// A call to the office server that went wrong, said in the reader's language: the server's
// own code (server.errors, then the plan, file and edit messages it may name), else what its status says.
import type { TFunction } from 'i18next';
import { ServerError } from './server';
import { fileErrorOf } from '../io/fileError';

export function serverMessage(e: unknown, t: TFunction): string {
  if (e instanceof ServerError) {
    for (const ns of ['server.errors', 'plans.errors', 'fileErrors', 'edit.errors']) {
      const key = `${ns}.${e.code}`;
      const text = t(key, { ...e.values, defaultValue: '' });
      if (text) return text;
    }
    return t('server.errors.server_refused', { status: e.status });
  }
  const f = fileErrorOf(e);
  if (f) return t(`fileErrors.${f.code}`, f.params);
  return e instanceof Error ? e.message : String(e);
}
