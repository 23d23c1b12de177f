import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { planCatalogueFiles } from '../../workflows/plan-generation';
import { loadWorkspace } from '@imagesmith/core';
import { treeReader } from '../shared/tree-reader';
import { writePlanned } from './write-planned';

/** Global sync generator (nx.json `sync.globalGenerators`): the README catalogue table and dependabot.yml. */
export function syncCatalogueGenerator(tree: Tree): SyncGeneratorResult {
  const reader = treeReader(tree);
  const ws = loadWorkspace(tree.root, reader);
  const files = planCatalogueFiles({ ws, locks: new Map(), readme: reader.read('README.md') });
  return writePlanned(tree, files, 'catalogue');
}
