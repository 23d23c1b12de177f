export { LockError } from './errors';
export { describeMissing, MissingPackageError, type MissingPackage } from './missing-packages';
export { checkLockAgreement } from './check-lock-agreement';
export { checkParentConstraints, type LockDiagnostic } from './check-parent-constraints';
export { checkPoetry } from './check-poetry';
export { diffLocks, type PackageChange } from './diff-locks';
export { lockedMarker } from './locked-marker';
export { normalizeName } from './normalize-name';
export { parseLock, type LockedFile, type LockedPackage } from './parse-lock';
export { pinsFromLock } from './pins-from-lock';
export { pythonConstraint } from './python-constraint';
export {
  generatedHeader,
  renderPyproject,
  type PackageSource,
  type PyprojectInput,
  type RenderPyprojectOptions,
} from './render-pyproject';
export { renderRequirements, type RenderRequirementsOptions } from './render-requirements';
export { runPoetryLock, type RunPoetryLockOptions } from './run-poetry-lock';
export * from './read-lock-cached';
export { lockContentHash, poetryContentHash } from './content-hash';
export { lockState, type LockState } from './lock-state';
export { restoreSource, sourceUrl, type SourceOverride } from './source-override';
export {
  checkInstallable,
  describeFiles,
  type CheckInstallableOptions,
  type InstallPlatform,
  type Uninstallable,
} from './check-installable';
export { markerApplies } from './marker-applies';
export { isSdist, wheelMatches, wheelTags, type InstallTarget } from './wheel-tags';
