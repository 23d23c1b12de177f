import { poetryContentHash } from './content-hash';

/** Resolve the named pyproject source from another URL (a mirror) at lock time only. */
export interface SourceOverride {
  /** The `[[tool.poetry.source]]` name, e.g. "pypi-simple". */
  name: string;
  url: string;
}

const quoted = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Poetry records a legacy source's URL without its trailing slash.
const bare = (url: string) => url.replace(/\/+$/, '');

/** The URL the pyproject gives the named source, or undefined when it has none. */
export function sourceUrl(pyproject: string, name: string): string | undefined {
  return new RegExp(`^name = "${quoted(name)}"\\nurl = "([^"]*)"$`, 'm').exec(pyproject)?.[1];
}

/** The pyproject Poetry runs on: the named source's URL replaced (render-pyproject's layout). */
export function withSourceUrl(pyproject: string, name: string, url: string): string {
  return pyproject.replace(
    new RegExp(`^(name = "${quoted(name)}"\\nurl = )"[^"]*"$`, 'm'),
    (_, head: string) => `${head}"${url}"`,
  );
}

/** Point every locked package of the named source at another URL. */
export function lockWithSourceUrl(lock: string, name: string, url: string): string {
  return lock.replace(
    new RegExp(
      `^(\\[package\\.source\\]\\ntype = "legacy"\\nurl = )"[^"]*"(\\nreference = "${quoted(name)}")$`,
      'gm',
    ),
    (_, head: string, tail: string) => `${head}"${bare(url)}"${tail}`,
  );
}

/** Replace the lock's `[metadata]` content-hash. */
export function withContentHash(lock: string, hash: string): string {
  return lock.replace(/^content-hash = "[0-9a-f]*"$/m, `content-hash = "${hash}"`);
}

/**
 * A lock made against the mirror, restated as if made against the committed pyproject: package
 * sources name the committed URL again and the content-hash is the committed pyproject's, so the
 * lock is byte-identical to one made without the mirror and stays fresh (Poetry hashes the
 * source URL too: poetry/packages/locker.py, _get_content_hash).
 */
export function restoreSource(lock: string, pyproject: string, override: SourceOverride): string {
  const committed = sourceUrl(pyproject, override.name);
  if (committed === undefined) return lock;
  return withContentHash(
    lockWithSourceUrl(lock, override.name, committed),
    poetryContentHash(pyproject),
  );
}
