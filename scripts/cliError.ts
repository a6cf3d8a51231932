// How the command-line tools (npm run check, npm run load) end when something goes wrong:
// unusable input or output → exit 2, anything else → exit 3, always one line on stderr, never a
// stack trace — even from an 'error' event nobody listened to, since a district's CI reads
// exit 1 as "findings".

/** Input (a file, an argument, the database) that cannot be used: exit 2 with its message. */
export class InputError extends Error {}

/** The exit code for an error, its one line printed. */
export function failed(e: unknown): number {
  if (e instanceof InputError) { console.error(`unusable input: ${oneLine(e.message)}`); return 2; }
  console.error(`internal error: ${oneLine((e as Error)?.message ?? String(e))} (please report it with the input files)`);
  return 3;
}

/** Whatever escapes main() (an unhandled 'error' event, a stray rejection) still ends in one line and exit 3. */
export function guardProcess() {
  const crash = (e: unknown) => { process.exitCode = failed(e); process.exit(); };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
