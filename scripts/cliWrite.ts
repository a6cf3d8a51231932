// The command line's output files (--out, --geojson, --csv), written all or none: each goes to
// a temporary file beside it first and is renamed into place only once every one is written,
// so a --csv that cannot be written leaves no new --out behind (and an old one as it was).
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { InputError } from './cliError';

function refusal(path: string, e: unknown, after = '; no output was written'): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'no permission'
    : code === 'ENOENT' || code === 'ENOTDIR' ? 'no such folder' : code ?? (e as Error).message;
  return new InputError(`${path}: cannot write the output there (${why})${after}`);
}

/** Every [path, text] written, or none of them and an InputError naming the first that cannot be. */
export function writeAll(files: [string, () => string][]) {
  const temps: string[] = [];
  try {
    for (const [path, text] of files) {
      const body = text();
      try {
        const st = statSync(path, { throwIfNoEntry: false });
        if (st?.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
        if (st) accessSync(path, constants.W_OK); // a read-only report stays read-only, as writing it would
        const temp = `${path}.${process.pid}.partial`;
        temps.push(temp);
        writeFileSync(temp, body);
      } catch (e) {
        throw refusal(path, e);
      }
    }
    files.forEach(([path], k) => {
      try { renameSync(temps[k], path); } catch (e) { throw refusal(path, e, ''); }
    });
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true }); // those renamed already are gone from here
    throw e;
  }
}
