import { commentLines } from './comment-lines';
import { LockError } from './errors';
import { normalizeName } from './normalize-name';
import { lockedMarker } from './locked-marker';
import type { LockedPackage } from './parse-lock';

export interface RenderRequirementsOptions {
  /** Lock groups to take ("main", "dev"). */
  groups: string[];
  /** Packages to leave out (e.g. ones the parent image already installed). */
  exclude?: string[];
  /** Header comment, e.g. generatedHeader(...); "# " is added to lines without it. */
  header: string;
}

/**
 * A requirements file for `pip install --require-hashes --no-deps -r`: every locked package of
 * the chosen groups pinned ==version with a hash for each of its files, sorted by name.
 * Index URLs are not written here: the build passes them, so one file serves any mirror.
 * https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode
 */
export function renderRequirements(pkgs: LockedPackage[], opts: RenderRequirementsOptions): string {
  const groups = new Set(opts.groups.map(normalizeName));
  const excluded = new Set((opts.exclude ?? []).map(normalizeName));
  const lines = commentLines(opts.header);
  lines.push('');
  const chosen = pkgs
    .filter((p) => p.groups.some((g) => groups.has(normalizeName(g))))
    .map((pkg) => ({ pkg, key: normalizeName(pkg.name) }))
    .filter(({ key }) => !excluded.has(key))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const { pkg } of chosen) {
    const hashes = [...new Set(pkg.files.map((f) => f.hash))].sort();
    if (hashes.length === 0) {
      throw new LockError(
        `${pkg.name} ${pkg.version} has no file hashes in poetry.lock${sourceNote(pkg)}.`,
        {
          hint: `pip --require-hashes cannot install it: depend on ${pkg.name} from a package index, then re-lock.`,
        },
      );
    }
    const marker = lockedMarker(pkg, opts.groups);
    lines.push(`${pkg.name}==${pkg.version}${marker ? ` ; ${marker}` : ''} \\`);
    hashes.forEach((h, i) => lines.push(`    --hash=${h}${i < hashes.length - 1 ? ' \\' : ''}`));
  }
  return lines.join('\n') + '\n';
}

function sourceNote(pkg: LockedPackage): string {
  return pkg.source?.type
    ? ` (source type ${pkg.source.type}${pkg.source.url ? ` ${pkg.source.url}` : ''})`
    : '';
}
