import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePlatform } from './build-argv';
import type { BuilderInfo } from './buildx-builder';
import { emulatedPlatforms } from './emulation';
import { CliEngine, type EngineOptions, type PreparedBuild } from './cli-engine';
import { buildxBuiltDigest, prepareDockerBuild } from './docker-build';
import {
  dockerRun,
  execDockerContainer,
  removeDockerContainer,
  runningDockerContainer,
  startDockerContainer,
} from './docker-containers';
import {
  dockerImageHistory,
  inspectDockerImage,
  removeDockerImage,
  tagDockerImage,
} from './docker-images';
import { dockerDaemonInfo, inspectBuilder } from './docker-info';
import { EngineError } from './errors';
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

/**
 * Docker through its CLI, building with buildx (`docker buildx build`): the engine's own `docker`
 * driver by default, or any builder named by `builder` (a `remote` BuildKit fleet, `kubernetes`).
 * The commands live in files named after their task: docker-info (daemon and builder checks),
 * docker-build, docker-containers (run, start, exec), docker-images (inspect, tag, history, rm);
 * push, pull and login stay here, with the argv hooks podman overrides.
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
    this.containerdStore = (await dockerDaemonInfo(this.cli)).containerdStore;
    await this.describeBuilder();
  }

  /** The builder's driver and platforms, asked once (`docker buildx inspect`). */
  describeBuilder(): Promise<BuilderInfo> {
    this.builderInfo ??= inspectBuilder(this.cli, this.builder);
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
    return prepareDockerBuild(
      {
        name: this.name,
        env: this.env,
        builderName: this.builder,
        describeBuilder: () => this.describeBuilder(),
        platforms: () => this.platforms(),
        containerdStore: () => this.containerdStore,
      },
      req,
      dir,
    );
  }

  protected override builtDigest(dir: string): string | undefined {
    return buildxBuiltDigest(dir);
  }

  async run(req: RunRequest): Promise<RunResult> {
    return dockerRun(this.cli, req);
  }

  async startContainer(req: ContainerRequest): Promise<Container> {
    return startDockerContainer(this.cli, req);
  }

  async execContainer(c: Container, req: ExecRequest): Promise<RunResult> {
    return execDockerContainer(this.cli, c, req);
  }

  async runningContainer(req: ContainerRequest): Promise<Container | null> {
    return runningDockerContainer(this.cli, req);
  }

  async removeContainer(name: string): Promise<boolean> {
    return removeDockerContainer(this.cli, name);
  }

  async inspect(ref: string): Promise<ImageInfo | null> {
    return inspectDockerImage(this.cli, ref);
  }

  async tag(source: string, target: string): Promise<void> {
    return tagDockerImage(this.cli, source, target);
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
    return dockerImageHistory(this.cli, ref);
  }

  async remove(ref: string): Promise<void> {
    return removeDockerImage(this.cli, ref);
  }
}
