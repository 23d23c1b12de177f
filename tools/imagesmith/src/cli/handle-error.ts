import { fileWriteErrorOf, ImagesmithError } from '@imagesmith/core';

/**
 * The one top-level handler: an error imagesmith raised on purpose (any library's, all extend
 * ImagesmithError) prints its message and exits with its kind's code; so does a write the disk
 * refused (full, quota, read-only), which is the machine's state, not a bug; anything else is.
 */
export function handleError(
  error: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s),
): number {
  const known = error instanceof ImagesmithError ? error : fileWriteErrorOf(error);
  if (known) {
    write(`imagesmith: ${known.message}\n`);
    return known.exitCode;
  }
  const stack = (error as { stack?: unknown } | null)?.stack;
  write(
    `imagesmith: internal error — this is a bug in imagesmith, please report it with the output below.\n${typeof stack === 'string' ? stack : String(error)}\n`,
  );
  return 70;
}
