import { BuildahEngine } from './buildah-engine';
import type { EngineOptions } from './cli-engine';
import { DockerEngine } from './docker-engine';
import { START_DOCKERD } from './docker-info';
import { EngineError } from './errors';
import { makeWhich, type Which } from './exec';
import { PodmanEngine } from './podman-engine';
import type { Engine, EngineName } from './types';

export const ENGINE_NAMES: readonly EngineName[] = ['docker', 'podman', 'buildah'];

export interface DetectOptions extends EngineOptions {
  /** Use this engine (no fallback); wins over IMAGESMITH_ENGINE. `binary` is used only with a choice. */
  prefer?: EngineName;
}

const HOW_TO_GET_ONE =
  'Install and start one: `apt-get install -y docker.io`, then ' +
  START_DOCKERD.replace(/^start a daemon: /, '') +
  '; or install podman/buildah (`apt-get install -y buildah`); or set IMAGESMITH_ENGINE=docker|podman|buildah to choose one.';

function isEngineName(value: string): value is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(value);
}

/**
 * The executable of an engine: IMAGESMITH_DOCKER / IMAGESMITH_PODMAN / IMAGESMITH_BUILDAH when set;
 * for docker then /usr/bin/docker (Debian's 20.10, BuildKit without buildx), then `docker` on PATH.
 */
export function resolveBinary(
  name: EngineName,
  env: NodeJS.ProcessEnv,
  which: Which,
): string | undefined {
  const override = env[`IMAGESMITH_${name.toUpperCase()}`];
  if (override) return which(override) ?? override;
  if (name === 'docker') return which('/usr/bin/docker') ?? which('docker');
  return which(name);
}

/** An engine object without checking that it works (see Engine.info()). */
export function createEngine(name: EngineName, opts: EngineOptions = {}): Engine {
  const env = opts.env ?? process.env;
  const binary = opts.binary ?? resolveBinary(name, env, opts.which ?? makeWhich(env)) ?? name;
  const options = { ...opts, env };
  switch (name) {
    case 'docker':
      return new DockerEngine(binary, options);
    case 'podman':
      return new PodmanEngine(binary, options);
    case 'buildah':
      return new BuildahEngine(binary, options);
    default:
      throw new EngineError(
        `unknown container engine "${String(name)}": use one of ${ENGINE_NAMES.join(', ')}`,
        String(name),
      );
  }
}

/**
 * The engine to use: opts.prefer, else IMAGESMITH_ENGINE (either one must work: no fallback),
 * else the first of docker, podman, buildah that is installed and answers `info`.
 * Remote daemons work through the engine's own settings (DOCKER_HOST, CONTAINER_HOST...).
 */
export async function detectEngine(opts: DetectOptions = {}): Promise<Engine> {
  const env = opts.env ?? process.env;
  const which = opts.which ?? makeWhich(env);
  const { prefer, ...engineOpts } = opts;
  const chosen = prefer ?? env.IMAGESMITH_ENGINE?.trim();
  if (chosen) {
    if (!isEngineName(chosen)) {
      throw new EngineError(
        `IMAGESMITH_ENGINE="${chosen}" is not an engine: set it to one of ${ENGINE_NAMES.join(', ')}, or unset it to auto-detect`,
        chosen,
      );
    }
    const engine = createEngine(chosen, { ...engineOpts, env, which });
    await engine.info();
    return engine;
  }
  const reasons: string[] = [];
  for (const name of ENGINE_NAMES) {
    const binary = resolveBinary(name, env, which); // opts.binary applies to an explicit choice only
    if (!binary) {
      reasons.push(`  ${name}: not installed`);
      continue;
    }
    const engine = createEngine(name, { ...engineOpts, env, which, binary });
    try {
      await engine.info();
      return engine;
    } catch (error) {
      const why =
        error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
      reasons.push(`  ${name} (${binary}): ${why}`);
    }
  }
  throw new EngineError(
    `No usable container engine found:\n${reasons.join('\n')}\n${HOW_TO_GET_ONE}`,
    'auto',
  );
}
