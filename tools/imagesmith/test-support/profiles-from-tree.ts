import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { loadProfiles } from '@imagesmith/core';

/** Load the tree's profiles/ through the real loader (schema-checked), via a temp copy. */
export function loadProfilesFromTree(tree: Tree) {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-tree-'));
  try {
    const walk = (p: string) => {
      for (const c of tree.children(p)) {
        const child = `${p}/${c}`;
        if (tree.isFile(child)) {
          mkdirSync(dirname(join(dir, child)), { recursive: true });
          writeFileSync(join(dir, child), tree.read(child)!);
        } else walk(child);
      }
    };
    walk('profiles');
    return loadProfiles(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
