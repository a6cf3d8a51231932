// The command line's output files (--out, --geojson, --csv), written all or none: each goes to
// a temporary file beside it first and is renamed into place only once every one is written,
// so a --csv that cannot be written leaves no new --out behind (and an old one as it was).
import { accessSync, closeSync, constants, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { InputError } from './cliError';

function refusal(path: string, e: unknown, after = '; no output was written'): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'no permission'
    : code === 'ENOENT' || code === 'ENOTDIR' ? 'no such folder' : code ?? (e as Error).message;
  return new InputError(`${path}: cannot write the output there (${why})${after}`);
}

/**
 * JSON.stringify(value)'s text in pieces, the same characters: a report of a million findings
 * is written finding by finding, never held as one string of hundreds of megabytes.
 */
export function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  const v = value as { toJSON?: unknown } | null;
  if (depth >= 2) yield JSON.stringify(value); // a finding, a grid: whole
  else if (Array.isArray(v)) {
    yield '[';
    for (let i = 0; i < v.length; i++) {
      if (i) yield ',';
      const x = v[i];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') yield 'null';
      else yield* jsonChunks(x, depth + 1);
    }
    yield ']';
  } else if (v !== null && typeof v === 'object' && typeof v.toJSON !== 'function' && Object.getPrototypeOf(v) === Object.prototype && bigEnough(v)) {
    yield '{';
    let first = true;
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      yield* jsonChunks(x, depth + 1);
    }
    yield '}';
  } else {
    yield JSON.stringify(value);
  }
}

/** An object holding an array (the report's findings, grids): worth taking apart; small ones go whole. */
function bigEnough(v: object): boolean {
  return Object.values(v).some((x) => Array.isArray(x));
}

/** Every [path, text] written, or none of them and an InputError naming the first that cannot be. */
export function writeAll(files: [string, () => string | Iterable<string>][]) {
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
        writeText(temp, body);
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

/** A text, or its pieces gathered into writes of about a megabyte. */
function writeText(path: string, body: string | Iterable<string>) {
  const fd = openSync(path, 'w');
  try {
    if (typeof body === 'string') { writeSync(fd, body); return; }
    let buf: string[] = [];
    let size = 0;
    for (const piece of body) {
      buf.push(piece);
      size += piece.length;
      if (size >= 1 << 20) { writeSync(fd, buf.join('')); buf = []; size = 0; }
    }
    if (size) writeSync(fd, buf.join(''));
  } finally {
    closeSync(fd);
  }
}
