import { formatFiles, type Tree } from '@nx/devkit';
import { createFiles } from './lib/create-files';
import { normalizeOptions } from './lib/normalize-options';
import type { ProfileGeneratorSchema } from './schema';

/** nx g @imagesmith/nx-plugin:profile rocm6 --hardware=gpu --base=IMAGE:TAG --pythonVersions=3.10 */
export async function profileGenerator(
  tree: Tree,
  schema: ProfileGeneratorSchema,
): Promise<() => void> {
  const options = normalizeOptions(tree, schema);
  createFiles(tree, options);
  await formatFiles(tree);
  return () => {
    process.stdout.write(
      `\nNext: fill in ${options.dir}/profile.yaml (system packages, package sources, env, run flags), then \`nx g @imagesmith/nx-plugin:image my-image --profile=${options.name}\`.\n`,
    );
  };
}

export default profileGenerator;
