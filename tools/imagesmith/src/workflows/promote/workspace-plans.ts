import {
  readWorkspaceConfig,
  requireImage,
  resolveVariants,
  type WorkspaceConfig,
} from '@imagesmith/core';
import {
  createRegistryClient,
  engineCredentials,
  registryTimeoutMs,
  type EngineName,
  type RegistryClient,
} from '@imagesmith/engine';
import { loadPlanInputs } from '@imagesmith/plan';
import { diskReader } from '../../shared/builtin-assets';
import { planBuild, type BuildPlan } from '../shared/build-plan';
import { contextReader } from '../shared/engine-context';

/** What promote and gc work from: the settings and each variant's production plan. No engine. */
export interface RegistryWork {
  root: string;
  config: WorkspaceConfig;
  /** The image's variants' production plans (their tags in the workspace repository). */
  plans: BuildPlan[];
}

/**
 * Loads the settings and plans `image`'s variants (their content-hash tags) from the workspace
 * alone: promote and gc only talk to registries, so no engine is looked for (none needs to run).
 */
export function planImage(root: string, image: string): RegistryWork {
  // First: an unusable imagesmith.json or IMAGESMITH_* setting fails before anything runs.
  const config = readWorkspaceConfig(root);
  const ws = loadPlanInputs(root, { images: [image] }, diskReader(root)).ws;
  requireImage(ws, image);
  const context = contextReader(root);
  return {
    root,
    config,
    plans: resolveVariants(ws, image).map((v) => planBuild(ws, config, v, 'production', context)),
  };
}

/** The registry client with the logins the configured engine (docker by default) would send. */
export function workspaceRegistry(
  config: WorkspaceConfig,
  env: NodeJS.ProcessEnv = process.env,
): RegistryClient {
  return createRegistryClient({
    timeoutMs: registryTimeoutMs(env),
    credentials: engineCredentials((config.engine ?? 'docker') as EngineName, env),
  });
}
