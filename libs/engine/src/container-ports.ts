import { EngineError } from './errors';
import type { ExecResult } from './exec';
import type { ContainerRequest, EngineName } from './types';

/**
 * The bridge network a container with published ports joins. moby drops `-p` on the host network
 * ("Published ports are discarded when using host network mode"), and the default `bridge` may be
 * off (`"bridge": "none"` in daemon.json), so it is a user-defined one, created when missing.
 */
export const PUBLISH_NETWORK = 'imagesmith-dev';

/** `-p 127.0.0.1:P:P` for each port: reachable from this machine only, at the same number. Pure. */
export function publishOptions(req: Pick<ContainerRequest, 'ports'>): string[] {
  return [...new Set(req.ports ?? [])]
    .sort((a, b) => a - b)
    .flatMap((p) => ['-p', `127.0.0.1:${p}:${p}`]);
}

/** docker/podman: create `network` unless it exists (none and host always do). */
export async function ensureNetwork(
  call: (args: string[]) => Promise<ExecResult>,
  network: string | undefined,
  engine: EngineName,
): Promise<void> {
  if (network === undefined || network === 'none' || network === 'host') return;
  if ((await call(['network', 'inspect', network])).exitCode === 0) return;
  const created = await call(['network', 'create', network]);
  // A concurrent start may have created it in between.
  if (created.exitCode !== 0 && (await call(['network', 'inspect', network])).exitCode !== 0)
    throw new EngineError(
      `could not create the network ${network} for published ports: ${created.stderr.trim()}; create it with \`${engine} network create ${network}\`, or remove ports from the spec`,
      engine,
    );
}
