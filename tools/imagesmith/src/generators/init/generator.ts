import { formatFiles, type Tree } from '@nx/devkit';
import { registerInNxJson } from './lib/register-in-nx-json';
import { writeCiWorkflow } from './lib/write-ci-workflow';
import { checkRepository, writeWorkspaceConfig } from './lib/write-workspace-config';
import type { InitGeneratorSchema } from './schema';

/**
 * nx add @imagesmith/nx-plugin (or nx g @imagesmith/nx-plugin:init --repository=ghcr.io/acme/images):
 * imagesmith.json, the plugin, sync generators and named inputs in nx.json, the CI workflow, and
 * nothing else.
 * What is there already is kept, so a second run changes nothing.
 */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema): Promise<() => void> {
  // Checked before anything is written: a bad --repository leaves the workspace as it was.
  checkRepository(schema.repository);
  writeWorkspaceConfig(tree, schema.repository);
  registerInNxJson(tree);
  writeCiWorkflow(tree);
  if (!schema.skipFormat) await formatFiles(tree);
  return () => {
    process.stdout.write(
      '\nNext: `nx g @imagesmith/nx-plugin:image my-image` scaffolds images/my-image/image.yaml; `nx run my-image:lock`, then `nx run my-image:build`.\n',
    );
  };
}

export default initGenerator;
