import { ImagesmithError } from '@imagesmith/core';

/**
 * The one top-level handler: an error imagesmith raised on purpose (any library's, all extend
 * ImagesmithError) prints its message and exits with its kind's code; anything else is a bug.
 */
export function handleError(
  error: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s),
): number {
  if (error instanceof ImagesmithError) {
    write(`imagesmith: ${error.message}\n`);
    return error.exitCode;
  }
  const stack = (error as { stack?: unknown } | null)?.stack;
  write(
    `imagesmith: internal error — this is a bug in imagesmith, please report it with the output below.\n${typeof stack === 'string' ? stack : String(error)}\n`,
  );
  return 70;
}
