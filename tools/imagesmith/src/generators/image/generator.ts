import { formatFiles, type Tree } from '@nx/devkit';
import { formatDiagnostic } from '@imagesmith/core';
import { validateTree, updateCatalogueFiles } from '../shared/tree-catalogue';
import { createSpec } from './lib/create-spec';
import { normalizeOptions } from './lib/normalize-options';
import type { ImageGeneratorSchema } from './schema';

/** nx g @imagesmith/nx-plugin:image <name> --profile=cpu [--base=...] [--python=3.11] */
export async function imageGenerator(
  tree: Tree,
  schema: ImageGeneratorSchema,
): Promise<() => void> {
  const options = normalizeOptions(tree, schema);
  createSpec(tree, options);
  const { specs, profiles, diagnostics } = validateTree(tree);
  const mine = diagnostics.filter((d) => d.file === options.specFile);
  if (mine.length > 0)
    throw new Error(
      `The new spec would be invalid:\n${mine.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
    );
  updateCatalogueFiles(tree, specs, profiles);
  await formatFiles(tree);
  return () => {
    process.stdout.write(
      `\nNext: add python_packages to ${options.specFile}, then \`nx run ${options.name}:lock\` and \`nx run ${options.name}:generate\`.\n`,
    );
  };
}

export default imageGenerator;
