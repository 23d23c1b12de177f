// smol-toml parses large locks (hundreds of KiB) about 2.5x faster than @iarna/toml, which
// matters because every generate reads the image's and its parent's lock.
import { parse } from 'smol-toml';
import { LockError } from './errors';

export interface LockedFile {
  file: string;
  /** "sha256:<hex>" as Poetry writes it. */
  hash: string;
}

export interface LockedPackage {
  name: string;
  version: string;
  groups: string[];
  /** Environment markers shared by all the package's groups. */
  markers?: string;
  /** Per-group markers, when they differ between groups; a group missing here has none. */
  groupMarkers?: Record<string, string>;
  files: LockedFile[];
  source?: { type?: string; url?: string; reference?: string };
}

/**
 * Read a Poetry 2 poetry.lock. Lock format 2.1 (Poetry >= 2.0) records each package's groups
 * and markers, which is what lets requirements be rendered per group without Poetry;
 * `markers` is a string, or a table keyed by group when groups differ
 * (poetry/packages/locker.py, Locker._dump_package).
 */
export function parseLock(text: string): LockedPackage[] {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new LockError('poetry.lock is not valid TOML.', {
      hint: 'Do not edit poetry.lock by hand; re-create it with `imagesmith lock`.',
      cause: error,
    });
  }
  const lockVersion = String(
    (doc.metadata as Record<string, unknown> | undefined)?.['lock-version'] ?? '',
  );
  const [major, minor] = lockVersion.split('.').map(Number);
  if (major !== 2 || (minor ?? 0) < 1) {
    throw new LockError(
      `poetry.lock has lock-version "${lockVersion}"; imagesmith reads 2.1 and later 2.x.`,
      {
        hint: "Re-lock with Poetry 2 (pip install 'poetry>=2,<3'), then run `imagesmith lock` again.",
      },
    );
  }
  return ((doc.package as Record<string, unknown>[] | undefined) ?? []).map(toPackage);
}

function toPackage(raw: Record<string, unknown>): LockedPackage {
  const pkg: LockedPackage = {
    name: String(raw.name),
    version: String(raw.version),
    groups: ((raw.groups as string[] | undefined) ?? []).map(String),
    files: ((raw.files as Record<string, unknown>[] | undefined) ?? []).map((f) => ({
      file: String(f.file),
      hash: String(f.hash),
    })),
  };
  if (typeof raw.markers === 'string') pkg.markers = raw.markers;
  else if (raw.markers && typeof raw.markers === 'object') {
    pkg.groupMarkers = Object.fromEntries(
      Object.entries(raw.markers).map(([g, m]) => [g, String(m)]),
    );
  }
  const source = raw.source as Record<string, unknown> | undefined;
  if (source) {
    pkg.source = {};
    for (const key of ['type', 'url', 'reference'] as const) {
      if (source[key] !== undefined) pkg.source[key] = String(source[key]);
    }
  }
  return pkg;
}
