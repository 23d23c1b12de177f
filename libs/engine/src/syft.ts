import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { defaultExec, makeWhich, type Exec, type Which } from './exec';
import type { EngineName } from './types';

/** The syft .ci/build-go-tools.sh builds (IMAGESMITH_SYFT_VERSION overrides both). */
export const SYFT_VERSION = 'v1.57.2';

/** How a person gets syft when imagesmith finds none. */
export function syftInstallHint(env: NodeJS.ProcessEnv = process.env): string {
  const version = env.IMAGESMITH_SYFT_VERSION || SYFT_VERSION;
  return `install syft ${version} (\`go install github.com/anchore/syft/cmd/syft@${version}\`, or \`bash .ci/build-go-tools.sh\` in imagesmith's checkout) and put it on PATH, or set IMAGESMITH_SYFT to its path`;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The syft to run: IMAGESMITH_SYFT (a path; one that is not executable is an error, not a
 * fallback), else `syft` on PATH, else the machine's tool cache that .ci/build-go-tools.sh fills
 * (${IMAGESMITH_TOOL_CACHE:-/var/cache/imagesmith}/syft-<version>/syft). undefined when none.
 */
export function findSyft(
  env: NodeJS.ProcessEnv = process.env,
  which: Which = makeWhich(env),
): { path?: string; problem?: string } {
  const set = env.IMAGESMITH_SYFT;
  if (set !== undefined && set !== '') {
    return executable(set)
      ? { path: set }
      : { problem: `IMAGESMITH_SYFT=${set} is not an executable file; ${syftInstallHint(env)}` };
  }
  const onPath = which('syft');
  if (onPath) return { path: onPath };
  const cached = join(
    env.IMAGESMITH_TOOL_CACHE || '/var/cache/imagesmith',
    `syft-${env.IMAGESMITH_SYFT_VERSION || SYFT_VERSION}`,
    'syft',
  );
  if (executable(cached)) return { path: cached };
  return { problem: `syft is not installed: ${syftInstallHint(env)}` };
}

/**
 * The syft source of an image the engine holds locally: the docker daemon's or podman's image
 * store directly; buildah's through an OCI archive the caller exports first (syft cannot read
 * buildah's storage: `buildah push REF oci-archive:FILE`).
 * https://github.com/anchore/syft/wiki/supported-sources
 */
export function localImageSource(engine: EngineName, ref: string, archive: string): string {
  if (engine === 'docker') return `docker:${ref}`;
  if (engine === 'podman') return `podman:${ref}`;
  return `oci-archive:${archive}`;
}

/**
 * argv (after the syft binary) of one scan writing each `format=file` it is given, e.g.
 * `syft-json=/tmp/a.json`, `spdx-json=/tmp/a.spdx.json`. `platform`: one platform of a
 * multi-platform image (`--platform linux/arm64`).
 */
export function syftScanArgv(
  source: string,
  outputs: Record<string, string>,
  platform?: string,
): string[] {
  const argv = ['scan', source, '--quiet'];
  if (platform) argv.push('--platform', platform);
  for (const [format, file] of Object.entries(outputs)) argv.push('-o', `${format}=${file}`);
  return argv;
}

/**
 * The environment of a syft scan: plain HTTP for registries on this machine (127.0.0.1,
 * localhost), as the engines treat them; no update check (these machines reach no GitHub).
 */
export function syftEnv(source: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const local = /^registry:(127\.0\.0\.1|localhost)(:\d+)?\//.test(source);
  return {
    ...env,
    SYFT_CHECK_FOR_APP_UPDATE: 'false',
    ...(local ? { SYFT_REGISTRY_INSECURE_USE_HTTP: 'true' } : {}),
  };
}

/** Runs one scan; throws an Error with syft's last lines when it fails. */
export async function runSyft(
  syft: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  exec: Exec = defaultExec,
): Promise<void> {
  const result = await exec(syft, argv, { env, timeoutMs: 15 * 60_000 });
  if (result.exitCode !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`syft ${argv.slice(0, 2).join(' ')} failed (exit ${result.exitCode}): ${tail}`);
  }
}

/**
 * Writes the OCI archive localImageSource names for buildah (syft reads neither its storage nor
 * its manifest lists); nothing to do for docker and podman, whose stores syft reads itself.
 */
export async function exportForSyft(
  engine: { name: EngineName; binary: string },
  ref: string,
  archive: string,
  env: NodeJS.ProcessEnv = process.env,
  exec: Exec = defaultExec,
): Promise<void> {
  if (engine.name !== 'buildah') return;
  const driver = env.IMAGESMITH_BUILDAH_STORAGE_DRIVER ?? 'overlay';
  const argv = ['--storage-driver', driver, 'push', ref, `oci-archive:${archive}`];
  const result = await exec(engine.binary, argv, { env });
  if (result.exitCode !== 0)
    throw new Error(`buildah push ${ref} oci-archive:${archive} failed: ${result.stderr.trim()}`);
}
