/** One problem found in an input file: where, what, and what to do about it. */
export interface Diagnostic {
  file: string;
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. python_packages.torch. Empty for the whole document. */
  path: string;
  message: string;
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  const field = d.path ? ` ${d.path}:` : '';
  const hint = d.hint ? `\n    hint: ${d.hint}` : '';
  return `${where}:${field} ${d.message}${hint}`;
}

/**
 * Base class: every error imagesmith raises on purpose, in any library. The one top-level handler
 * (tools/imagesmith/src/cli/handle-error.ts) prints its message and exits with its `exitCode`:
 *
 *   1   an input is wrong or a tool imagesmith drives failed: specs, profiles, templates and
 *       constraints (SpecError, ConstraintError), Poetry (LockError), the container engine
 *       (EngineError, in @imagesmith/engine). The message says which file or tool and what to do.
 *   2   the command is used wrongly: unknown command, option or image, a step that must run first
 *       ("not built; run build first"), an unusable imagesmith.json (UsageError).
 *   70  anything that is not an ImagesmithError is a bug in imagesmith; the handler says so and
 *       asks for a report (EX_SOFTWARE in sysexits.h).
 *
 * A `hint` (what to do next) is appended to the message as `  hint: ...` and kept as a field.
 */
export class ImagesmithError extends Error {
  readonly exitCode: number = 1;
  readonly hint?: string;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(options?.hint ? `${message}\n  hint: ${options.hint}` : message, {
      cause: options?.cause,
    });
    this.name = new.target.name;
    if (options?.hint) this.hint = options.hint;
  }
}

/** Invalid input files (specs, profiles): carries every diagnostic, never just the first. */
export class SpecError extends ImagesmithError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} found:\n` +
        diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n'),
    );
  }
}

/**
 * A Poetry version constraint that cannot be read. It names no file: callers that know where the
 * constraint came from turn it into a Diagnostic.
 */
export class ConstraintError extends ImagesmithError {}

/** Wrong use of a command: unknown command, option or image, a missing earlier step, imagesmith.json. */
export class UsageError extends ImagesmithError {
  override readonly exitCode = 2;
}
