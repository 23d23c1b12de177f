import { registryLocation } from './parse-image-ref';
import type { RegistryOptions } from './registry-api';
import { createRegistryClient } from './registry-client';
import { RegistryAuthError, RegistryUnavailableError } from './registry-errors';

/** The answer for one tag: its digest, or why there is none (a 404, a refusal, an unreachable registry). */
export type DigestAnswer = { digest: string } | { problem: string };

/**
 * The manifest digest a registry serves for `ref` (registry/repository:tag): the index digest for a
 * multi-arch tag, since lists and indexes are accepted first-class (registry-client.ts, with the
 * engine's login when `opts.credentials` is given). A problem names the registry, never a guess.
 */
export async function resolveManifestDigest(
  ref: string,
  opts: RegistryOptions = {},
): Promise<DigestAnswer> {
  const loc = registryLocation(ref);
  try {
    const digest = await createRegistryClient(opts).manifestDigest(ref);
    if (digest) return { digest };
    return { problem: `${loc.registry} has no ${loc.repository}:${loc.reference}` };
  } catch (error) {
    if (error instanceof RegistryUnavailableError && error.reason)
      return { problem: `${loc.registry} could not be reached (${error.reason})` };
    if (error instanceof RegistryUnavailableError) return { problem: error.answer };
    if (error instanceof RegistryAuthError) return { problem: error.message };
    throw error;
  }
}
