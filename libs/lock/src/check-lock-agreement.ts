import { normalizeName } from './normalize-name';
import type { LockedPackage } from './parse-lock';

/**
 * A child image installs on top of its parent, so a package both locked must have one version.
 * Returns one message per disagreeing package (empty when they agree).
 */
export function checkLockAgreement(
  parent: { image: string; pkgs: LockedPackage[] },
  child: { image: string; pkgs: LockedPackage[] },
): string[] {
  const parentVersions = new Map(parent.pkgs.map((p) => [normalizeName(p.name), p.version]));
  return [...child.pkgs]
    .sort((a, b) => (normalizeName(a.name) < normalizeName(b.name) ? -1 : 1))
    .flatMap((p) => {
      const locked = parentVersions.get(normalizeName(p.name));
      if (locked === undefined || locked === p.version) return [];
      return [
        `${p.name}: image ${child.image} locks ${p.version} but its parent ${parent.image} locks ${locked}; ` +
          `re-lock ${child.image} (imagesmith lock ${child.image}) so it keeps ${p.name} ${locked}.`,
      ];
    });
}
