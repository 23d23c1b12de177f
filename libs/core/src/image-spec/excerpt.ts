import type { Diagnostic } from '../errors';

/**
 * `text` cut to `max` characters, with "..." when cut. Messages quote inputs through this, so a
 * file that is not a spec at all (a secret behind a link, a binary) shows at most a short piece.
 */
export function excerpt(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** At most this many diagnostics of one file are shown; a file with more is not a spec gone wrong in a few places. */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

/**
 * `diagnostics` with at most `max` per file, the rest of a file summed up in one more line, and
 * every message and hint cut to a few hundred characters. Order is kept.
 */
export function capDiagnostics(
  diagnostics: Diagnostic[],
  max = MAX_DIAGNOSTICS_PER_FILE,
): Diagnostic[] {
  const perFile = new Map<string, number>();
  for (const d of diagnostics) perFile.set(d.file, (perFile.get(d.file) ?? 0) + 1);
  const shown = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const n = (shown.get(d.file) ?? 0) + 1;
    shown.set(d.file, n);
    if (n <= max)
      out.push({
        ...d,
        message: excerpt(d.message, 300),
        ...(d.hint === undefined ? {} : { hint: excerpt(d.hint, 500) }),
      });
    else if (n === max + 1)
      out.push({
        file: d.file,
        path: '',
        message: `${perFile.get(d.file)! - max} more problems not shown`,
        hint: 'is this the file you meant? An image spec is a short YAML map (see images/python-base/image.yaml); fix the problems above and run again to see the rest',
      });
  }
  return out;
}
