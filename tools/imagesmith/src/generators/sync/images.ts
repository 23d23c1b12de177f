import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { planWorkspace } from '../../workflows/plan-workspace';
import { treeReader } from '../shared/tree-reader';
import { writePlanned } from './write-planned';

/**
 * Task sync generator (registered on every image target that reads generated files): renders
 * every image's Dockerfile, pyproject.toml and requirements files in one pass through the Tree.
 * An invalid spec anywhere throws, and Nx shows every problem; nothing is written.
 */
export function syncImagesGenerator(tree: Tree): SyncGeneratorResult {
  return writePlanned(tree, planWorkspace(tree.root, {}, treeReader(tree)), 'image');
}
