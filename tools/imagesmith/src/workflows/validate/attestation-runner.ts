import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import type { Engine } from '@imagesmith/engine';
import pkg from '../../../package.json';
import type { AttestingRunner } from './attestation-predicate';
import type { Hardware } from './evaluate-checks';

/** The engine's version as it reports it (docker: the daemon's), or `unknown` when it does not say. */
export async function engineVersion(engine: Pick<Engine, 'name' | 'binary'>): Promise<string> {
  const argv =
    engine.name === 'docker' ? ['version', '--format', '{{.Server.Version}}'] : ['--version'];
  try {
    const { stdout } = await promisify(execFile)(engine.binary, argv, {
      encoding: 'utf8',
      timeout: 15_000,
    });
    // buildah/podman: "buildah version 1.28.2 (image-spec 1.0.2-dev, runtime-spec 1.0.2-dev)".
    return /\b(\d+\.\d+[\w.+-]*)/.exec(stdout.trim())?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The runner this process validates on: its name, hardware, engine and imagesmith version. */
export async function thisRunner(
  engine: Pick<Engine, 'name' | 'binary'>,
  hardware: Hardware,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AttestingRunner> {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return {
    name: env.RUNNER_NAME?.trim() || hostname(),
    hardware: [...hardware].sort(),
    engine: { name: engine.name, version: await engineVersion(engine) },
    imagesmith: pkg.version,
    platform: `${process.platform}/${arch}`,
  };
}
