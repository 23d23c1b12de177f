import { lockedMarker } from './locked-marker';
import { normalizeName } from './normalize-name';
import type { LockedPackage } from './parse-lock';
import type { PyprojectInput } from './render-pyproject';

/**
 * The parent's locked packages of `groups` as PyprojectInput.parentPins, markers included, so a
 * platform-conditional package (e.g. one only for win32) stays conditional in the child.
 */
export function pinsFromLock(
  image: string,
  pkgs: LockedPackage[],
  groups: string[] = ['main'],
): NonNullable<PyprojectInput['parentPins']> {
  const packages: Record<string, string> = {};
  const markers: Record<string, string> = {};
  const wanted = new Set(groups.map(normalizeName));
  for (const p of pkgs) {
    if (!p.groups.some((g) => wanted.has(normalizeName(g)))) continue;
    packages[p.name] = p.version;
    const m = lockedMarker(p, groups);
    if (m) markers[p.name] = m;
  }
  return { image, packages, ...(Object.keys(markers).length > 0 ? { markers } : {}) };
}
