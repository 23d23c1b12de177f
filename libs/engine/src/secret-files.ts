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
    if (s.value !== undefined) values.push(s.value);
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
 * (and value secrets) are written to 0600 files in `dir` (a private temp dir the caller deletes)
 * and passed as src=.
 */
export function materializeEnvSecrets(
  secrets: readonly BuildSecret[],
  env: NodeJS.ProcessEnv,
  dir: string,
  engine: EngineName,
): BuildSecret[] {
  secretValues(secrets, env, engine);
  return secrets.map((s, i) => {
    if (s.env === undefined && s.value === undefined) return s;
    const file = join(dir, `secret-${i}`);
    writeFileSync(file, s.value ?? env[s.env ?? ''] ?? '', { mode: 0o600 });
    chmodSync(file, 0o600);
    return { id: s.id, src: file };
  });
}

/**
 * docker: a value secret reaches buildx through the environment of its process (not argv, which
 * `ps` shows, and not a file): `--secret id=X,env=IMAGESMITH_SECRET_<n>`.
 * https://docs.docker.com/build/building/secrets/#sources
 */
export function valueSecretsAsEnv(secrets: readonly BuildSecret[]): {
  secrets: BuildSecret[];
  env: Record<string, string>;
} {
  const env: Record<string, string> = {};
  const out = secrets.map((s, i) => {
    if (s.value === undefined) return s;
    const name = `IMAGESMITH_SECRET_${i}`;
    env[name] = s.value;
    return { id: s.id, env: name };
  });
  return { secrets: out, env };
}

/** The argv form of a secret: where its value comes from, never the value. */
export function secretArg(s: BuildSecret): string {
  if (s.value !== undefined)
    throw new Error(`secret "${s.id}": a value secret must become an env or src secret first`);
  return s.env !== undefined ? `id=${s.id},env=${s.env}` : `id=${s.id},src=${s.src}`;
}
