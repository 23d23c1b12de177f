import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { linkProblem, SpecError, type GeneratedFile } from '@imagesmith/core';

/**
 * Write the planned files that differ from the Tree and report them the way `nx sync:check` shows
 * drift. Unchanged files are not written, so an up-to-date workspace has no changes at all.
 */
export function writePlanned(
  tree: Tree,
  files: GeneratedFile[],
  what: string,
): SyncGeneratorResult {
  // Nx writes the Tree to the disk through any symbolic link on the way (and reads through it
  // first): a link in images/ or .github/ is refused before the Tree is read or changed.
  const links = new Map(
    files.flatMap((f) => {
      const problem = linkProblem(tree.root, f.path);
      return problem ? [[problem.file, problem] as const] : [];
    }),
  );
  if (links.size > 0) throw new SpecError([...links.values()]);
  const changed = files.filter((f) => tree.read(f.path, 'utf-8') !== f.content);
  for (const f of changed) tree.write(f.path, f.content);
  if (changed.length === 0) return {};
  return {
    outOfSyncMessage: `${changed.length} generated ${what} file${changed.length === 1 ? ' is' : 's are'} out of date; run \`nx sync\` and commit the result.`,
    outOfSyncDetails: changed.map((f) => f.path),
  };
}
