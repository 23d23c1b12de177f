import { UsageError } from '@imagesmith/core';
import { parseImageRef } from '@imagesmith/engine';
import type { Session } from '../shared/engine-context';

/** The registry host of the workspace repository (registry/namespace). */
export function registryHost(repository: string): string {
  const { registry } = parseImageRef(`${repository}/x:1`);
  if (!registry)
    throw new UsageError(
      `imagesmith.json repository "${repository}" names no registry host; write host[:port]/namespace`,
    );
  return registry;
}

/**
 * Log in with a password from the environment or stdin; it never reaches argv or the log. The
 * engine stores the login where it reads it (docker's config.json or credential helper,
 * buildah/podman's auth.json), and registry lookups (engine-context.ts) use the same store.
 * `registry` defaults to the host of the workspace repository.
 */
export async function login(
  s: Session,
  username: string,
  password: string,
  registry?: string,
): Promise<void> {
  if (!username)
    throw new UsageError('no registry user: pass --username or set IMAGESMITH_REGISTRY_USER');
  if (!password)
    throw new UsageError(
      'no password: set IMAGESMITH_REGISTRY_PASSWORD or pipe it to `imagesmith login --password-stdin`',
    );
  if (
    registry !== undefined &&
    !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(registry)
  )
    throw new UsageError(
      `"${registry}" is not a registry host: pass host[:port], e.g. \`imagesmith login 127.0.0.1:5000\``,
    );
  const host = registry ?? registryHost(s.config.repository);
  await s.engine.login(host, username, password);
  s.log(`logged in to ${host} as ${username}`);
}
