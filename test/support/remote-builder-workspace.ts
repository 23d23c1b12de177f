/**
 * What a test file that builds through the shared remote builder, and prunes it, needs: the engine,
 * the registry and the builder, its turn on the builder taken, and a workspace pushing to
 * `repository`.
 */
import { createTempWorkspace } from '../../tools/testkit/temp-workspace';
import { requireEngineAndRegistry } from './engine-env';
import { registryConfig } from './registry-workspace';
import { requireRemoteBuilder, takeBuilderTurn, type RemoteBuilder } from './remote-builder';

export interface RemoteBuilderWorkspace {
  root: string;
  builder: RemoteBuilder;
  /** Ends this file's turn on the builder: call it in afterAll. */
  release: () => void;
}

/** The fixture, or why the test skips (in CI, where nothing may skip, the checks throw instead). */
export async function remoteBuilderWorkspace(
  images: Record<string, string>,
  repository: string,
): Promise<RemoteBuilderWorkspace | { skip: string }> {
  const engine = await requireEngineAndRegistry();
  if ('skip' in engine) return engine;
  const remote = requireRemoteBuilder();
  if ('skip' in remote) return remote;
  // This file prunes the shared builder: one such file at a time.
  const release = await takeBuilderTurn();
  try {
    return {
      root: createTempWorkspace(images, registryConfig(repository)),
      builder: remote.builder,
      release,
    };
  } catch (error) {
    release();
    throw error;
  }
}
