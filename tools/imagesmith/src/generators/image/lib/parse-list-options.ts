import { isValidConstraint, UsageError } from '@imagesmith/core';

/** `--packages=numpy==1.26.4,orjson` (or a list): spec python_packages, name -> Poetry constraint. */
export function parsePackages(value: string | string[] | undefined): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const item of listItems(value)) {
    // A distribution name (with extras), then an optional constraint: "numpy==1.26.4", "a[b]>=2".
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,-]+\])?)\s*(.*)$/.exec(item);
    const constraint = m?.[2]?.trim() || '*';
    if (!m || !isValidConstraint(constraint))
      throw new UsageError(
        `--packages: "${item}" is not a package with an optional version constraint. Write name or name<constraint>, comma-separated, e.g. --packages=numpy==1.26.4,orjson.`,
      );
    packages[m[1]!] = constraint;
  }
  return packages;
}

/** `--ports=8000,8080` (Nx passes a single port as a number): spec ports, sorted. */
export function parsePorts(value: string | number | undefined): number[] {
  const ports = listItems(value === undefined ? undefined : String(value)).map((item) => {
    const port = /^\d+$/.test(item) ? Number(item) : NaN;
    if (!(port >= 1 && port <= 65535))
      throw new UsageError(
        `--ports: "${item}" is not a TCP port. Write numbers from 1 to 65535, comma-separated, e.g. --ports=8000,8080.`,
      );
    return port;
  });
  return [...new Set(ports)].sort((a, b) => a - b);
}

function listItems(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
