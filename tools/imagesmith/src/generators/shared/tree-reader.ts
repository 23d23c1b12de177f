import type { Tree } from '@nx/devkit';
import { layeredReader, refusingLinks, type WorkspaceReader } from '@imagesmith/core';
import { builtinAssetsDir, builtinUnder } from '../../shared/builtin-assets';

/**
 * The Nx virtual Tree as a WorkspaceReader: generation sees pending generator changes too. Nx reads
 * the disk through symbolic links, so a link is refused here as the CLI's reader refuses it. The
 * Tree holds only the workspace: imagesmith's built-in profiles and templates are layered under it
 * from the disk (core's layered-reader.ts says how the workspace overrides them).
 */
export function treeReader(tree: Tree, builtin = builtinAssetsDir()): WorkspaceReader {
  const workspace = refusingLinks(tree.root, {
    read: (path) =>
      tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? '') : undefined,
    list: (dir) => (tree.exists(dir) && !tree.isFile(dir) ? tree.children(dir).sort() : []),
    isDir: (path) => tree.exists(path) && !tree.isFile(path),
  });
  return layeredReader(workspace, builtinUnder(tree.root, builtin));
}
