import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArgv } from './build-argv';
import type { PreparedBuild } from './cli-engine';
import { DockerEngine } from './docker-engine';
import { EngineError } from './errors';
import { isLoopbackRegistry, registryOf } from './parse-image-ref';
import { registriesConfEnv } from './registries-conf';
import { materializeEnvSecrets, secretValues } from './secret-files';
import type { BuildRequest, EngineName } from './types';

/**
 * Podman: docker-compatible CLI. Builds run with `--isolation chroot --layers`; loopback registries
 * (127.0.0.0/8, localhost) are used over plain http (--tls-verify=false, or an insecure entry in a
 * private registries.conf for FROM lines).
 */
export class PodmanEngine extends DockerEngine {
  override readonly name: EngineName = 'podman';

  protected override notInstalled(): EngineError {
    return new EngineError(
      `podman is not installed (no executable "${this.binary}"): \`apt-get install -y podman\`, set IMAGESMITH_PODMAN to its path, ` +
        'or use docker (`apt-get install -y docker.io`, IMAGESMITH_ENGINE=docker)',
      this.name,
    );
  }

  override async info(): Promise<void> {
    const result = await this.call(['info', '--format', '{{.Version.Version}}'], {
      timeoutMs: 30_000,
    });
    this.check(
      result,
      `at ${this.binary} is not usable; \`${this.binary} info\``,
      'run `podman info` to see why (storage, cgroups), or set IMAGESMITH_ENGINE=docker',
    );
  }

  /** podman builds with its own buildah: no buildx builder to ask. */
  override async platforms(): Promise<string[] | null> {
    return null;
  }

  override async buildsIntoEngine(): Promise<boolean> {
    return true;
  }

  protected override builtDigest(_dir: string): string | undefined {
    return undefined;
  }

  protected override async prepareBuild(req: BuildRequest, dir: string): Promise<PreparedBuild> {
    if (req.output === 'registry')
      throw new EngineError(
        'podman cannot push straight from the build: set IMAGESMITH_BUILD_OUTPUT=engine (then `push`)',
        this.name,
      );
    const values = secretValues(req.secrets ?? [], this.env, this.name);
    const secrets = materializeEnvSecrets(req.secrets ?? [], this.env, dir, this.name);
    if (req.cacheFrom?.length)
      req.onOutput?.(
        'imagesmith: cacheFrom is ignored by podman (it reuses local layers with --layers)',
      );
    const argv = buildArgv(
      'podman',
      { ...req, secrets },
      { iidfile: join(dir, 'iid'), hostPlatform: this.platform },
    );
    return {
      argv,
      env: registriesConfEnv(req.dockerfile, dir, this.env, req.buildArgs),
      secretValues: values,
    };
  }

  private tls(ref: string): string[] {
    return isLoopbackRegistry(registryOf(ref)) ? ['--tls-verify=false'] : [];
  }

  protected override pushArgs(ref: string, digestFile: string): string[] {
    return ['push', ...this.tls(ref), '--digestfile', digestFile, ref];
  }

  protected override pushedDigest(stdout: string, digestFile: string): { digest?: string } {
    try {
      const digest = readFileSync(digestFile, 'utf8').trim();
      if (digest) return { digest };
    } catch {
      // fall back to the output
    }
    return super.pushedDigest(stdout, digestFile);
  }

  protected override pullArgs(ref: string): string[] {
    return ['pull', '-q', ...this.tls(ref), ref];
  }

  protected override loginArgs(registry: string, username: string): string[] {
    const tls = isLoopbackRegistry(registry) ? ['--tls-verify=false'] : [];
    return ['login', ...tls, '-u', username, '--password-stdin', registry];
  }
}
