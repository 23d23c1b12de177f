import type { Tree } from '@nx/devkit';
import { refusingLinks, type WorkspaceReader } from '@imagesmith/core';

/**
 * The Nx virtual Tree as a WorkspaceReader: generation sees pending generator changes too. Nx reads
 * the disk through symbolic links, so a link is refused here as the CLI's reader refuses it.
 */
export function treeReader(tree: Tree): WorkspaceReader {
  return refusingLinks(tree.root, {
    read: (path) =>
      tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? '') : undefined,
    list: (dir) => (tree.exists(dir) && !tree.isFile(dir) ? tree.children(dir).sort() : []),
    isDir: (path) => tree.exists(path) && !tree.isFile(path),
  });
}
