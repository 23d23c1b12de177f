import type { EngineCli } from './cli-engine';
import { ensureNetwork, publishOptions } from './container-ports';
import { dockerContainerRunning } from './container-state';
import { dockerRunOptions } from './run-argv';
import type { Container, ContainerRequest, ExecRequest, RunRequest, RunResult } from './types';

/** `head` (`run --rm`, `run -d ...`), then the request's run options, entrypoint, image and command. Pure. */
export function dockerRunArgv(req: RunRequest, head: string[]): string[] {
  const argv = [...head, ...dockerRunOptions(req)];
  if (req.entrypoint !== undefined) argv.push('--entrypoint', req.entrypoint);
  return [...argv, req.image, ...req.command];
}

/**
 * One command in a fresh container that is removed when it ends (`docker run --rm`); named when
 * the request names it, so one left running past the call's time limit can be removed by name,
 * and then left for the caller to remove when it asks to (`keep`).
 */
export function dockerRun(cli: EngineCli, req: RunRequest): Promise<RunResult> {
  const name = req.name !== undefined ? ['--name', req.name] : [];
  const rm = req.keep && req.name !== undefined ? [] : ['--rm'];
  return cli.runCall(dockerRunArgv(req, ['run', ...rm, ...name]), req.timeoutMs);
}

export async function startDockerContainer(
  cli: EngineCli,
  req: ContainerRequest,
): Promise<Container> {
  await removeDockerContainer(cli, req.name);
  await ensureNetwork((a) => cli.call(a), req.network, cli.name);
  // --rm: a container whose command ends (validate's bounded sleep) leaves nothing behind.
  const head = ['run', '-d', '--rm', '--name', req.name, ...publishOptions(req)];
  cli.check(
    await cli.call(dockerRunArgv(req, head)),
    `run -d --name ${req.name} ${req.image}`,
    `check that ${req.image} exists locally and its run flags (${(req.runFlags ?? []).join(' ') || 'none'}) work on this host`,
  );
  return { name: req.name, request: req, enter: [cli.binary, 'exec', '-it', req.name, 'bash'] };
}

export function execDockerContainer(
  cli: EngineCli,
  c: Container,
  req: ExecRequest,
): Promise<RunResult> {
  const user = req.user !== undefined ? ['--user', req.user] : [];
  return cli.runCall(['exec', ...user, c.name, ...req.command], req.timeoutMs);
}

export async function runningDockerContainer(
  cli: EngineCli,
  req: ContainerRequest,
): Promise<Container | null> {
  if (!(await dockerContainerRunning((a) => cli.call(a), req.name))) return null;
  return { name: req.name, request: req, enter: [cli.binary, 'exec', '-it', req.name, 'bash'] };
}

export async function removeDockerContainer(cli: EngineCli, name: string): Promise<boolean> {
  // docker 20.10 answers `rm -f` of a missing container with exit 0 and "No such container".
  const r = await cli.call(['rm', '-f', name]);
  return r.exitCode === 0 && !/no such container/i.test(r.stderr);
}
