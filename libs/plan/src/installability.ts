import type { ImageVariant, Workspace } from '@imagesmith/core';
import { checkInstallable, readLockCached, type InstallPlatform } from '@imagesmith/lock';

/** Machine names as wheel platform tags spell them. */
const ARCH: Record<string, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' };

// manylinux2014: what nearly every supported distribution has. A profile names its bases' real
// glibc; without one the check accepts no wheel a glibc-2.17 system could not install.
export const DEFAULT_GLIBC = '2.17';

/** The glibc of the variant's base, from its profile (`glibc`, per Python version or for all). */
export function baseGlibc(ws: Pick<Workspace, 'profiles'>, v: ImageVariant): string {
  const glibc = ws.profiles.get(v.profile.name)?.definition.glibc;
  if (typeof glibc === 'string') return glibc;
  return glibc?.[v.python] ?? DEFAULT_GLIBC;
}

export function installPlatforms(
  ws: Pick<Workspace, 'profiles'>,
  v: ImageVariant,
): InstallPlatform[] {
  const glibc = baseGlibc(ws, v);
  return (v.spec.platforms ?? ['linux/amd64']).map((platform) => ({
    platform,
    python: v.python,
    arch: ARCH[platform] ?? platform.replace(/^linux\//, ''),
    glibc,
  }));
}

/**
 * One line per locked package the variant installs (main group; dev for the development stage)
 * that pip could not install from a wheel on one of its platforms, with both ways out. Pure.
 */
export function uninstallableMessages(
  ws: Pick<Workspace, 'profiles'>,
  v: ImageVariant,
  lockText: string,
  parentLockText?: string,
): string[] {
  const platforms = installPlatforms(ws, v);
  // Any build_packages list opts in; an empty one is enough for pure-Python sdists.
  const canBuild = v.spec.build_packages !== undefined;
  const found = checkInstallable(readLockCached(lockText), {
    groups: ['main', 'dev'],
    platforms,
    canBuild,
    installedByParent: parentLockText === undefined ? [] : readLockCached(parentLockText),
  });
  const byPackage = new Map<string, typeof found>();
  for (const u of found) byPackage.set(u.package, [...(byPackage.get(u.package) ?? []), u]);
  const cp = `cp${v.python.replace('.', '')}`;
  return [...byPackage.values()].map((us) => {
    const u = us[0]!;
    const where = us
      .map((x) => {
        const p = platforms.find((t) => t.platform === x.platform)!;
        return `${p.platform} (manylinux_${p.glibc.replace('.', '_')}_${p.arch} or older)`;
      })
      .join(', ');
    const archs = us.map((x) => platforms.find((t) => t.platform === x.platform)!.arch).join('/');
    const constrain = `constrain ${u.package} in ${v.specFile} to a version that ships a wheel for ${cp} on ${archs} (manylinux or py3-none-any) and run \`nx run ${v.image}:lock\``;
    const build = u.sdistOnly
      ? `, or let pip build its sdist in the builder stage: add \`build_packages: [build-essential]\` (plus any headers it needs; \`[]\` for a pure-Python sdist) to ${v.specFile}`
      : ' (there is no sdist to build from either)';
    return `${v.outDir}/poetry.lock: ${v.name} cannot install ${u.package} ${u.version} from a wheel on ${where}, Python ${v.python}: the lock lists ${u.files}; ${constrain}${build}`;
  });
}
