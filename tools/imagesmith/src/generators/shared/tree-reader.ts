import type { Tree } from '@nx/devkit';
import type { WorkspaceReader } from '@imagesmith/core';

/** The Nx virtual Tree as a WorkspaceReader: generation sees pending generator changes too. */
export function treeReader(tree: Tree): WorkspaceReader {
  return {
    read: (path) =>
      tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? '') : undefined,
    list: (dir) => (tree.exists(dir) && !tree.isFile(dir) ? tree.children(dir).sort() : []),
    isDir: (path) => tree.exists(path) && !tree.isFile(path),
  };
}
