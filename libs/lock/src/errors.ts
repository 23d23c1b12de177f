import { ImagesmithError } from '@imagesmith/core';

/**
 * Every error this library raises on purpose (exit code 1, see @imagesmith/core's errors.ts).
 * The message always ends with what to do (`hint`); Poetry's own output, when there is some, is
 * kept in `output` and shown too.
 */
export class LockError extends ImagesmithError {
  declare readonly hint: string;
  readonly output?: string;
  /** The message without Poetry's output, for a caller that has shown that output already. */
  readonly summary: string;

  constructor(message: string, options: { hint: string; output?: string; cause?: unknown }) {
    const output = options.output?.trim();
    super(`${message}${output ? `\n${indent(output)}` : ''}`, {
      hint: options.hint,
      cause: options.cause,
    });
    this.output = output;
    this.summary = message;
  }

  /** The same error without Poetry's output in its message (the caller streamed it). */
  withoutOutput(): LockError {
    return new LockError(this.summary, { hint: this.hint, cause: this.cause });
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
