/**
 * Every error this library raises on purpose. The message always ends with what to do
 * (`hint`); Poetry's own output, when there is some, is kept in `output` and shown too.
 */
export class LockError extends Error {
  readonly hint: string;
  readonly output?: string;

  constructor(message: string, options: { hint: string; output?: string; cause?: unknown }) {
    const output = options.output?.trim();
    super(`${message}${output ? `\n${indent(output)}` : ''}\n  hint: ${options.hint}`, {
      cause: options.cause,
    });
    this.name = 'LockError';
    this.hint = options.hint;
    this.output = output;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
