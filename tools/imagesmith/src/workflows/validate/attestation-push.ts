import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectChecks, contractHash } from '@imagesmith/plan';
import type { BuildPlan } from '../shared/build-plan';
import { stateDir, type Session } from '../shared/engine-context';
import { recordValidation, workspaceKeys } from './attestation-validate';
import { verifiedValidations } from './attestation-registry';
import type { CaseResult } from './junit';
import { cacheFileName, validatePlatforms } from './validate-platforms';

/** validate.ts's cache file: the key it was written under, and the passing results. */
interface CachedResult {
  key: { imageId: string; contract: string; hardware: string[]; platform?: string };
  cases: CaseResult[];
}

function readCached(file: string): CachedResult | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CachedResult;
  } catch {
    return undefined;
  }
}

/**
 * For push (issue 12 item 4): the passing validate result cached for exactly this image id and
 * contract (validate writes it, validate-cache*.json), attested on the digest push just pushed, so
 * build → validate → push leaves an attestation although validate ran before the image had a
 * digest. Nothing without a signing key (push's own line says the image is not signed), without a
 * cached result of this image id and contract, or when that result is attested there already.
 */
export async function attestCachedValidation(
  s: Session,
  plan: BuildPlan,
  imageId: string,
  digest: string,
): Promise<void> {
  const { key, publicKey } = workspaceKeys(s);
  if (!key) return;
  const v = plan.variant;
  const checks = collectChecks(s.ws, v.image, v.ancestors);
  const contract = contractHash(checks);
  const platforms = validatePlatforms(v.spec.platforms);
  const results = (platforms.length > 0 ? platforms : [undefined])
    .map((platform) => ({
      platform,
      cached: readCached(join(stateDir(s.root, v), cacheFileName(platform))),
    }))
    .filter(
      ({ platform, cached }) =>
        cached?.key.imageId === imageId &&
        cached.key.contract === contract &&
        cached.key.platform === platform &&
        cached.cases.length === checks.length,
    );
  if (results.length === 0) return;
  const ref = plan.refs.content;
  const verified = publicKey ? (await verifiedValidations(ref, digest, publicKey)).predicates : [];
  const scope = { ref, digest, key, verified };
  for (const { platform, cached } of results)
    await recordValidation(s, scope, {
      variant: v.name,
      checks,
      contract,
      cases: cached!.cases,
      hardware: new Set(cached!.key.hardware),
      ...(platform ? { platform } : {}),
    });
}
