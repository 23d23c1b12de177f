import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildArgv } from './build-argv';
import { CliEngine, isNoSuchImage, lines, type PreparedBuild } from './cli-engine';
import { EngineError } from './errors';
import { imageInfoFromDockerInspect } from './image-info';
import { secretValues } from './secret-files';
import { dockerRunOptions } from './run-argv';
import type {
  BuildRequest,
  Container,
  ContainerRequest,
  EngineName,
  ExecRequest,
  ImageInfo,
  RunRequest,
  RunResult,
} from './types';

export const START_DOCKERD =
  'start a daemon: `dockerd --bridge=none --iptables=false --ip-masq=false >dockerd.log 2>&1 &` (bash .ci/setup-engine.sh does it), or point DOCKER_HOST at a remote daemon';

/** Docker through its CLI, building with BuildKit (`DOCKER_BUILDKIT=1 docker build --progress plain`). */
export class DockerEngine extends CliEngine {
  readonly name: EngineName = 'docker';

  protected notInstalled(): EngineError {
    return new EngineError(
      `docker is not installed (no executable "${this.binary}"): \`apt-get install -y docker.io\` (or bash .ci/setup-engine.sh), ` +
        'set IMAGESMITH_DOCKER to the docker binary, or set IMAGESMITH_ENGINE=podman|buildah',
      this.name,
    );
  }

  async info(): Promise<void> {
    const result = await this.call(['version', '--format', '{{.Server.Version}}'], {
      timeoutMs: 30_000,
    });
    this.check(
      result,
      `at ${this.binary} cannot reach its daemon; \`${this.binary} version\``,
      START_DOCKERD,
    );
  }

  protected prepareBuild(req: BuildRequest, dir: string): PreparedBuild {
    const values = secretValues(req.secrets ?? [], this.env, this.name);
    const argv = buildArgv('docker', req, {
      iidfile: join(dir, 'iid'),
      hostPlatform: this.platform,
    });
    return { argv, env: { DOCKER_BUILDKIT: '1' }, secretValues: values };
  }

  private runArgv(req: RunRequest, head: string[]): string[] {
    const argv = [...head, ...dockerRunOptions(req)];
    if (req.entrypoint !== undefined) argv.push('--entrypoint', req.entrypoint);
    return [...argv, req.image, ...req.command];
  }

  async run(req: RunRequest): Promise<RunResult> {
    return this.runCall(this.runArgv(req, ['run', '--rm']), req.timeoutMs);
  }

  async startContainer(req: ContainerRequest): Promise<Container> {
    await this.removeContainer(req.name);
    // --rm: a container whose command ends (validate's bounded sleep) leaves nothing behind.
    this.check(
      await this.call(this.runArgv(req, ['run', '-d', '--rm', '--name', req.name])),
      `run -d --name ${req.name} ${req.image}`,
      `check that ${req.image} exists locally and its run flags (${(req.runFlags ?? []).join(' ') || 'none'}) work on this host`,
    );
    return { name: req.name, request: req, enter: [this.binary, 'exec', '-it', req.name, 'bash'] };
  }

  async execContainer(c: Container, req: ExecRequest): Promise<RunResult> {
    const user = req.user !== undefined ? ['--user', req.user] : [];
    return this.runCall(['exec', ...user, c.name, ...req.command], req.timeoutMs);
  }

  async removeContainer(name: string): Promise<boolean> {
    // docker 20.10 answers `rm -f` of a missing container with exit 0 and "No such container".
    const r = await this.call(['rm', '-f', name]);
    return r.exitCode === 0 && !/no such container/i.test(r.stderr);
  }

  async inspect(ref: string): Promise<ImageInfo | null> {
    const result = await this.call(['image', 'inspect', ref]);
    if (result.exitCode !== 0 && isNoSuchImage(result)) return null;
    this.check(
      result,
      `image inspect ${ref}`,
      `check that the ${this.name} engine answers (\`${this.binary} info\`)`,
    );
    const parsed: unknown = JSON.parse(result.stdout);
    const first = Array.isArray(parsed)
      ? (parsed[0] as Record<string, unknown> | undefined)
      : undefined;
    return first ? imageInfoFromDockerInspect(first, ref) : null;
  }

  async tag(source: string, target: string): Promise<void> {
    this.check(
      await this.call(['tag', source, target]),
      `tag ${source} ${target}`,
      `check that ${source} exists locally and ${target} is a valid name`,
    );
  }

  protected pushArgs(ref: string, _digestFile: string): string[] {
    return ['push', ref];
  }

  async push(ref: string): Promise<{ digest?: string }> {
    const dir = this.tempDir('push');
    try {
      const digestFile = join(dir, 'digest');
      const result = await this.call(this.pushArgs(ref, digestFile));
      this.check(
        result,
        `push ${ref}`,
        `check the registry is up and you are logged in to it (imagesmith login), and that ${ref} exists locally`,
      );
      return this.pushedDigest(result.stdout, digestFile);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  protected pushedDigest(stdout: string, _digestFile: string): { digest?: string } {
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
    return digest ? { digest } : {};
  }

  protected pullArgs(ref: string): string[] {
    return ['pull', '-q', ref];
  }

  async pull(ref: string): Promise<void> {
    this.check(
      await this.call(this.pullArgs(ref)),
      `pull ${ref}`,
      'check the reference, that the registry is reachable and that you are logged in to it',
    );
  }

  protected loginArgs(registry: string, username: string): string[] {
    return ['login', registry, '-u', username, '--password-stdin'];
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const result = await this.call(this.loginArgs(registry, username), {
      input: password,
      timeoutMs: 120_000,
    });
    this.check(
      result,
      `login to ${registry} as ${username}`,
      'check the registry address, user name and password (or token)',
      [password],
    );
  }

  async history(ref: string): Promise<string[]> {
    const result = await this.call(['history', '--no-trunc', '--format', '{{.CreatedBy}}', ref]);
    this.check(
      result,
      `history ${ref}`,
      `check that ${ref} exists locally (pull or build it first)`,
    );
    return lines(result.stdout);
  }

  async remove(ref: string): Promise<void> {
    const result = await this.call(['image', 'rm', ref]);
    if (result.exitCode !== 0 && isNoSuchImage(result)) return;
    this.check(result, `image rm ${ref}`, `stop containers that use ${ref}, then remove it again`);
  }
}
