/**
 * Temp workspaces whose images push to a repository of the local registry and pull their bases
 * through it (the registry as mirror), made once the engine and the registry are there.
 */
import { createTempWorkspace } from '../../tools/testkit/temp-workspace';
import { REGISTRY, requireEngineAndRegistry } from './engine-env';

/** The workspace's imagesmith.json: push to `repository`, bases from the local registry. */
export function registryConfig(repository: string): Record<string, string> {
  return {
    'imagesmith.json': JSON.stringify({ repository, mirrors: { registry: REGISTRY } }),
  };
}

/**
 * A workspace of `images` pushing to `repository`, or why the test skips (in CI, where nothing may
 * skip, requireEngineAndRegistry throws instead).
 */
export async function registryWorkspace(
  images: Record<string, string>,
  repository: string,
  extraFiles: Record<string, string> = {},
): Promise<{ root: string } | { skip: string }> {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) return got;
  return { root: createTempWorkspace(images, { ...registryConfig(repository), ...extraFiles }) };
}
