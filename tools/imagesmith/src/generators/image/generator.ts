import { formatFiles, type Tree } from '@nx/devkit';
import { SpecError } from '@imagesmith/core';
import { validateTree } from '../shared/tree-catalogue';
import { createSpec } from './lib/create-spec';
import { normalizeOptions } from './lib/normalize-options';
import { writeGeneratedFiles } from './lib/write-generated-files';
import type { ImageGeneratorSchema } from './schema';

/** nx g @imagesmith/nx-plugin:image <name> --profile=cpu [--base=...] [--python=3.11] */
export async function imageGenerator(
  tree: Tree,
  schema: ImageGeneratorSchema,
): Promise<() => void> {
  const options = normalizeOptions(tree, schema);
  createSpec(tree, options);
  const { diagnostics } = validateTree(tree);
  const mine = diagnostics.filter((d) => d.file === options.specFile);
  if (mine.length > 0) throw new SpecError(mine);
  await formatFiles(tree);
  // The generated files in the same Tree: `--dry-run` lists them, and the workspace is in sync
  // right after the generator.
  const note = writeGeneratedFiles(
    tree,
    options.name,
    diagnostics.filter((d) => d.file !== options.specFile),
  );
  return () => {
    if (note) process.stdout.write(`\n${note}\n`);
    process.stdout.write(
      `\nNext: add python_packages to ${options.specFile}, then \`nx run ${options.name}:lock\` (which regenerates its files).\n`,
    );
  };
}

export default imageGenerator;
