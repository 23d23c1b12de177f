import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePlatform } from './build-argv';
import { buildxArgv, metadataDigest } from './buildx-argv';
import { parseBuilder, type BuilderInfo } from './buildx-builder';
import { emulatedPlatforms } from './emulation';
import {
  CliEngine,
  isNoSuchImage,
  lines,
  type EngineOptions,
  type PreparedBuild,
} from './cli-engine';
import { EngineError } from './errors';
import { imageInfoFromDockerInspect } from './image-info';
import { secretValues, valueSecretsAsEnv } from './secret-files';
import { dockerRunOptions } from './run-argv';
import { ensureNetwork, publishOptions } from './container-ports';
import { dockerContainerRunning } from './container-state';
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

/** The oldest Docker Engine imagesmith drives: buildx, the containerd image store, cache export. */
export const MIN_DOCKER_MAJOR = 25;

const INSTALL_MODERN =
  'install Docker >= 25 with buildx and the containerd image store (`bash .ci/setup-engine.sh` does it on Debian; elsewhere docs.docker.com/engine/install), or set IMAGESMITH_ENGINE=buildah';

/**
 * Docker through its CLI, building with buildx (`docker buildx build`): the engine's own `docker`
 * driver by default, or any builder named by `builder` (a `remote` BuildKit fleet, `kubernetes`).
 */
export class DockerEngine extends CliEngine {
  readonly name: EngineName = 'docker';
  /** The buildx builder to use; buildx's current one when unset. */
  readonly builder?: string;
  private builderInfo?: Promise<BuilderInfo>;
  private containerdStore = false;

  constructor(binary: string, opts: EngineOptions = {}) {
    super(binary, opts);
    this.builder = opts.builder;
  }

  protected notInstalled(): EngineError {
    return new EngineError(
      `docker is not installed (no executable "${this.binary}"): \`apt-get install -y docker.io\` (or bash .ci/setup-engine.sh), ` +
        'set IMAGESMITH_DOCKER to the docker binary, or set IMAGESMITH_ENGINE=podman|buildah',
      this.name,
    );
  }

  /** Checks the daemon (version, image store) and the builder once per engine object. */
  async info(): Promise<void> {
    const result = await this.call(
      ['info', '--format', '{{.ServerVersion}}|{{json .DriverStatus}}'],
      { timeoutMs: 30_000 },
    );
    this.check(
      result,
      `at ${this.binary} cannot reach its daemon; \`${this.binary} info\``,
      START_DOCKERD,
    );
    const [version = '', status = ''] = result.stdout.trim().split('|');
    // `docker info` prints the client part and exits 0 when the daemon does not answer.
    if (!version)
      this.check(
        { ...result, exitCode: result.exitCode || 1 },
        `at ${this.binary} cannot reach its daemon; \`${this.binary} info\``,
        START_DOCKERD,
      );
    const major = Number.parseInt(version, 10);
    if (!(major >= MIN_DOCKER_MAJOR))
      throw new EngineError(
        `Docker ${version || '(unknown version)'} at ${this.binary} is not supported: imagesmith builds with buildx and needs Docker >= ${MIN_DOCKER_MAJOR} (Docker 20.10's BuildKit cannot export a build cache, build several platforms or attest). What to do: ${INSTALL_MODERN}`,
        this.name,
      );
    this.containerdStore = status.includes('io.containerd.snapshotter');
    await this.describeBuilder();
  }

  /** The builder's driver and platforms, asked once (`docker buildx inspect`). */
  describeBuilder(): Promise<BuilderInfo> {
    this.builderInfo ??= (async () => {
      const argv = ['buildx', 'inspect', ...(this.builder ? [this.builder] : [])];
      const r = await this.call(argv, { timeoutMs: 60_000 });
      if (r.exitCode !== 0 && /is not a docker command|unknown command/i.test(r.stderr))
        throw new EngineError(
          `docker buildx is not installed (\`${this.binary} buildx version\` fails). What to do: ${INSTALL_MODERN}`,
          this.name,
        );
      this.check(
        r,
        `buildx inspect ${this.builder ?? '(current builder)'}`,
        this.builder
          ? `create the builder (\`docker buildx create --name ${this.builder} --driver remote unix:///run/buildkit/buildkitd.sock\`), or unset IMAGESMITH_BUILDER / "builder" in imagesmith.json to use the engine's own`
          : 'check `docker buildx ls`',
      );
      return parseBuilder(r.stdout);
    })();
    return this.builderInfo;
  }

  override async buildsIntoEngine(): Promise<boolean> {
    return (await this.describeBuilder()).driver === 'docker';
  }

  /** Native and emulated platforms of the builder, normalized. */
  override async platforms(): Promise<string[] | null> {
    const b = await this.describeBuilder();
    const native = b.platforms.map(normalizePlatform);
    // moby's own BuildKit lists only the host's platforms, but runs any that binfmt_misc emulates.
    const local = b.driver === 'docker' && !/^(tcp|ssh):/.test(this.env.DOCKER_HOST ?? '');
    return [...new Set([...native, ...(local ? emulatedPlatforms() : [])])];
  }

  protected async prepareBuild(req: BuildRequest, dir: string): Promise<PreparedBuild> {
    const values = secretValues(req.secrets ?? [], this.env, this.name);
    const builder = await this.describeBuilder();
    await this.requirePlatforms(req.platforms ?? [], builder);
    if (req.output === 'registry' && builder.driver === 'docker' && !this.containerdStore)
      throw new EngineError(
        `the docker builder cannot push straight to a registry without the containerd image store. What to do: turn it on ("features": {"containerd-snapshotter": true} in daemon.json), use another builder (IMAGESMITH_BUILDER), or set IMAGESMITH_BUILD_OUTPUT=engine`,
        this.name,
      );
    const { secrets, env } = valueSecretsAsEnv(req.secrets ?? []);
    const argv = buildxArgv(
      { ...req, secrets },
      {
        iidfile: join(dir, 'iid'),
        metadataFile: join(dir, 'metadata.json'),
        builder: this.builder,
        driver: builder.driver,
        cacheExport: builder.driver !== 'docker' || this.containerdStore,
      },
    );
    return { argv, env, secretValues: values };
  }

  private async requirePlatforms(wanted: readonly string[], builder: BuilderInfo): Promise<void> {
    if (wanted.length === 0) return;
    const can = (await this.platforms()) ?? [];
    const missing = [...new Set(wanted.map(normalizePlatform))].filter((p) => !can.includes(p));
    if (missing.length > 0)
      throw new EngineError(
        `the ${builder.name} builder (driver ${builder.driver}) cannot build ${missing.join(', ')}: it runs ${can.join(', ') || 'no platform it reports'}. What to do: register qemu for it (\`bash .ci/setup-engine.sh\` registers linux/arm64 with binfmt_misc), use a builder that has it (IMAGESMITH_BUILDER), or build one platform with \`build --platform ${can[0] ?? 'linux/amd64'}\``,
        this.name,
      );
  }

  protected override builtDigest(dir: string): string | undefined {
    try {
      return metadataDigest(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    } catch {
      return undefined;
    }
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
    await ensureNetwork((a) => this.call(a), req.network, this.name);
    // --rm: a container whose command ends (validate's bounded sleep) leaves nothing behind.
    const head = ['run', '-d', '--rm', '--name', req.name, ...publishOptions(req)];
    this.check(
      await this.call(this.runArgv(req, head)),
      `run -d --name ${req.name} ${req.image}`,
      `check that ${req.image} exists locally and its run flags (${(req.runFlags ?? []).join(' ') || 'none'}) work on this host`,
    );
    return { name: req.name, request: req, enter: [this.binary, 'exec', '-it', req.name, 'bash'] };
  }

  async execContainer(c: Container, req: ExecRequest): Promise<RunResult> {
    const user = req.user !== undefined ? ['--user', req.user] : [];
    return this.runCall(['exec', ...user, c.name, ...req.command], req.timeoutMs);
  }

  async runningContainer(req: ContainerRequest): Promise<Container | null> {
    if (!(await dockerContainerRunning((a) => this.call(a), req.name))) return null;
    return { name: req.name, request: req, enter: [this.binary, 'exec', '-it', req.name, 'bash'] };
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

  async push(ref: string, opts: { timeoutMs?: number } = {}): Promise<{ digest?: string }> {
    const dir = this.tempDir('push');
    try {
      const digestFile = join(dir, 'digest');
      const result = await this.call(this.pushArgs(ref, digestFile), {
        timeoutMs: opts.timeoutMs,
      });
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
