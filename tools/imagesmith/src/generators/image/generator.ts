import { formatFiles, type Tree } from '@nx/devkit';
import { SpecError } from '@imagesmith/core';
import { planWorkspace } from '../../workflows/plan-workspace';
import { treeReader } from '../shared/tree-reader';
import { validateTree } from '../shared/tree-catalogue';
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
  const { diagnostics } = validateTree(tree);
  const mine = diagnostics.filter((d) => d.file === options.specFile);
  if (mine.length > 0) throw new SpecError(mine);
  await formatFiles(tree);
  // The new image's Dockerfile and pyproject, the README table and dependabot.yml, in the same
  // Tree: `--dry-run` lists them, and the workspace is in sync right after the generator.
  const files = planWorkspace(
    tree.root,
    { images: [options.name], catalogue: true },
    treeReader(tree),
  );
  for (const f of files)
    if (tree.read(f.path, 'utf-8') !== f.content) tree.write(f.path, f.content);
  return () => {
    process.stdout.write(
      `\nNext: add python_packages to ${options.specFile}, then \`nx run ${options.name}:lock\` (which regenerates its files).\n`,
    );
  };
}

export default imageGenerator;
