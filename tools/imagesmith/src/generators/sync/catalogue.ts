import type { Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { planCatalogueFiles } from '@imagesmith/plan';
import { treePlanInputs } from '../shared/tree-plan-inputs';
import { writePlanned } from './write-planned';

/** Global sync generator (nx.json `sync.globalGenerators`): the README catalogue table, dependabot.yml and the refresh-locks workflow. */
export function syncCatalogueGenerator(tree: Tree): SyncGeneratorResult {
  // The table's Status column says which images are locked: locks are committed inputs too.
  const files = planCatalogueFiles(treePlanInputs(tree));
  return writePlanned(tree, files, 'catalogue');
}
