import { lockedMarker } from './locked-marker';
import { markerApplies } from './marker-applies';
import { normalizeName } from './normalize-name';
import type { LockedPackage } from './parse-lock';
import { isSdist, wheelMatches, wheelTags, type InstallTarget } from './wheel-tags';

export interface InstallPlatform extends InstallTarget {
  /** The image platform, linux/amd64. */
  platform: string;
}

export interface Uninstallable {
  package: string;
  version: string;
  platform: string;
  /** No matching wheel, but an sdist pip would build (needs build tools). */
  sdistOnly: boolean;
  /** What the lock lists for this version, for the message. */
  files: string;
}

export interface CheckInstallableOptions {
  /** Lock groups the image installs ("main", and "dev" for the development stage). */
  groups: string[];
  platforms: InstallPlatform[];
  /** The spec opted in to building sdists (it has build_packages, possibly empty). */
  canBuild: boolean;
  /**
   * The catalogue parent's locked packages: pip skips those already installed at the locked
   * version, so they were checked (and built, if at all) in the parent.
   */
  installedByParent?: LockedPackage[];
}

/**
 * Every locked package of the groups that pip could not install from a wheel on one of the
 * platforms. An sdist counts only when the image has build tools: it runs arbitrary build code
 * and usually needs a compiler. Pure.
 */
export function checkInstallable(
  pkgs: LockedPackage[],
  opts: CheckInstallableOptions,
): Uninstallable[] {
  const groups = new Set(opts.groups.map(normalizeName));
  const inParent = new Set(
    (opts.installedByParent ?? []).map((p) => `${normalizeName(p.name)}==${p.version}`),
  );
  const out: Uninstallable[] = [];
  for (const pkg of [...pkgs].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const used = pkg.groups.filter((g) => groups.has(normalizeName(g)));
    // No files: a path or VCS dependency; rendering requirements reports it already.
    if (used.length === 0 || pkg.files.length === 0) continue;
    if (inParent.has(`${normalizeName(pkg.name)}==${pkg.version}`)) continue;
    const marker = lockedMarker(pkg, used);
    for (const target of opts.platforms) {
      if (!markerApplies(marker, target)) continue;
      if (pkg.files.some((f) => wheelMatches(f.file, target))) continue;
      const sdist = pkg.files.some((f) => isSdist(f.file));
      if (sdist && opts.canBuild) continue;
      out.push({
        package: pkg.name,
        version: pkg.version,
        platform: target.platform,
        sdistOnly: sdist,
        files: describeFiles(pkg.files.map((f) => f.file)),
      });
    }
  }
  return out;
}

/** "wheels for cp36, cp37 (manylinux1_x86_64, win_amd64) and an sdist". */
export function describeFiles(files: string[]): string {
  const tags = files.map(wheelTags).filter((t) => t !== undefined);
  const parts: string[] = [];
  if (tags.length > 0) {
    const pythons = [...new Set(tags.flatMap((t) => t.pythons))].sort();
    const platforms = [...new Set(tags.flatMap((t) => t.platforms))].sort();
    const shown = platforms.slice(0, 6).join(', ') + (platforms.length > 6 ? ', ...' : '');
    parts.push(`wheels for ${pythons.join(', ')} (${shown})`);
  } else parts.push('no wheels');
  if (files.some(isSdist)) parts.push('an sdist');
  return parts.join(' and ');
}
