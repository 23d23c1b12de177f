import { UsageError, fsReader, type GeneratedFile, type WorkspaceReader } from '@imagesmith/core';
import { LockError } from '@imagesmith/lock';
import {
  describeLockProblem,
  isLockError,
  notLocked,
  UNINSTALLABLE_HINT,
  type LockProblem,
} from './lock-problems';
import type { PlanInputs } from './plan-inputs';
import { loadPlanInputs, planInputsAndLocks } from './plan-workspace';

/** The planned generated files (path -> content) and the images that are not locked. */
export interface InSync {
  planned: Map<string, string>;
  unlocked: LockProblem[];
}

/**
 * Refuse to lint or build from generated files that do not match their spec, profile, templates
 * and lock; this names the files and the fix (`npx nx sync`). No Nx target syncs first: see
 * SYNC_IMAGES in plugin/create-targets.ts.
 * A lock made from another pyproject.toml is refused too: only Poetry can fix it, so neither
 * the sync generator nor generate can, and building from it would drop what the spec added.
 * Returns the planned files and the images (these and their ancestors) that are not locked.
 */
export function checkInSyncAndLocks(
  root: string,
  images: string[],
  /** Already loaded (a command's session loads once); loaded from the disk when left out. */
  inputs?: PlanInputs,
  /** The workspace (over the built-in profiles and templates, see core's layeredReader). */
  reader: WorkspaceReader = fsReader(root),
): InSync {
  const { files, lockProblems } = planInputsAndLocks(
    inputs ?? loadPlanInputs(root, { images }, reader),
    { images },
  );
  const stale = files.filter((f: GeneratedFile) => reader.read(f.path) !== f.content);
  // A deleted lock (the image's or an ancestor's, whose pins its pyproject.toml carries) makes the
  // generated files differ, but `nx sync` would only render the unlocked guard: locking is the fix,
  // and it regenerates the files (through Nx it locks the parents first).
  const missing = stale.length > 0 ? lockProblems.filter((p) => p.state === 'missing') : [];
  if (missing.length > 0) {
    const lockedBy = (image: string) => (images.length === 1 ? images[0]! : image);
    throw new UsageError(
      `${[...new Set(missing.map((p) => notLocked(p.image, lockedBy(p.image))))].join('\n')}\n` +
        'locking writes poetry.lock and regenerates the files made from it; commit them',
    );
  }
  if (stale.length > 0)
    throw new UsageError(
      `generated files are out of date with their specs or locks:\n${stale.map((f) => `  ${f.path}`).join('\n')}\nrun \`npx nx sync\` and commit the result`,
    );
  const staleLocks = lockProblems.filter((p) => p.state === 'stale');
  if (staleLocks.length > 0)
    throw new UsageError(
      `${staleLocks.length === 1 ? 'a lock is' : 'locks are'} out of date with the spec:\n${staleLocks.map((p) => `  ${describeLockProblem(p)}`).join('\n')}`,
    );
  // Before any build: pip would fail in the builder (no wheel, no compiler) after the parents built.
  const uninstallable = lockProblems.filter(isLockError);
  if (uninstallable.length > 0)
    throw new LockError(
      `locked packages cannot be installed from wheels:\n${uninstallable.map((p) => `  ${describeLockProblem(p)}`).join('\n')}`,
      { hint: UNINSTALLABLE_HINT },
    );
  return {
    planned: new Map(files.map((f) => [f.path, f.content])),
    unlocked: lockProblems.filter((p) => p.state === 'missing'),
  };
}

/** checkInSyncAndLocks, for callers that need only the planned files. */
export function checkInSync(root: string, images: string[]): Map<string, string> {
  return checkInSyncAndLocks(root, images).planned;
}
