import { UsageError } from '@imagesmith/core';
import { checkInSyncAndLocks, type InSync, notLocked } from '@imagesmith/plan';
import { diskReader } from '../../shared/builtin-assets';

/**
 * Refuse to build an image while it or any ancestor is unlocked, before the engine is touched or
 * a parent built: the Dockerfile of an unlocked image only fails at its `exit 1` guard, after
 * every parent was built. `imagesmith build` builds missing parents itself, so the check covers
 * the ancestors; under Nx (`^build` first) an unlocked parent's own build refuses first.
 * `checked`: the session's one check of its image (engine-context.ts), instead of a new load.
 */
export function requireLocked(root: string, image: string, checked?: () => InSync): void {
  const { unlocked } = checked
    ? checked()
    : checkInSyncAndLocks(root, [image], undefined, diskReader(root));
  if (unlocked.length === 0) return;
  // One line per image folder (a matrix image's variants share it), ancestors first; locking the
  // image locks its parents first, so every line names the one command.
  const images = [...new Set(unlocked.map((p) => p.image))];
  const needs = [...new Set(unlocked.flatMap((p) => p.vendorIndexes))].sort();
  throw new UsageError(
    `${image} cannot be built:\n${images.map((i) => `  ${notLocked(i, image)}`).join('\n')}\n` +
      `it locks the parents first, then ${image}; commit the locks it writes` +
      (needs.length ? `; locking needs the package index ${needs.join(', ')}` : ''),
  );
}
