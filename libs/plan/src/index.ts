// The generation plan: what `generate` writes for a workspace (Dockerfiles, pyprojects, READMEs,
// the catalogue table), whether each image's lock is current and installable, and the test
// contract an image's README and `validate` share. Pure over core and lock; IO only in plan-workspace
// (reading the committed files) and check-in-sync.
export {
  acceleratorContract,
  type AcceleratorContract,
  acceleratorLabels,
  compareVersions,
  hostDriverText,
  lockAcceleratorContract,
} from './accelerator-contract';
export {
  acceleratorFile,
  type AcceleratorData,
  parseAcceleratorData,
  readAcceleratorData,
} from './accelerator-data';
export { checkInSyncAndLocks, type InSync } from './check-in-sync';
export { contractSummary } from './contract-summary';
export {
  describeLockProblem,
  isLockError,
  type LockProblem,
  lockProblems,
  lockStatus,
  notLocked,
  UNINSTALLABLE_HINT,
  withAncestors,
} from './lock-problems';
export { catalogueRowFacts, planCatalogueFiles, planImageFiles } from './plan-generation';
export { type PlanInputs } from './plan-inputs';
export { pyprojectInput } from './plan-pyproject';
export {
  loadPlanInputs,
  planInputsAndLocks,
  planWorkspaceAndLocks,
  readLocks,
} from './plan-workspace';
export { type Check, collectChecks, contractHash } from './validate-contract';
