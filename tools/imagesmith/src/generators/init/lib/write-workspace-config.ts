import { parseWorkspaceConfig } from '@imagesmith/core';
import type { Tree } from '@nx/devkit';
import { PLUGIN } from './plugin-name';

export const CONFIG_FILE = 'imagesmith.json';

/**
 * imagesmith.json, the workspace configuration (libs/core/src/config/workspace-config.schema.json,
 * shipped in the package's assets/schemas): its schema for editors and, when given, the repository
 * images are pushed to.
 */
function configText(repository: string | undefined): string {
  const config = {
    $schema: `./node_modules/${PLUGIN}/assets/schemas/workspace-config.schema.json`,
    ...(repository !== undefined ? { repository } : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Throws a UsageError naming the problem when --repository is not a usable registry/namespace. */
export function checkRepository(repository: string | undefined): void {
  parseWorkspaceConfig(configText(repository), {}, `${CONFIG_FILE} (from --repository)`);
}

/** Writes imagesmith.json unless the workspace has one: then it is the user's and is kept. */
export function writeWorkspaceConfig(tree: Tree, repository: string | undefined): boolean {
  if (tree.exists(CONFIG_FILE)) return false;
  tree.write(CONFIG_FILE, configText(repository));
  return true;
}
