import { normalizeName } from './normalize-name';
import type { LockedPackage } from './parse-lock';

/**
 * A locked package's environment markers over some groups: undefined when any of those groups
 * installs it unconditionally, else its markers (joined with "or" when groups differ).
 */
export function lockedMarker(pkg: LockedPackage, groups: string[]): string | undefined {
  const wanted = new Set(groups.map(normalizeName));
  const markers = new Set<string>();
  for (const g of pkg.groups.filter((g) => wanted.has(normalizeName(g)))) {
    const m = pkg.groupMarkers ? pkg.groupMarkers[g] : pkg.markers;
    if (!m) return undefined;
    markers.add(m);
  }
  const all = [...markers].sort();
  return all.length <= 1 ? all[0] : all.map((m) => `(${m})`).join(' or ');
}
