import { UsageError } from '@imagesmith/core';
import {
  EngineError,
  RegistryLabelMismatchError,
  RegistryUnavailableError,
  type ExpectedLabel,
} from '@imagesmith/engine';
import type { Session } from './engine-context';

/**
 * For build: whether the registry holds `ref` carrying `label`, or undefined when there is no
 * answer to trust: the registry could not say (5xx, timeout, no connection), or its copy is
 * labelled as other content (forged, corrupted or moved by hand). Then building is still correct,
 * so the build goes on, but never silently: one line says why; and the registry is not used as a
 * cache seed either. A refusal (401/403) is an error: the registry may hold the image, and
 * rebuilding it would hide a login problem.
 */
export async function registryHoldsForBuild(
  s: Session,
  image: string,
  ref: string,
  label?: ExpectedLabel,
): Promise<boolean | undefined> {
  try {
    return await s.registry.hasTag(ref, label);
  } catch (error) {
    if (error instanceof RegistryLabelMismatchError) {
      s.log(`rebuilding ${image}: ${error.message}`);
      return undefined;
    }
    if (!(error instanceof RegistryUnavailableError)) throw error;
    s.log(`rebuilding ${image}: the registry ${error.answer}`);
    return undefined;
  }
}

/**
 * For validate and push of an image the engine does not have: whether the registry holds it
 * (carrying `label`, when given). Here no answer is an error naming the registry's answer: "not
 * built" would be a guess; and a copy labelled as other content is refused, never pulled or tagged.
 */
export async function registryHoldsOrFail(
  s: Session,
  variant: string,
  image: string,
  ref: string,
  label?: ExpectedLabel,
): Promise<boolean> {
  try {
    return await s.registry.hasTag(ref, label);
  } catch (error) {
    if (error instanceof RegistryLabelMismatchError)
      throw new UsageError(
        `${variant}: ${error.message}; run \`nx run ${image}:build\` to build it here (a build does not trust that copy), then try again`,
        { cause: error },
      );
    if (!(error instanceof RegistryUnavailableError)) throw error;
    throw new EngineError(
      `${variant}: ${ref} is not in the local engine and the registry ${error.answer}, so it cannot be pulled; start or fix the registry (or build it here: \`nx run ${image}:build\`), then try again`,
      'registry',
      { cause: error },
    );
  }
}

/**
 * A registry question a command (push, promote) cannot go on without: no answer (5xx, timeout, no
 * connection) is an error naming the registry's answer and what to do, e.g.
 * `askRegistry('push', variant, ref, () => registry.manifestDigest(ref))`.
 */
export async function askRegistry<T>(
  verb: string,
  variant: string,
  ref: string,
  question: () => Promise<T>,
): Promise<T> {
  try {
    return await question();
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    throw new EngineError(
      `${variant}: cannot ${verb} ${ref}: the registry ${error.answer}; start or fix the registry (or raise IMAGESMITH_REGISTRY_TIMEOUT), then ${verb} again`,
      'registry',
      { cause: error },
    );
  }
}
