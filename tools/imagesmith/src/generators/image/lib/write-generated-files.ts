import type { Tree } from '@nx/devkit';
import type { Diagnostic } from '@imagesmith/core';
import { planCatalogueFiles, planImageFiles, loadPlanInputs } from '@imagesmith/plan';
import { treePlanInputs } from '../../shared/tree-plan-inputs';
import { treeReader } from '../../shared/tree-reader';

/**
 * The new image's Dockerfile, pyproject and README, and the catalogue files (README table,
 * dependabot.yml), planned from the whole catalogue in the Tree exactly as the sync generators plan
 * them, so `nx sync:check` passes right after the scaffold. A catalogue planned from the new image
 * and its ancestors only would drop every other row of the table.
 * Returns a note for the user when another spec is invalid: then only the new image's files are
 * written, and the table waits for `nx sync` once that spec is fixed.
 */
export function writeGeneratedFiles(
  tree: Tree,
  name: string,
  otherProblems: Diagnostic[],
): string | undefined {
  const catalogueValid = otherProblems.length === 0;
  const inputs = catalogueValid
    ? treePlanInputs(tree)
    : loadPlanInputs(tree.root, { images: [name] }, treeReader(tree));
  const files = [
    ...planImageFiles(inputs, [name]),
    ...(catalogueValid ? planCatalogueFiles(inputs) : []),
  ];
  for (const f of files)
    if (tree.read(f.path, 'utf-8') !== f.content) tree.write(f.path, f.content);
  if (catalogueValid) return undefined;
  const specs = [...new Set(otherProblems.map((d) => d.file))].join(', ');
  return `The README catalogue table was not updated: ${specs} ${otherProblems.length === 1 ? 'has a problem' : 'have problems'}; fix ${specs.includes(',') ? 'them' : 'it'}, then run \`nx sync\`.`;
}
