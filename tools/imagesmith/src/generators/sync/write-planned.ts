import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import type { GeneratedFile } from '@imagesmith/core';

/**
 * Write the planned files that differ from the Tree and report them the way `nx sync:check` shows
 * drift. Unchanged files are not written, so an up-to-date workspace has no changes at all.
 */
export function writePlanned(
  tree: Tree,
  files: GeneratedFile[],
  what: string,
): SyncGeneratorResult {
  const changed = files.filter((f) => tree.read(f.path, 'utf-8') !== f.content);
  for (const f of changed) tree.write(f.path, f.content);
  if (changed.length === 0) return {};
  return {
    outOfSyncMessage: `${changed.length} generated ${what} file${changed.length === 1 ? ' is' : 's are'} out of date; run \`nx sync\` and commit the result.`,
    outOfSyncDetails: changed.map((f) => f.path),
  };
}
