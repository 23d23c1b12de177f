import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArgv, normalizePlatform } from './build-argv';
import { CliEngine, isNoSuchImage, type EngineOptions, type PreparedBuild } from './cli-engine';
import { EngineError } from './errors';
import { historyFromBuildah, imageInfoFromBuildah } from './buildah-image-info';
import { normalizeImageId } from './image-info';
import { emulatedPlatforms } from './emulation';
import { isLoopbackRegistry, registryOf } from './parse-image-ref';
import { registriesConfEnv } from './registries-conf';
import { materializeEnvSecrets, secretValues } from './secret-files';
import { buildahRunOptions, processArgv } from './run-argv';
import { buildahContainerExists } from './container-state';
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

type Json = Record<string, unknown>;

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

  /**
   * Several platforms build into a fresh, privately named manifest list (`bud --manifest` adds to
   * a list that exists, so a list left by an earlier build of the same tag would keep its images);
   * only a complete build moves the tags onto it, so a failed one leaves no tag naming half a list.
   */
  override async build(req: BuildRequest): Promise<BuildResult> {
    const platforms = [...new Set((req.platforms ?? []).map(normalizePlatform))];
    if (platforms.length < 2) return super.build(req);
    if (req.tags.length === 0)
      throw new EngineError(
        'a multi-platform buildah build needs a tag to name its manifest list',
        this.name,
      );
    const can = (await this.platforms()) ?? [];
    const missing = platforms.filter((p) => !can.includes(p));
    if (missing.length > 0)
      throw new EngineError(
        `buildah cannot build ${missing.join(', ')}: this machine runs ${can.join(', ')}. What to do: register qemu for it (\`bash .ci/setup-engine.sh\` registers linux/arm64 with binfmt_misc), or build one platform with \`build --platform ${can[0]}\``,
        this.name,
      );
    const list = `localhost/imagesmith-build-list:${randomBytes(6).toString('hex')}`;
    this.buildList.set(req, list);
    try {
      const result = await super.build(req);
      const id = await this.listId(list);
      if (!id)
        throw new EngineError(
          `buildah built ${req.dockerfile} for ${platforms.join(', ')} but left no manifest list ${list}: check \`buildah manifest inspect ${list}\` and the buildah version (>= 1.28)`,
          this.name,
        );
      for (const t of req.tags) await this.tag(list, t);
      return { ...result, imageId: id };
    } finally {
      this.buildList.delete(req);
      // Untags the private name only: the list keeps req.tags (after a failure it goes entirely).
      // `rmi` cannot: it looks the name up as the instance of this platform ("tag not known").
      await this.call(['manifest', 'rm', list]);
    }
  }

  /**
   * The storage id of the manifest list `ref` names; undefined when it names an image. `buildah
   * inspect` (and `buildah images REF`) of a list describe the instance of this machine's platform;
   * `buildah images --filter reference=REF` lists the list itself: their ids differ only for a
   * list. Local only (no registry is asked, unlike `buildah manifest inspect`).
   */
  private async listId(ref: string, raw?: Json | null): Promise<string | undefined> {
    const listed = await this.call([
      'images',
      '--json',
      '--no-trunc',
      '--filter',
      `reference=${ref}`,
    ]);
    if (listed.exitCode !== 0) return undefined;
    const entries = JSON.parse(listed.stdout || '[]') as Json[];
    const entry = entries.find((e) => Array.isArray(e.names) && e.names.includes(ref));
    const id = typeof entry?.id === 'string' ? normalizeImageId(entry.id) : undefined;
    const instance = (raw ?? (await this.inspectRaw(ref)))?.FromImageID;
    return id && id !== normalizeImageId(String(instance ?? '')) ? id : undefined;
  }

  private tls(ref: string): string[] {
    return isLoopbackRegistry(registryOf(ref)) ? ['--tls-verify=false'] : [];
  }

  private async inspectRaw(ref: string): Promise<Json | null> {
    const result = await this.call(['inspect', '--type', 'image', ref]);
    if (result.exitCode !== 0 && isNoSuchImage(result)) return null;
    this.check(result, `inspect ${ref}`, `run \`buildah images\` to check the local store`);
    return JSON.parse(result.stdout) as Json;
  }

  async run(req: RunRequest): Promise<RunResult> {
    const raw = await this.inspectRaw(req.image);
    if (!raw) {
      return {
        exitCode: 125,
        stdout: '',
        stderr: `Unable to find image '${req.image}' locally: pull or build it first`,
      };
    }
    const argv = processArgv(((raw.OCIv1 as Json | undefined)?.config ?? {}) as Json, req);
    const options = buildahRunOptions(req, this.name);
    const from = await this.call(['from', '--pull-never', ...platformArgs(req), req.image]);
    this.check(
      from,
      `from ${req.image}`,
      `check that ${req.image} exists locally (\`buildah images\`)`,
    );
    const container = from.stdout.trim().split('\n').pop() ?? '';
    try {
      // Default (OCI/runc) isolation: chroot isolation cannot give a container its own (empty) network.
      return await this.runCall(['run', ...options, container, '--', ...argv], req.timeoutMs);
    } finally {
      await this.call(['rm', container]);
    }
  }

  /**
   * A named working container (`buildah from --name`): nothing runs in it between calls, so
   * req.command is not started; each execContainer is a `buildah run` with req's network, mounts,
   * flags and workdir, in its own PID namespace (OCI isolation).
   */
  async startContainer(req: ContainerRequest): Promise<Container> {
    const options = buildahRunOptions(req, this.name);
    await this.removeContainer(req.name);
    this.check(
      await this.call([
        'from',
        '--pull-never',
        ...platformArgs(req),
        '--name',
        req.name,
        req.image,
      ]),
      `from --name ${req.name} ${req.image}`,
      `check that ${req.image} exists locally (\`buildah images\`)`,
    );
    const enter = [this.binary, ...this.globalArgs(), 'run', ...options, req.name, '--', 'bash'];
    return { name: req.name, request: req, enter };
  }

  async execContainer(c: Container, req: ExecRequest): Promise<RunResult> {
    const options = buildahRunOptions(
      { ...c.request, user: req.user ?? c.request.user },
      this.name,
    );
    return this.runCall(['run', ...options, c.name, '--', ...req.command], req.timeoutMs);
  }

  async removeContainer(name: string): Promise<boolean> {
    return (await this.call(['rm', name])).exitCode === 0;
  }

  async runningContainer(req: ContainerRequest): Promise<Container | null> {
    if (!(await buildahContainerExists((a) => this.call(a), req.name))) return null;
    const options = buildahRunOptions(req, this.name);
    const enter = [this.binary, ...this.globalArgs(), 'run', ...options, req.name, '--', 'bash'];
    return { name: req.name, request: req, enter };
  }

  async inspect(ref: string): Promise<ImageInfo | null> {
    const raw = await this.inspectRaw(ref);
    if (!raw) return null;
    const listed = await this.call(['images', '--json', ref]);
    const entries = listed.exitCode === 0 ? (JSON.parse(listed.stdout || '[]') as Json[]) : [];
    const info = imageInfoFromBuildah(raw, entries[0] ?? {});
    // A manifest list is known by its own id: tagging by it moves the whole list, not one instance.
    const list = await this.listId(ref, raw);
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
      const argv = (await this.listId(ref))
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
    const raw = await this.inspectRaw(ref);
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

/** `buildah from` picks this instance of a manifest list (the image's own platform otherwise). */
function platformArgs(req: RunRequest): string[] {
  return req.platform !== undefined ? ['--platform', req.platform] : [];
}
