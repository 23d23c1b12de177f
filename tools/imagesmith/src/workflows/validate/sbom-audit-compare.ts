import { normalizeName } from '@imagesmith/lock';

/** The image's virtual environment, where every Python distribution must come from a lock. */
export const VENV = '/opt/venv/';

/** A Python distribution syft found installed in the image. */
export interface FoundPackage {
  name: string;
  version: string;
  /** Where syft read it (the dist-info's METADATA or RECORD). */
  path: string;
}

/** One lock's pins: the file (workspace-relative) and name → version of its main group. */
export interface LockPins {
  file: string;
  packages: Record<string, string>;
}

/**
 * What `python -m venv` puts in every venv (ensurepip), which no lock pins: allowed unless a lock
 * names them, in which case their version must agree like any other package.
 */
export const VENV_TOOLING = new Set(['pip', 'setuptools']);

/**
 * An installed distribution's metadata sits directly in site-packages. A .dist-info deeper down is
 * a copy another package vendors (setuptools/_vendor/autocommand-2.2.2.dist-info,
 * bleach/_vendor/html5lib-1.1.dist-info): part of that package, not a distribution of its own.
 */
const INSTALLED =
  /^\/opt\/venv\/lib(64)?\/python[^/]+\/site-packages\/[^/]+\.(dist-info|egg-info)(\/|$)/;

/**
 * The Python distributions of a syft-json document installed in the venv, each once (syft may
 * report a distribution per file it read), sorted by name.
 */
export function venvPackages(syftJson: string): FoundPackage[] {
  const doc = JSON.parse(syftJson) as {
    artifacts?: {
      name?: string;
      version?: string;
      type?: string;
      locations?: { path?: string }[];
    }[];
  };
  const byKey = new Map<string, FoundPackage>();
  for (const a of doc.artifacts ?? []) {
    if (a.type !== 'python' || !a.name) continue;
    const path = (a.locations ?? []).map((l) => l.path ?? '').find((p) => INSTALLED.test(p));
    if (!path) continue;
    const found = { name: a.name, version: a.version ?? '', path };
    byKey.set(`${normalizeName(a.name)}@${found.version}`, found);
  }
  return [...byKey.values()].sort((a, b) =>
    normalizeName(a.name).localeCompare(normalizeName(b.name)),
  );
}

/** PEP 440 spellings of one version that differ only in case or a leading "v". */
function sameVersion(a: string, b: string): boolean {
  const norm = (v: string) => v.trim().toLowerCase().replace(/^v/, '');
  return norm(a) === norm(b);
}

/**
 * Every venv distribution that no lock pins, or that is installed at another version than the
 * first lock pinning it (the image's own lock first, then each catalogue ancestor's): one line
 * each, naming the package, the version found, where, and the lock file. Pure.
 */
export function auditVenv(found: readonly FoundPackage[], locks: readonly LockPins[]): string[] {
  const pinned = locks.map((l) => ({
    file: l.file,
    packages: new Map(Object.entries(l.packages).map(([n, v]) => [normalizeName(n), v])),
  }));
  const files = locks.map((l) => l.file).join(' or ') || '(no lock)';
  const problems: string[] = [];
  for (const p of found) {
    const name = normalizeName(p.name);
    const lock = pinned.find((l) => l.packages.has(name));
    if (!lock) {
      if (VENV_TOOLING.has(name)) continue;
      problems.push(
        `${p.name} ${p.version} is installed in the venv (${p.path}) but ${files} does not pin it: add it to the spec's python_packages and lock, or stop installing it outside the lock`,
      );
      continue;
    }
    const want = lock.packages.get(name)!;
    if (!sameVersion(want, p.version))
      problems.push(
        `${p.name} ${p.version} is installed in the venv (${p.path}) but ${lock.file} pins ${want}: something installed it outside the lock`,
      );
  }
  return problems;
}
