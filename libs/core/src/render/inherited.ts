import type { ImageVariant } from '../catalogue/variants';

/**
 * What an image's Dockerfile sets up, computed along its catalogue parents (nearest first), so a
 * child writes only what its parents did not: no second apt install of a package, no second apt
 * repository, no second init or PATH entry. Pure.
 */

type Variant = Pick<ImageVariant, 'spec' | 'profile' | 'python' | 'from'> & { parent?: Variant };

/** Tools the apt-repositories fragment installs to fetch and verify a repository key. */
export const APT_REPOSITORY_TOOLS = ['ca-certificates', 'curl', 'gnupg'];

/** tini as PID 1: signals reach the program and zombies are reaped (Debian/Ubuntu package tini). */
export const INIT = ['/usr/bin/tini', '--'];

const uniqueSorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** spec init, else the parent's, else on. */
export function initOf(v: Variant): boolean {
  return v.spec.init ?? (v.parent ? initOf(v.parent) : true);
}

/** Names of the apt repositories configured by this image or a parent. */
export function aptRepositoriesOf(v: Variant | undefined): Set<string> {
  if (!v) return new Set();
  return new Set([
    ...aptRepositoriesOf(v.parent),
    ...v.profile.apt_repositories.map((r) => r.name),
  ]);
}

/** The apt repositories this image adds (those no parent added). */
export function ownAptRepositories(v: Variant): ImageVariant['profile']['apt_repositories'] {
  const inherited = aptRepositoriesOf(v.parent);
  return v.profile.apt_repositories
    .filter((r) => !inherited.has(r.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Apt packages in an image's production target: its own and every parent's. */
export function installedPackages(v: Variant | undefined): Set<string> {
  if (!v) return new Set();
  return new Set([
    ...installedPackages(v.parent),
    ...(ownAptRepositories(v).length ? APT_REPOSITORY_TOOLS : []),
    ...baseSystemPackages(v),
    ...productionSystemPackages(v),
  ]);
}

/** Packages the base stage installs: profile, spec, apt Python and tini, less what parents installed. */
export function baseSystemPackages(v: Variant): string[] {
  const aptPython = v.from.kind === 'external' && v.profile.python_install === 'apt';
  const have = installedPackages(v.parent);
  if (ownAptRepositories(v).length) APT_REPOSITORY_TOOLS.forEach((p) => have.add(p));
  return uniqueSorted(
    [
      ...v.profile.system_packages,
      ...(v.spec.system_packages ?? []),
      ...(aptPython ? [`python${v.python}`, `python${v.python}-venv`] : []),
      ...(initOf(v) ? ['tini'] : []),
    ].filter((p) => !have.has(p)),
  );
}

/** The production stage's own system packages, less those the base stage or a parent installed. */
export function productionSystemPackages(v: Variant): string[] {
  const have = new Set([...installedPackages(v.parent), ...baseOnly(v)]);
  return uniqueSorted(
    (v.spec.stages?.production?.system_packages ?? []).filter((p) => !have.has(p)),
  );
}

function baseOnly(v: Variant): string[] {
  return [...(ownAptRepositories(v).length ? APT_REPOSITORY_TOOLS : []), ...baseSystemPackages(v)];
}

/** The program an image runs (spec entrypoint, else the nearest parent's), without the init. */
function programOf(v: Variant | undefined): string[] | undefined {
  if (!v) return undefined;
  return v.spec.entrypoint ?? programOf(v.parent);
}

/** The image's effective ENTRYPOINT: the init (unless opted out) in front of the program. */
export function entrypointOf(v: Variant): string[] | undefined {
  const program = programOf(v);
  return initOf(v) ? [...INIT, ...(program ?? [])] : program;
}

/** The image's effective CMD: its own, else the nearest parent's. */
export function cmdOf(v: Variant | undefined): string[] | undefined {
  if (!v) return undefined;
  return v.spec.cmd ?? cmdOf(v.parent);
}

/**
 * ENTRYPOINT and CMD lines this Dockerfile writes: only where they differ from the parent's image.
 * Writing ENTRYPOINT resets an inherited CMD, so CMD is then written again too.
 */
export function entrypointLines(v: Variant): { entrypoint?: string[]; cmd?: string[] } {
  const mine = entrypointOf(v);
  const parents = v.parent ? entrypointOf(v.parent) : undefined;
  const changed = JSON.stringify(mine) !== JSON.stringify(parents);
  const entrypoint = changed ? (mine ?? []) : undefined;
  const cmd = v.spec.cmd ?? (entrypoint && v.parent ? cmdOf(v.parent) : undefined);
  return {
    ...(entrypoint && (v.parent || mine) ? { entrypoint } : {}),
    ...(cmd ? { cmd } : {}),
  };
}

type Env = Record<string, string>;

function declaredEnv(v: Variant): Env {
  const all = { ...v.profile.env, ...v.spec.env, ...v.spec.stages?.production?.env };
  return Object.fromEntries(Object.entries(all).map(([k, x]) => [k, String(x)]));
}

/** Environment of an image's production target. */
export function effectiveEnv(v: Variant | undefined): Env {
  return v ? { ...effectiveEnv(v.parent), ...declaredEnv(v) } : {};
}

/** ENV entries this Dockerfile writes: those whose value the parent's image does not already have. */
export function ownEnv(v: Variant): Env {
  const inherited = effectiveEnv(v.parent);
  return Object.fromEntries(Object.entries(declaredEnv(v)).filter(([k, x]) => inherited[k] !== x));
}
