import { ImagesmithError } from '@imagesmith/core';

/** The one top-level handler: known errors print their message; anything else is a bug. */
export function handleError(
  error: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s),
): number {
  if (error instanceof ImagesmithError) {
    write(`imagesmith: ${error.message}\n`);
    return error.exitCode;
  }
  const named = error as { name?: string; message?: string; stack?: string };
  // Library errors that already say what to do (engine, lock) carry this marker.
  if (
    named &&
    typeof named.message === 'string' &&
    ['EngineError', 'LockError'].includes(named.name ?? '')
  ) {
    write(`imagesmith: ${named.message}\n`);
    return 1;
  }
  write(
    `imagesmith: internal error — this is a bug in imagesmith, please report it with the output below.\n${named?.stack ?? String(error)}\n`,
  );
  return 70;
}
