import { normalizeName } from './normalize-name';
import type { LockedPackage } from './parse-lock';

/** One package that a re-lock added (no `from`), removed (no `to`) or moved between versions. */
export interface PackageChange {
  name: string;
  from?: string;
  to?: string;
}

/** What changed between two locks, sorted by name; unchanged packages are left out. */
export function diffLocks(before: LockedPackage[], after: LockedPackage[]): PackageChange[] {
  const old = versions(before);
  const now = versions(after);
  const changes: PackageChange[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const from = old.get(key);
    const to = now.get(key);
    if (from?.version === to?.version) continue;
    changes.push({
      name: (to ?? from)!.name,
      ...(from ? { from: from.version } : {}),
      ...(to ? { to: to.version } : {}),
    });
  }
  return changes;
}

function versions(pkgs: LockedPackage[]): Map<string, LockedPackage> {
  return new Map(pkgs.map((p) => [normalizeName(p.name), p]));
}
