import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { describeLockProblem, isLockError, planInputsAndLocks } from '@imagesmith/plan';
import { treePlanInputs } from '../shared/tree-plan-inputs';
import { writePlanned } from './write-planned';

/**
 * Global sync generator (nx.json `sync.globalGenerators`; no target declares it, see SYNC_IMAGES
 * in plugin/create-targets.ts): renders every image's Dockerfile, pyproject.toml and requirements
 * files in one pass through the Tree.
 * An invalid spec anywhere throws, and Nx shows every problem; nothing is written.
 */
export function syncImagesGenerator(tree: Tree): SyncGeneratorResult {
  // Stale locks only: the wheel check (installability) is for lock, lint, build and
  // `generate --check`, which refuse; here it would cost every `nx sync` for a warning.
  const { files, lockProblems, deprecations } = planInputsAndLocks(
    treePlanInputs(tree),
    {},
    { installable: false },
  );
  // console.warn, not @nx/devkit's logger: loading @nx/devkit costs every `nx sync` ~0.1 s.
  for (const line of deprecations) console.warn(`imagesmith: ${line}`);
  // A stale lock is not thrown: a throwing sync generator would block `nx sync` for every image.
  // It is said here, and lint, build and `generate --check` refuse it.
  for (const p of lockProblems.filter(isLockError))
    console.warn(`imagesmith: ${describeLockProblem(p)}`);
  return writePlanned(tree, files, 'image');
}
