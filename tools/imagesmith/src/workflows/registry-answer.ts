import { EngineError, RegistryUnavailableError } from '@imagesmith/engine';
import type { Session } from './engine-context';

/**
 * For build: whether the registry holds `ref`, or undefined when it could not say (5xx, timeout,
 * no connection). Then building is still correct, so the build goes on, but never silently: one
 * line says why. A refusal (401/403) is an error: the registry may hold the image, and rebuilding
 * it would hide a login problem.
 */
export async function registryHoldsForBuild(
  s: Session,
  image: string,
  ref: string,
): Promise<boolean | undefined> {
  try {
    return await s.registry.hasTag(ref);
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    s.log(`rebuilding ${image}: the registry ${error.answer}`);
    return undefined;
  }
}

/**
 * For validate and push of an image the engine does not have: whether the registry holds it.
 * Here no answer is an error naming the registry's answer: "not built" would be a guess.
 */
export async function registryHoldsOrFail(
  s: Session,
  variant: string,
  image: string,
  ref: string,
): Promise<boolean> {
  try {
    return await s.registry.hasTag(ref);
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    throw new EngineError(
      `${variant}: ${ref} is not in the local engine and the registry ${error.answer}, so it cannot be pulled; start or fix the registry (or build it here: \`nx run ${image}:build\`), then try again`,
      'registry',
      { cause: error },
    );
  }
}
