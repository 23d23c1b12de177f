// What other packages use of @imagesmith/lock, by name: a name not listed here is internal.
// Export one from here when another package needs it (tests inside the library import the module file).
export { LockError } from './errors';
export { describeMissing, MissingPackageError } from './missing-packages';
export { checkLockAgreement } from './check-lock-agreement';
export { checkParentConstraints } from './check-parent-constraints';
export { type PackageChange } from './diff-locks';
export { normalizeName } from './normalize-name';
export { type LockedPackage, parseLock } from './parse-lock';
export { pinsFromLock } from './pins-from-lock';
export { type PyprojectInput, renderPyproject } from './render-pyproject';
export { renderRequirements } from './render-requirements';
export { runPoetryLock } from './run-poetry-lock';
export { readLockCached } from './read-lock-cached';
export { poetryContentHash } from './content-hash';
export { lockState } from './lock-state';
export { checkInstallable, type InstallPlatform } from './check-installable';
