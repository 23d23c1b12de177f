import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArgv, normalizePlatform } from './build-argv';
import {
  execBuildahContainer,
  buildahRun,
  removeBuildahContainer,
  runningBuildahContainer,
  startBuildahContainer,
} from './buildah-containers';
import { historyFromBuildah, imageInfoFromBuildah } from './buildah-image-info';
import { buildahInspectRaw, type Json } from './buildah-inspect';
import { buildahListId, buildManifestList } from './buildah-manifest-list';
import { CliEngine, isNoSuchImage, type EngineOptions, type PreparedBuild } from './cli-engine';
import { EngineError } from './errors';
import { emulatedPlatforms } from './emulation';
import { isLoopbackRegistry, registryOf } from './parse-image-ref';
import { registriesConfEnv } from './registries-conf';
import { materializeEnvSecrets, secretValues } from './secret-files';
import type {
  BuildRequest,
  BuildResult,
  Container,
  ContainerRequest,
  EngineName,
  ExecRequest,
  ImageInfo,
  RunRequest,
  RunResult,
} from './types';

/**
 * buildah: daemonless builds (`buildah --storage-driver overlay bud --isolation chroot --layers`).
 * Containers run with `buildah from` + `buildah run` (default OCI isolation, so --network none
 * works). Several platforms build into a fresh manifest list that then takes every tag (`buildah
 * tag` names the list itself); a list is pushed with `buildah manifest push --all`.
 */
export class BuildahEngine extends CliEngine {
  readonly name: EngineName = 'buildah';
  private readonly storageDriver: string;

  constructor(binary: string, opts: EngineOptions = {}) {
    super(binary, opts);
    this.storageDriver =
      opts.storageDriver ?? this.env.IMAGESMITH_BUILDAH_STORAGE_DRIVER ?? 'overlay';
  }

  protected override globalArgs(): string[] {
    return ['--storage-driver', this.storageDriver];
  }

  protected notInstalled(): EngineError {
    return new EngineError(
      `buildah is not installed (no executable "${this.binary}"): \`apt-get install -y buildah\`, set IMAGESMITH_BUILDAH to its path, ` +
        'or use docker (`apt-get install -y docker.io`, IMAGESMITH_ENGINE=docker)',
      this.name,
    );
  }

  async info(): Promise<void> {
    const result = await this.call(['info'], { timeoutMs: 30_000 });
    this.check(
      result,
      `at ${this.binary} is not usable; \`${this.binary} info\``,
      'run `buildah info` to see why (storage driver, cgroups), or set IMAGESMITH_ENGINE=docker',
    );
  }

  protected prepareBuild(req: BuildRequest, dir: string): PreparedBuild {
    if (req.output === 'registry')
      throw new EngineError(
        'buildah cannot push straight from the build: set IMAGESMITH_BUILD_OUTPUT=engine (then `push`), or build with docker buildx',
        this.name,
      );
    const values = secretValues(req.secrets ?? [], this.env, this.name);
    const secrets = materializeEnvSecrets(req.secrets ?? [], this.env, dir, this.name);
    const manifest = this.buildList.get(req);
    if (req.cacheFrom?.length)
      req.onOutput?.(
        'imagesmith: cacheFrom is ignored by buildah (it reuses local layers with --layers)',
      );
    const argv = buildArgv(
      'buildah',
      { ...req, secrets },
      { iidfile: join(dir, 'iid'), hostPlatform: this.platform, manifest },
    );
    if (manifest) {
      // buildah refuses --iidfile with several platforms ("can only be used to store one image
      // ID"); the list's own id replaces this stand-in once the build is done (build below).
      argv.splice(argv.indexOf('--iidfile'), 2);
      writeFileSync(join(dir, 'iid'), `sha256:${'0'.repeat(64)}\n`);
    }
    return {
      argv,
      env: registriesConfEnv(req.dockerfile, dir, this.env, req.buildArgs),
      secretValues: values,
    };
  }

  /** The manifest list each multi-platform build in progress builds into. */
  private readonly buildList = new Map<BuildRequest, string>();

  /** This machine's platform and those binfmt_misc runs through qemu (buildah's RUN steps too). */
  override async platforms(): Promise<string[] | null> {
    return [...new Set([normalizePlatform(this.platform), ...emulatedPlatforms()])];
  }

  /** See buildah-manifest-list.ts: several platforms build into a fresh manifest list. */
  override async build(req: BuildRequest): Promise<BuildResult> {
    const platforms = [...new Set((req.platforms ?? []).map(normalizePlatform))];
    if (platforms.length < 2) return super.build(req);
    return buildManifestList(this.cli, req, platforms, {
      platforms: () => this.platforms(),
      build: (list) => {
        this.buildList.set(req, list);
        return super.build(req);
      },
      done: () => this.buildList.delete(req),
      tag: (source, target) => this.tag(source, target),
    });
  }

  private tls(ref: string): string[] {
    return isLoopbackRegistry(registryOf(ref)) ? ['--tls-verify=false'] : [];
  }

  async run(req: RunRequest): Promise<RunResult> {
    return buildahRun(this.cli, req);
  }

  async startContainer(req: ContainerRequest): Promise<Container> {
    return startBuildahContainer(this.cli, req);
  }

  async execContainer(c: Container, req: ExecRequest): Promise<RunResult> {
    return execBuildahContainer(this.cli, c, req);
  }

  async removeContainer(name: string): Promise<boolean> {
    return removeBuildahContainer(this.cli, name);
  }

  async runningContainer(req: ContainerRequest): Promise<Container | null> {
    return runningBuildahContainer(this.cli, req);
  }

  async inspect(ref: string): Promise<ImageInfo | null> {
    const raw = await buildahInspectRaw(this.cli, ref);
    if (!raw) return null;
    const listed = await this.call(['images', '--json', ref]);
    const entries = listed.exitCode === 0 ? (JSON.parse(listed.stdout || '[]') as Json[]) : [];
    const info = imageInfoFromBuildah(raw, entries[0] ?? {});
    // A manifest list is known by its own id: tagging by it moves the whole list, not one instance.
    const list = await buildahListId(this.cli, ref, raw);
    return list ? { ...info, id: list } : info;
  }

  async tag(source: string, target: string): Promise<void> {
    this.check(
      await this.call(['tag', source, target]),
      `tag ${source} ${target}`,
      `check that ${source} exists locally`,
    );
  }

  async push(ref: string, opts: { timeoutMs?: number } = {}): Promise<{ digest?: string }> {
    const dir = this.tempDir('push');
    try {
      const digestFile = join(dir, 'digest');
      const argv = (await buildahListId(this.cli, ref))
        ? [
            'manifest',
            'push',
            '--all',
            ...this.tls(ref),
            '--digestfile',
            digestFile,
            ref,
            `docker://${ref}`,
          ]
        : ['push', ...this.tls(ref), '--digestfile', digestFile, ref, `docker://${ref}`];
      this.check(
        await this.call(argv, { timeoutMs: opts.timeoutMs }),
        `push ${ref}`,
        'check the registry is up and you are logged in to it',
      );
      let digest = '';
      try {
        digest = readFileSync(digestFile, 'utf8').trim();
      } catch {
        // no digest file: leave it out
      }
      return digest ? { digest } : {};
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async pull(ref: string): Promise<void> {
    this.check(
      await this.call(['pull', '-q', ...this.tls(ref), ref]),
      `pull ${ref}`,
      'check the reference, the registry and your login',
    );
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const tls = isLoopbackRegistry(registry) ? ['--tls-verify=false'] : [];
    const result = await this.call(
      ['login', ...tls, '-u', username, '--password-stdin', registry],
      { input: password, timeoutMs: 120_000 },
    );
    this.check(
      result,
      `login to ${registry} as ${username}`,
      'check the registry address, user name and password (or token)',
      [password],
    );
  }

  async history(ref: string): Promise<string[]> {
    const raw = await buildahInspectRaw(this.cli, ref);
    if (!raw) {
      throw new EngineError(
        `buildah history: ${ref} is not in the local store: pull or build it first`,
        this.name,
      );
    }
    return historyFromBuildah(raw);
  }

  async remove(ref: string): Promise<void> {
    const result = await this.call(['rmi', ref]);
    if (result.exitCode !== 0 && isNoSuchImage(result)) return;
    this.check(
      result,
      `rmi ${ref}`,
      `remove the containers using ${ref} (\`buildah rm --all\`), then try again`,
    );
  }
}
