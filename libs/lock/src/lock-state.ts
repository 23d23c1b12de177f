import { lockContentHash, poetryContentHash } from './content-hash';

/** missing: no poetry.lock; stale: made from another pyproject.toml than this one. */
export type LockState = 'fresh' | 'stale' | 'missing';

/** Whether a lock was made from exactly this pyproject.toml, by Poetry's own content-hash. */
export function lockState(pyprojectText: string, lockText: string | undefined): LockState {
  if (lockText === undefined) return 'missing';
  return lockContentHash(lockText) === contentHashOf(pyprojectText) ? 'fresh' : 'stale';
}

// One plan asks for the same pyproject's hash several times (files, lock problems, the README's
// Status column); parsing the TOML is the cost. Bounded, for long-lived processes (the Nx daemon).
const hashes = new Map<string, string>();
function contentHashOf(pyprojectText: string): string {
  let hash = hashes.get(pyprojectText);
  if (hash === undefined) {
    if (hashes.size >= 256) hashes.clear();
    hashes.set(pyprojectText, (hash = poetryContentHash(pyprojectText)));
  }
  return hash;
}
