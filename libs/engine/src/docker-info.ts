import { parseBuilder, type BuilderInfo } from './buildx-builder';
import type { EngineCli } from './cli-engine';
import { EngineError } from './errors';

export const START_DOCKERD =
  'start a daemon: `dockerd --bridge=none --iptables=false --ip-masq=false >dockerd.log 2>&1 &` (bash .ci/setup-engine.sh does it), or point DOCKER_HOST at a remote daemon';

/** The oldest Docker Engine imagesmith drives: buildx, the containerd image store, cache export. */
export const MIN_DOCKER_MAJOR = 25;

const INSTALL_MODERN =
  'install Docker >= 25 with buildx and the containerd image store (`bash .ci/setup-engine.sh` does it on Debian; elsewhere docs.docker.com/engine/install), or set IMAGESMITH_ENGINE=buildah';

/**
 * Checks that the daemon answers and is new enough (`docker info`); says whether it keeps images
 * in the containerd store (needed to push straight from the docker builder, and to export a cache).
 */
export async function dockerDaemonInfo(cli: EngineCli): Promise<{ containerdStore: boolean }> {
  const result = await cli.call(['info', '--format', '{{.ServerVersion}}|{{json .DriverStatus}}'], {
    timeoutMs: 30_000,
  });
  cli.check(
    result,
    `at ${cli.binary} cannot reach its daemon; \`${cli.binary} info\``,
    START_DOCKERD,
  );
  const [version = '', status = ''] = result.stdout.trim().split('|');
  // `docker info` prints the client part and exits 0 when the daemon does not answer.
  if (!version)
    cli.check(
      { ...result, exitCode: result.exitCode || 1 },
      `at ${cli.binary} cannot reach its daemon; \`${cli.binary} info\``,
      START_DOCKERD,
    );
  const major = Number.parseInt(version, 10);
  if (!(major >= MIN_DOCKER_MAJOR))
    throw new EngineError(
      `Docker ${version || '(unknown version)'} at ${cli.binary} is not supported: imagesmith builds with buildx and needs Docker >= ${MIN_DOCKER_MAJOR} (Docker 20.10's BuildKit cannot export a build cache, build several platforms or attest). What to do: ${INSTALL_MODERN}`,
      cli.name,
    );
  return { containerdStore: status.includes('io.containerd.snapshotter') };
}

/** The builder's driver and platforms (`docker buildx inspect`); buildx's current one when unnamed. */
export async function inspectBuilder(cli: EngineCli, builder?: string): Promise<BuilderInfo> {
  const argv = ['buildx', 'inspect', ...(builder ? [builder] : [])];
  const r = await cli.call(argv, { timeoutMs: 60_000 });
  if (r.exitCode !== 0 && /is not a docker command|unknown command/i.test(r.stderr))
    throw new EngineError(
      `docker buildx is not installed (\`${cli.binary} buildx version\` fails). What to do: ${INSTALL_MODERN}`,
      cli.name,
    );
  cli.check(
    r,
    `buildx inspect ${builder ?? '(current builder)'}`,
    builder
      ? `create the builder (\`docker buildx create --name ${builder} --driver remote unix:///run/buildkit/buildkitd.sock\`), or unset IMAGESMITH_BUILDER / "builder" in imagesmith.json to use the engine's own`
      : 'check `docker buildx ls`',
  );
  return parseBuilder(r.stdout);
}
