// An error as the user reads it: a file's problem in the interface's language, naming the
// file once; anything else as it came.
import type { TFunction } from 'i18next';
import { fileErrorOf } from '../io/fileError';

export function errorText(e: unknown, t: TFunction, file?: string): string {
  const f = fileErrorOf(e);
  if (f) return t('fileErrors.message', { file: f.file, what: t(`fileErrors.${f.code}`, f.params) });
  const message = e instanceof Error ? e.message : String(e);
  // A file's name once: not "a.geojson: a.geojson: …".
  return file && !message.startsWith(`${file}:`) ? t('fileErrors.message', { file, what: message }) : message;
}
