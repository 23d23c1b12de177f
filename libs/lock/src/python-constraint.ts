import { LockError } from './errors';

/** The project's Python constraint for one interpreter minor: "3.11" -> ">=3.11,<3.12". */
export function pythonConstraint(python: string): string {
  const m = /^(\d+)\.(\d+)$/.exec(python.trim());
  if (!m) {
    throw new LockError(`python "${python}" is not a MAJOR.MINOR version.`, {
      hint: 'Give the interpreter minor the image is built on, e.g. python: "3.11".',
    });
  }
  return `>=${m[1]}.${m[2]},<${m[1]}.${Number(m[2]) + 1}`;
}
