import { EngineError } from './errors';
import { registryOf } from './parse-image-ref';
import { secondsSetting } from './registry-api';

/** How long one engine push may take unless IMAGESMITH_PUSH_TIMEOUT says otherwise. */
export const DEFAULT_PUSH_TIMEOUT_MS = 600_000;

/** IMAGESMITH_PUSH_TIMEOUT (seconds) in ms; 600 s when unset or empty. */
export function pushTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return secondsSetting(env, 'IMAGESMITH_PUSH_TIMEOUT', DEFAULT_PUSH_TIMEOUT_MS);
}

/**
 * An engine push that ends by its deadline: past it, an error naming the registry and the
 * reference (a registry that takes the connection and then stalls would otherwise hold the run
 * with no output at all).
 */
export async function pushWithin<T>(
  ref: string,
  timeoutMs: number,
  push: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const registry = registryOf(ref) ?? 'docker.io';
      reject(
        new EngineError(
          `pushing ${ref} to the registry ${registry} did not finish within ${timeoutMs / 1000} s; check that ${registry} is up and accepts uploads (or raise IMAGESMITH_PUSH_TIMEOUT), then push again`,
          'registry',
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([push(), late]);
  } finally {
    clearTimeout(timer);
  }
}
