import { ImagesmithError } from '@imagesmith/core';

/**
 * A container engine is missing, unusable, or an operation on it failed (exit code 1, see
 * @imagesmith/core's errors.ts). The message always says what to do next.
 */
export class EngineError extends ImagesmithError {
  constructor(
    message: string,
    readonly engine: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** First lines of an engine's stderr/stdout, trimmed, for error messages. */
export function excerpt(text: string, maxLines = 12): string {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  const kept = lines.slice(-maxLines);
  return kept.map((l) => `  ${l}`).join('\n');
}

/** Replace every occurrence of each secret (non-empty) by ***. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}
