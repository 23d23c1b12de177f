import type { EngineCli } from './cli-engine';
import { buildahInspectRaw, type Json } from './buildah-inspect';
import { buildahContainerExists } from './container-state';
import { buildahFromArgv, buildahRunOptions, processArgv } from './run-argv';
import type { Container, ContainerRequest, ExecRequest, RunRequest, RunResult } from './types';

/**
 * One command in a fresh working container (`buildah from` + `buildah run`), removed afterwards
 * (unless kept: RunRequest.keep).
 * buildah run does not read the image's Entrypoint/Cmd, so the process comes from its config.
 */
export async function buildahRun(cli: EngineCli, req: RunRequest): Promise<RunResult> {
  const raw = await buildahInspectRaw(cli, req.image);
  if (!raw) {
    return {
      exitCode: 125,
      stdout: '',
      stderr: `Unable to find image '${req.image}' locally: pull or build it first`,
    };
  }
  const argv = processArgv(((raw.OCIv1 as Json | undefined)?.config ?? {}) as Json, req);
  const options = buildahRunOptions(req, cli.name);
  const from = await cli.call(buildahFromArgv(req));
  cli.check(
    from,
    `from ${req.image}`,
    `check that ${req.image} exists locally (\`buildah images\`)`,
  );
  const container = from.stdout.trim().split('\n').pop() ?? '';
  try {
    // Default (OCI/runc) isolation: chroot isolation cannot give a container its own (empty) network.
    return await cli.runCall(['run', ...options, container, '--', ...argv], req.timeoutMs);
  } finally {
    // A kept named container is the caller's to remove (RunRequest.keep).
    if (!(req.keep && req.name !== undefined)) await cli.call(['rm', container]);
  }
}

/**
 * A named working container (`buildah from --name`): nothing runs in it between calls, so
 * req.command is not started; each execContainer is a `buildah run` with req's network, mounts,
 * flags and workdir, in its own PID namespace (OCI isolation).
 */
export async function startBuildahContainer(
  cli: EngineCli,
  req: ContainerRequest,
): Promise<Container> {
  const options = buildahRunOptions(req, cli.name);
  await removeBuildahContainer(cli, req.name);
  cli.check(
    await cli.call(buildahFromArgv(req)),
    `from --name ${req.name} ${req.image}`,
    `check that ${req.image} exists locally (\`buildah images\`)`,
  );
  return { name: req.name, request: req, enter: enterArgv(cli, options, req.name) };
}

export function execBuildahContainer(
  cli: EngineCli,
  c: Container,
  req: ExecRequest,
): Promise<RunResult> {
  const options = buildahRunOptions({ ...c.request, user: req.user ?? c.request.user }, cli.name);
  return cli.runCall(['run', ...options, c.name, '--', ...req.command], req.timeoutMs);
}

export async function removeBuildahContainer(cli: EngineCli, name: string): Promise<boolean> {
  return (await cli.call(['rm', name])).exitCode === 0;
}

export async function runningBuildahContainer(
  cli: EngineCli,
  req: ContainerRequest,
): Promise<Container | null> {
  if (!(await buildahContainerExists((a) => cli.call(a), req.name))) return null;
  const options = buildahRunOptions(req, cli.name);
  return { name: req.name, request: req, enter: enterArgv(cli, options, req.name) };
}

/** The command line a person types to get a shell in the working container. */
function enterArgv(cli: EngineCli, options: string[], name: string): string[] {
  return [cli.binary, ...cli.globalArgs(), 'run', ...options, name, '--', 'bash'];
}
