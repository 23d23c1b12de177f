import { EngineError } from './errors';
import type { EngineName, Mount, RunRequest } from './types';

const volume = (m: Mount) => `${m.source}:${m.target}${m.readonly ? ':ro' : ''}`;

/**
 * docker/podman `run` options of a request (platform, network, flags, user, env, mounts, workdir).
 * Pure.
 */
export function dockerRunOptions(req: RunRequest): string[] {
  // The instance of a multi-platform image to start; exec runs in whatever the container is.
  const argv = req.platform !== undefined ? ['--platform', req.platform] : [];
  argv.push('--network', req.network ?? 'none', ...(req.runFlags ?? []));
  if (req.user !== undefined) argv.push('--user', req.user);
  for (const [k, v] of Object.entries(req.env ?? {}).sort()) argv.push('-e', `${k}=${v}`);
  for (const m of req.mounts ?? []) argv.push('-v', volume(m));
  if (req.workdir !== undefined) argv.push('-w', req.workdir);
  return argv;
}

/**
 * `buildah run` options of a request. buildah run takes --device but has no --gpus (NVIDIA GPUs
 * reach a buildah container only through a CDI/OCI hook set up by hand), so a profile flag it
 * cannot honour is refused by name instead of being dropped. Pure.
 */
export function buildahRunOptions(req: RunRequest, engine: EngineName = 'buildah'): string[] {
  const argv = [
    '--network',
    req.network ?? 'none',
    ...buildahDeviceFlags(req.runFlags ?? [], engine),
  ];
  if (req.user !== undefined) argv.push('--user', req.user);
  for (const [k, v] of Object.entries(req.env ?? {}).sort()) argv.push('--env', `${k}=${v}`);
  for (const m of req.mounts ?? []) argv.push('--volume', volume(m));
  if (req.workdir !== undefined) argv.push('--workingdir', req.workdir);
  return argv;
}

function buildahDeviceFlags(flags: string[], engine: EngineName): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (f.startsWith('--device=')) out.push(f);
    else if (f === '--device' && flags[i + 1] !== undefined) out.push(f, flags[++i]!);
    else
      throw new EngineError(
        `buildah run cannot honour the run flag "${f}"${f === '--gpus' ? ' (buildah has no --gpus)' : ''}: ` +
          'run checks that need it with IMAGESMITH_ENGINE=docker or podman, or give the profile --device flags instead',
        engine,
      );
  }
  return out;
}

/**
 * `buildah from` of a request: the instance of its platform (a manifest list's; the image's own
 * otherwise), under its name when it has one. Pure.
 */
export function buildahFromArgv(req: RunRequest): string[] {
  const platform = req.platform !== undefined ? ['--platform', req.platform] : [];
  const name = req.name !== undefined ? ['--name', req.name] : [];
  return ['from', '--pull-never', ...platform, ...name, req.image];
}

/** What a container runs: the request's entrypoint/command, else the image's (config Entrypoint, Cmd). Pure. */
export function processArgv(
  config: { Entrypoint?: unknown; Cmd?: unknown },
  req: Pick<RunRequest, 'entrypoint' | 'command'>,
): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
  const entrypoint = req.entrypoint !== undefined ? [req.entrypoint] : list(config.Entrypoint);
  const useOwn = req.command.length > 0 || req.entrypoint !== undefined;
  return [...entrypoint, ...(useOwn ? req.command : list(config.Cmd))];
}
