import { createHash } from 'node:crypto';
import type { Tree } from '@nx/devkit';
import { CATALOGUE_README } from '@imagesmith/core';
import { type PlanInputs, loadPlanInputs } from '@imagesmith/plan';
import { treeReader } from './tree-reader';

const loaded = new WeakMap<Tree, { key: string; inputs: PlanInputs }>();

/** Files the catalogue generator writes and no plan reads but images/README.md, which is re-read. */
const isCatalogueOutput = (path: string) =>
  path === CATALOGUE_README || path.startsWith('.github/');

/** Every pending change of the Tree that could change a plan's inputs, by content. */
function inputChanges(tree: Tree): string {
  const hash = createHash('sha256');
  for (const c of tree.listChanges()) {
    if (isCatalogueOutput(c.path)) continue;
    hash.update(`${c.type}\0${c.path}\0`);
    if (c.content) hash.update(c.content);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The whole catalogue's plan inputs (specs validated, locks, images/README.md) read through `tree`,
 * loaded once per Tree: `nx sync` runs both sync generators on one Tree, and each would otherwise
 * load and validate every spec and lock again. Loaded afresh when anything they read changed in
 * the Tree in between.
 */
export function treePlanInputs(tree: Tree): PlanInputs {
  const reader = treeReader(tree);
  const key = inputChanges(tree);
  const hit = loaded.get(tree);
  const inputs =
    hit && hit.key === key
      ? { ...hit.inputs, catalogueReadme: reader.read(CATALOGUE_README) }
      : loadPlanInputs(tree.root, {}, reader);
  loaded.set(tree, { key, inputs });
  return inputs;
}
