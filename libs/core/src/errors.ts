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

/** Base class: every error imagesmith raises on purpose. Anything else is an internal error. */
export class ImagesmithError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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

/** Wrong command-line use or workspace configuration. */
export class UsageError extends ImagesmithError {
  override readonly exitCode = 2;
}

/** A tool imagesmith drives (container engine, poetry) failed or is missing. */
export class ToolError extends ImagesmithError {
  constructor(
    message: string,
    readonly tool: string,
    options?: { cause?: unknown; output?: string },
  ) {
    super(options?.output ? `${message}\n${options.output}` : message, options);
  }
}
