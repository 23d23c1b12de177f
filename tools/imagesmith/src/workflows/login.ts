import { UsageError } from '@imagesmith/core';
import { parseImageRef } from '@imagesmith/engine';
import type { Session } from './engine-context';

/** The registry host of the workspace repository (registry/namespace). */
export function registryHost(repository: string): string {
  const { registry } = parseImageRef(`${repository}/x:1`);
  if (!registry)
    throw new UsageError(
      `imagesmith.json repository "${repository}" names no registry host; write host[:port]/namespace`,
    );
  return registry;
}

/** Log in with a password from the environment or stdin; it never reaches argv or the log. */
export async function login(s: Session, username: string, password: string): Promise<void> {
  if (!username)
    throw new UsageError('no registry user: pass --username or set IMAGESMITH_REGISTRY_USER');
  if (!password)
    throw new UsageError(
      'no password: set IMAGESMITH_REGISTRY_PASSWORD or pipe it to `imagesmith login --password-stdin`',
    );
  const host = registryHost(s.config.repository);
  await s.engine.login(host, username, password);
  s.log(`logged in to ${host} as ${username}`);
}
