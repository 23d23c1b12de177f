import { lockContentHash, poetryContentHash } from './content-hash';

/** missing: no poetry.lock; stale: made from another pyproject.toml than this one. */
export type LockState = 'fresh' | 'stale' | 'missing';

/** Whether a lock was made from exactly this pyproject.toml, by Poetry's own content-hash. */
export function lockState(pyprojectText: string, lockText: string | undefined): LockState {
  if (lockText === undefined) return 'missing';
  return lockContentHash(lockText) === poetryContentHash(pyprojectText) ? 'fresh' : 'stale';
}
