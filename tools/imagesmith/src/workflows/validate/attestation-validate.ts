/**
 * Validation attestations (issue 12 item 4): validate's result, signed, on the image's registry
 * digest, so a check runs once per digest and every other runner verifies instead of starting a
 * container.
 *
 * Where the digest comes from: validate runs the checks on the local image, and a digest exists
 * once the image is in the registry. So validate attests when the content tag is in the registry
 * (after `build --output registry`, or after push) *and* the local image is that digest (the
 * engine records it when it pushed or pulled it; a local build of the same inputs with another
 * digest is not what the registry serves, and its result is not attested there). Push attests a
 * cached passing validate result of the same image id (build, validate, push leaves an
 * attestation). Without a signing key (signing.key in imagesmith.json, or COSIGN_KEY with
 * COSIGN_PASSWORD) nothing is attested and one line says so; without a public key
 * (signing.public_key, or COSIGN_PUBLIC_KEY) none is read.
 *
 * Where verification looks: the registry digest of the content tag, first, before any pull: a
 * runner without the image verifies and pulls nothing when the attestations cover the contract.
 * The rule of what an attestation stands for is attestation-satisfy.ts; the predicate,
 * attestation-predicate.ts.
 */
import {
  createRegistryClient,
  engineCredentials,
  registryTimeoutMs,
  RegistryUnavailableError,
  repositoryName,
  signingKey,
  verificationKey,
  type CosignKey,
  type ImageInfo,
} from '@imagesmith/engine';
import type { Check } from '@imagesmith/plan';
import type { BuildPlan } from '../shared/build-plan';
import { CONTENT_LABEL } from '../shared/content-label';
import type { Session } from '../shared/engine-context';
import {
  buildPredicate,
  runnerLabel,
  VALIDATE_PREDICATE_TYPE,
  type AttestingRunner,
  type ValidationPredicate,
} from './attestation-predicate';
import { attestValidation, digestRef, verifiedValidations } from './attestation-registry';
import { thisRunner } from './attestation-runner';
import {
  attestingRunners,
  satisfyChecks,
  withAttested,
  type Satisfaction,
} from './attestation-satisfy';
import type { Hardware } from './evaluate-checks';
import type { CaseResult } from './junit';
import { onPlatform } from './validate-platforms';

/** One variant's registry digest and what it holds, for validate. */
export interface AttestationScope {
  /** The content tag. */
  ref: string;
  digest: string;
  /** The key results are attested with; none: verify only. */
  key?: CosignKey;
  /** The validate predicates the workspace's public key verifies on the digest. */
  verified: ValidationPredicate[];
}

/** The workspace's keys: signing.key / signing.public_key in imagesmith.json, or COSIGN_KEY / COSIGN_PUBLIC_KEY. */
export function workspaceKeys(
  s: Pick<Session, 'root' | 'config'>,
  env: NodeJS.ProcessEnv = process.env,
): { key?: CosignKey; publicKey?: CosignKey } {
  const key = signingKey(s.root, s.config.signing, env);
  const publicKey = verificationKey(s.root, s.config.signing, env);
  return { ...(key ? { key } : {}), ...(publicKey ? { publicKey } : {}) };
}

/** Whether the local image is the registry's `digest` of `ref` (the engine recorded it pushing or pulling it). Pure. */
export function isRegistryDigest(
  info: Pick<ImageInfo, 'id' | 'digest' | 'repoDigests'>,
  ref: string,
  digest: string,
): boolean {
  return (
    info.digest === digest ||
    info.id === digest ||
    info.repoDigests.includes(`${repositoryName(ref)}@${digest}`)
  );
}

/**
 * The attestation scope of a variant about to be validated, or undefined with one line saying why
 * there is none (no key, not in the registry, the local image is another build). Never fails a
 * validate for a registry that does not answer: the checks then run here, as without attestations.
 */
export async function openAttestationScope(
  s: Session,
  plan: BuildPlan,
  local: ImageInfo | null,
): Promise<AttestationScope | undefined> {
  const variant = plan.variant.name;
  const ref = plan.refs.content;
  const { key, publicKey } = workspaceKeys(s);
  if (!key && !publicKey) {
    s.log(
      `${variant}: not attested: no signing key (signing.key in imagesmith.json, or COSIGN_KEY and COSIGN_PASSWORD)`,
    );
    return undefined;
  }
  const registry = createRegistryClient({
    timeoutMs: registryTimeoutMs(),
    credentials: engineCredentials(s.engine.name),
  });
  let digest: string | undefined;
  try {
    digest = await registry.manifestDigest(ref);
    // Not built here: only a registry copy labelled as this content is attested or verified.
    if (
      digest &&
      !local &&
      (await registry.imageConfig(ref))?.labels[CONTENT_LABEL] !== plan.contentHash
    )
      digest = undefined;
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    s.log(`${variant}: no attestations read or written: the registry ${error.answer}`);
    return undefined;
  }
  if (!digest) {
    if (local)
      s.log(
        `${variant}: not attested: ${ref} is not in the registry yet (push attests this result)`,
      );
    return undefined;
  }
  if (local && !isRegistryDigest(local, ref, digest)) {
    s.log(
      `${variant}: not attested: the local image is not the registry's ${digestRef(ref, digest)} (another build of the same inputs); pull it or push this one`,
    );
    return undefined;
  }
  const found = publicKey ? await verifiedValidations(ref, digest, publicKey) : undefined;
  // Attestations signed by another key, or set aside: said, since a forgery is worth knowing of.
  for (const reason of found?.reasons ?? []) s.log(`${variant}: attestations not used: ${reason}`);
  return { ref, digest, ...(key ? { key } : {}), verified: found?.predicates ?? [] };
}

/**
 * Attests what this runner found on the scope's digest: the checks it ran or had cached, each
 * with its result; a check an attestation stood for is recorded as not run here. Nothing when the
 * scope has no key, or when an attestation of the same result by this runner is there already.
 */
export async function recordValidation(
  s: Session,
  scope: AttestationScope,
  result: {
    variant: string;
    checks: readonly Check[];
    contract: string;
    /** This runner's results, in check order. */
    cases: readonly CaseResult[];
    hardware: Hardware;
    platform?: string;
    satisfaction?: Satisfaction;
  },
): Promise<void> {
  if (!scope.key) {
    s.log(
      `${result.variant}: not attested: no signing key (signing.key in imagesmith.json, or COSIGN_KEY and COSIGN_PASSWORD)`,
    );
    return;
  }
  const cases = result.cases.map((c, i): CaseResult => {
    const by = result.satisfaction?.attested.get(i);
    return by
      ? {
          ...c,
          status: 'skipped',
          message: `not run here: passed through the attestation from ${runnerLabel(by.runner)}`,
        }
      : c;
  });
  const runner = await thisRunner(s.engine, result.hardware);
  const predicate = buildPredicate({
    image: result.variant,
    checks: result.checks,
    contract: result.contract,
    cases,
    runner,
    ...(result.platform ? { platform: result.platform } : {}),
  });
  if (scope.verified.some((p) => sameRecord(p, predicate))) {
    s.log(`${result.variant}: this result is attested on ${scope.digest} already`);
    return;
  }
  const subject = await attestValidation(scope.ref, scope.digest, predicate, scope.key);
  scope.verified.push(predicate);
  s.log(
    `${result.variant}: attested the ${predicate.result} result on ${subject} (${VALIDATE_PREDICATE_TYPE}, signed with ${scope.key.setting})`,
  );
}

/** The same result by the same runner (name, hardware, engine and version aside from timing). */
function sameRecord(a: ValidationPredicate, b: ValidationPredicate): boolean {
  const who = (r: AttestingRunner) => JSON.stringify([r.name, r.hardware, r.engine, r.imagesmith]);
  return (
    a.contract === b.contract &&
    a.platform === b.platform &&
    who(a.runner) === who(b.runner) &&
    JSON.stringify(a.checks) === JSON.stringify(b.checks)
  );
}

/** One platform's results from attestations alone, and the runners whose attestations they are. */
export interface AttestedPlatform {
  platform?: string;
  cases: CaseResult[];
  runners: string[];
}

/**
 * Every platform's results from the scope's attestations alone, or undefined when some check must
 * run here (no attestation covers it and this runner has its hardware), so the image must be
 * started. A hardware check neither this runner nor an attestation covers is skipped, saying so.
 * Pure.
 */
export function attestedResults(
  scope: Pick<AttestationScope, 'verified'>,
  checks: readonly Check[],
  contract: string,
  hardware: Hardware,
  platforms: readonly (string | undefined)[],
): AttestedPlatform[] | undefined {
  const out: AttestedPlatform[] = [];
  for (const platform of platforms) {
    const sat = satisfyChecks(checks, hardware, scope.verified, {
      contract,
      ...(platform ? { platform } : {}),
    });
    if (sat.run.length > 0 || sat.attested.size === 0) return undefined;
    const skipped = checks.map((c): CaseResult => ({
      name: c.name,
      classname: c.from,
      status: 'skipped',
      message: `needs ${c.requires}, which this runner does not have, and no verified attestation from a runner with ${c.requires} covers it (validate there with a signing key: IMAGESMITH_HARDWARE=${c.requires})`,
    }));
    const cases = withAttested(checks, skipped, sat);
    out.push({
      ...(platform ? { platform } : {}),
      cases: platform ? onPlatform(cases, platform) : cases,
      runners: attestingRunners(sat),
    });
  }
  return out;
}

/**
 * Which checks of one platform run here: undefined without a scope (all of them, as before);
 * otherwise the satisfaction rule's answer for the scope's attestations. Pure.
 */
export function satisfactionHere(
  scope: Pick<AttestationScope, 'verified'> | undefined,
  checks: readonly Check[],
  contract: string,
  hardware: Hardware,
  platform: string | undefined,
): Satisfaction | undefined {
  if (!scope || scope.verified.length === 0) return undefined;
  const sat = satisfyChecks(checks, hardware, scope.verified, {
    contract,
    ...(platform ? { platform } : {}),
  });
  return sat.attested.size > 0 ? sat : undefined;
}
