import { readCachedJson, writeCachedJson } from '@imagesmith/core';
import { parseLock, type LockedPackage } from './parse-lock';

// Parsing TOML is most of what rendering the catalogue costs (a parent's lock is read again for
// every child, and some locks are hundreds of KiB), so each lock text is parsed once per process
// and its result kept as JSON in the tool cache (node_modules/.cache/imagesmith/locks), keyed by
// the text itself: a changed lock is simply a new key.
const memo = new Map<string, LockedPackage[]>();

/** parseLock, remembered per lock text. Callers must not mutate the result. */
export function readLockCached(text: string): LockedPackage[] {
  const known = memo.get(text);
  if (known) return known;
  const cached = readCachedJson<LockedPackage[]>('locks', text);
  const pkgs = cached ?? parseLock(text);
  if (!cached) writeCachedJson('locks', text, pkgs);
  memo.set(text, pkgs);
  return pkgs;
}
