import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { planCatalogueFiles } from '../../workflows/plan-generation';
import { readLocks } from '../../workflows/plan-workspace';
import { loadWorkspace } from '@imagesmith/core';
import { treeReader } from '../shared/tree-reader';
import { writePlanned } from './write-planned';

/** Global sync generator (nx.json `sync.globalGenerators`): the README catalogue table, dependabot.yml and the refresh-locks workflow. */
export function syncCatalogueGenerator(tree: Tree): SyncGeneratorResult {
  const reader = treeReader(tree);
  const ws = loadWorkspace(tree.root, reader);
  // The table's Status column says which images are locked: locks are committed inputs too.
  const files = planCatalogueFiles({
    ws,
    locks: readLocks(ws, reader),
    readme: reader.read('README.md'),
  });
  return writePlanned(tree, files, 'catalogue');
}
