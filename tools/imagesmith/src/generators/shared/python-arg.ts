/**
 * Nx's command-line parser turns `--python=3.10` into the number 3.1. No Python that any profile
 * supports is 3.1 or 3.2, so a number with one decimal digit gets its trailing zero back.
 */
export function pythonArg(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    const text = String(value);
    return /^3\.[12]$/.test(text) ? `${text}0` : text;
  }
  return value.trim();
}
