import { EngineError } from './errors';
import { secretArg } from './secret-files';
import type { BuildRequest, EngineName } from './types';

export interface BuildArgvContext {
  /** File the engine writes the built image id to. */
  iidfile: string;
  /** The host's platform, e.g. linux/amd64 (see hostPlatform()). */
  hostPlatform: string;
  /** buildah only: with several platforms, the manifest list to build into. */
  manifest?: string;
}

const SECRET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The platform of this machine in OCI terms. */
export function hostPlatform(arch: string = process.arch): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm/v7',
    ppc64: 'ppc64le',
    s390x: 's390x',
    ia32: '386',
  };
  return `linux/${map[arch] ?? arch}`;
}

/** linux/arm64/v8 and linux/arm64 are the same platform; so are linux/amd64 and linux/x86_64. */
export function normalizePlatform(platform: string): string {
  const p = platform.trim().toLowerCase().replace('x86_64', 'amd64').replace('aarch64', 'arm64');
  return p === 'linux/arm64/v8' ? 'linux/arm64' : p;
}

/** Checks secrets and build args before anything runs; throws EngineError saying what to fix. */
export function validateBuildRequest(req: BuildRequest, engine: EngineName): void {
  const fail = (msg: string) => new EngineError(msg, engine);
  for (const s of req.secrets ?? []) {
    if (!SECRET_ID.test(s.id))
      throw fail(`secret id "${s.id}" is not valid: use letters, digits, '.', '_' and '-' only`);
    if ([s.env, s.src, s.value].filter((v) => v !== undefined).length !== 1) {
      throw fail(
        `secret "${s.id}" needs exactly one of env (a variable name), src (a file path) or value`,
      );
    }
    if (s.env !== undefined && !ENV_NAME.test(s.env))
      throw fail(`secret "${s.id}": "${s.env}" is not an environment variable name`);
    if (s.src !== undefined && /[,\n]/.test(s.src))
      throw fail(`secret "${s.id}": the file path must not contain ',' or a newline`);
  }
  for (const key of Object.keys(req.buildArgs ?? {})) {
    if (!key || key.includes('='))
      throw fail(`build arg name "${key}" is not valid: no '=' and not empty`);
  }
  for (const key of Object.keys(req.labels ?? {})) {
    if (!key || key.includes('='))
      throw fail(`label name "${key}" is not valid: no '=' and not empty`);
  }
  const epoch = req.sourceDateEpoch;
  if (epoch !== undefined && (!Number.isSafeInteger(epoch) || epoch < 0))
    throw fail(`sourceDateEpoch ${epoch} is not a whole number of seconds since 1970 (>= 0)`);
  if (!req.contextDir) throw fail('the build context directory is missing');
  if (!req.dockerfile) throw fail('the Dockerfile path is missing');
}

function platformArgs(
  req: BuildRequest,
  engine: 'buildah' | 'podman',
  ctx: BuildArgvContext,
): string[] {
  const platforms = [...new Set((req.platforms ?? []).map(normalizePlatform))];
  if (platforms.length === 0) return [];
  if (platforms.length === 1)
    return platforms[0] === normalizePlatform(ctx.hostPlatform)
      ? []
      : ['--platform', platforms[0]!];
  if (!ctx.manifest)
    throw new EngineError(
      `a multi-platform ${engine} build needs a manifest list name (the first tag)`,
      engine,
    );
  return ['--platform', platforms.join(','), '--manifest', ctx.manifest];
}

/**
 * The argv (after the binary and any global flags) of one buildah/podman build (docker builds
 * with buildx: see buildx-argv.ts). Secrets appear only as `id=X,env=VAR` or `id=X,src=PATH`;
 * their values never do.
 */
export function buildArgv(
  engine: 'buildah' | 'podman',
  req: BuildRequest,
  ctx: BuildArgvContext,
): string[] {
  const network = req.network ?? 'host';
  const argv: string[] =
    engine === 'buildah'
      ? ['bud', '--isolation', 'chroot', '--layers', '--force-rm']
      : ['build', '--isolation', 'chroot', '--layers', '--force-rm'];
  if (network !== 'default') argv.push('--network', network);
  argv.push('-f', req.dockerfile);
  if (req.target) argv.push('--target', req.target);
  const multi = platformArgs(req, engine, ctx);
  const usesManifest = multi.includes('--manifest');
  if (!usesManifest) for (const tag of req.tags) argv.push('-t', tag);
  for (const [k, v] of Object.entries(req.buildArgs ?? {})) argv.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(req.labels ?? {})) argv.push('--label', `${k}=${v}`);
  for (const s of req.secrets ?? []) argv.push('--secret', secretArg(s));
  if (req.sourceDateEpoch !== undefined) {
    // Fixes the created time and every layer file's mtime: reproducible image ids (buildah-bud(1)).
    // As a build arg too, for RUN steps that declare it: pip's .pyc files (templates/python-base).
    argv.push('--timestamp', String(req.sourceDateEpoch));
    argv.push('--build-arg', `SOURCE_DATE_EPOCH=${req.sourceDateEpoch}`);
  }
  argv.push(...multi);
  argv.push('--iidfile', ctx.iidfile, req.contextDir);
  return argv;
}

/** Throws when a secret's value shows up anywhere in argv (a build arg, label or tag). */
export function assertNoSecretInArgv(
  argv: readonly string[],
  values: readonly string[],
  engine: EngineName,
): void {
  for (const value of values) {
    if (value.length < 4) continue;
    if (argv.some((a) => a.includes(value))) {
      throw new EngineError(
        'a secret value appears in the build command line (as a build arg, label or tag): pass it only through `secrets` (env or src), never as a build arg',
        engine,
      );
    }
  }
}
