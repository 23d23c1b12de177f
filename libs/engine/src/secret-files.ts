import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from './errors';
import type { BuildSecret, EngineName } from './types';

/** The values of the request's secrets (for redaction and argv checks); throws when one is missing. */
export function secretValues(
  secrets: readonly BuildSecret[],
  env: NodeJS.ProcessEnv,
  engine: EngineName,
): string[] {
  const values: string[] = [];
  for (const s of secrets) {
    if (s.env === undefined) continue;
    const value = env[s.env];
    if (value === undefined || value === '') {
      throw new EngineError(
        `secret "${s.id}" reads environment variable ${s.env}, which is not set (or empty): export it before building, or give the secret as src=<file>`,
        engine,
      );
    }
    values.push(value);
  }
  return values;
}

/**
 * buildah 1.28 / podman 4.3 accept `--secret id=X,env=VAR` but mount an empty file, so env secrets
 * are written to 0600 files in `dir` (a private temp dir the caller deletes) and passed as src=.
 */
export function materializeEnvSecrets(
  secrets: readonly BuildSecret[],
  env: NodeJS.ProcessEnv,
  dir: string,
  engine: EngineName,
): BuildSecret[] {
  secretValues(secrets, env, engine);
  return secrets.map((s, i) => {
    if (s.env === undefined) return s;
    const file = join(dir, `secret-${i}`);
    writeFileSync(file, env[s.env] ?? '', { mode: 0o600 });
    chmodSync(file, 0o600);
    return { id: s.id, src: file };
  });
}
