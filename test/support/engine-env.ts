/**
 * End-to-end test helpers around the real container engine and the local registry.
 * Locally a missing engine skips the test with a reason; in CI (CI=true) nothing may skip: it throws.
 */
import { detectEngine, EngineError, type Engine } from '../../libs/engine/src/index';

/** The registry e2e tests push to (no auth): bash .ci/setup-registry.sh starts it. */
export const REGISTRY = process.env.IMAGESMITH_TEST_REGISTRY ?? '127.0.0.1:5000';

const SETUP =
  'run `bash .ci/setup-engine.sh && bash .ci/setup-registry.sh && bash .ci/make-base-images.sh` (as root) first';

function inCi(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? '');
}

let cached: Promise<{ engine: Engine } | { skip: string }> | undefined;

/** The engine the tests use, or why they skip. Throws in CI when no engine works. */
export function requireEngine(): Promise<{ engine: Engine } | { skip: string }> {
  cached ??= (async () => {
    try {
      return { engine: await detectEngine() };
    } catch (error) {
      const why = error instanceof EngineError ? error.message : String(error);
      if (inCi())
        throw new Error(
          `CI=true and no usable container engine (nothing may skip in CI); ${SETUP}.\n${why}`,
          { cause: error },
        );
      return { skip: `no usable container engine: ${why.split('\n')[0]} (${SETUP})` };
    }
  })();
  return cached;
}

/** Whether http://REGISTRY/v2/ answers (200, or 401 for a registry with auth). */
export async function registryUp(registry: string = REGISTRY): Promise<boolean> {
  try {
    const res = await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(3_000) });
    await res.body?.cancel();
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

/** Like requireEngine, but also needs the local registry up (and throws in CI when it is not). */
export async function requireEngineAndRegistry(): Promise<{ engine: Engine } | { skip: string }> {
  const got = await requireEngine();
  if ('skip' in got) return got;
  if (await registryUp()) return got;
  if (inCi()) throw new Error(`CI=true and the registry ${REGISTRY} does not answer; ${SETUP}.`);
  return { skip: `registry ${REGISTRY} does not answer (${SETUP})` };
}
