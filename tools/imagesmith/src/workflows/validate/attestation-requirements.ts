import {
  createRegistryClient,
  engineCredentials,
  parseImageRef,
  registryTimeoutMs,
  type CosignKey,
  type CosignOptions,
  type EngineName,
} from '@imagesmith/engine';
import { runnerLabel, type ValidationPredicate } from './attestation-predicate';
import { verifiedValidations } from './attestation-registry';

/** A requirement on an image's validate attestations: `validate`, or `validate:<hardware>`. */
export type ValidationRequirement = 'validate' | `validate:${string}`;

/** Whether a string is a validate requirement (promote's `requires` also lists others, e.g. signature). */
export function isValidationRequirement(r: string): r is ValidationRequirement {
  return r === 'validate' || /^validate:[a-z0-9][a-z0-9-]*$/.test(r);
}

export interface RequirementAnswer {
  ok: boolean;
  /** One line per requirement not met, saying what is missing. Empty when ok. */
  reasons: string[];
}

/**
 * Whether verified predicates meet `requires`. `validate`: a passing attestation (no check failed;
 * hardware checks its runner lacked may be skipped). `validate:<hw>`: a passing attestation by a
 * runner that had <hw>, in which every check needing <hw> passed. With `contract`, only
 * attestations of that contract count. A failed attestation never meets anything. Pure.
 */
export function requirementsMet(
  predicates: readonly ValidationPredicate[],
  requires: readonly string[],
  contract?: string,
): RequirementAnswer {
  const ofContract = predicates.filter((p) => contract === undefined || p.contract === contract);
  const passing = ofContract.filter((p) => p.result === 'passed');
  const failed = ofContract.filter((p) => p.result === 'failed');
  const failedNote =
    failed.length > 0
      ? `; failed attestations (never counted): ${failed.map((p) => runnerLabel(p.runner)).join(', ')}`
      : '';
  const of = contract === undefined ? '' : ` of contract ${contract}`;
  const reasons: string[] = [];
  for (const r of requires) {
    if (!isValidationRequirement(r)) {
      reasons.push(`${r}: not a validate requirement (validate, validate:<hardware>)`);
      continue;
    }
    const hw = r === 'validate' ? undefined : r.slice('validate:'.length);
    const met = passing.some(
      (p) =>
        hw === undefined ||
        (p.runner.hardware.includes(hw) &&
          p.checks.filter((c) => c.requires === hw).every((c) => c.result === 'passed')),
    );
    if (met) continue;
    reasons.push(
      hw === undefined
        ? `validate: no passing validate attestation${of}; run \`imagesmith validate\` with a signing key on a runner that can start the image${failedNote}`
        : `${r}: no passing validate attestation${of} from a runner with ${hw}; run \`imagesmith validate\` with a signing key on a ${hw} runner (IMAGESMITH_HARDWARE=${hw})${failedNote}`,
    );
  }
  return { ok: reasons.length === 0, reasons };
}

export interface VerifyValidationOptions {
  /** The workspace's public key (cosign-key.ts verificationKey). */
  publicKey: CosignKey;
  requires: readonly string[];
  /** The contract hash the attestations must be of (@imagesmith/plan contractHash); any when absent. */
  contract?: string;
  /** How the tag's digest is asked for: the registry with the engine's login by default. */
  manifestDigest?: (ref: string) => Promise<string | undefined>;
  /** The engine whose login the registry lookup uses (docker by default). */
  engine?: EngineName;
  cosign?: CosignOptions;
}

/**
 * For promote (and anyone gating on validation): whether the image `ref` (a tag or repo@digest)
 * names has verified validate attestations meeting `requires`. A tag is resolved to its digest
 * first, and that digest is what is verified, so a tag moved meanwhile cannot swap the answer.
 * Signatures by any other key are not accepted (cosign verify-attestation with `publicKey`).
 */
export async function verifyValidation(
  ref: string,
  opts: VerifyValidationOptions,
): Promise<RequirementAnswer & { digest?: string }> {
  const askDigest =
    opts.manifestDigest ??
    ((r: string) =>
      createRegistryClient({
        timeoutMs: registryTimeoutMs(),
        credentials: engineCredentials(opts.engine ?? 'docker'),
      }).manifestDigest(r));
  const digest = parseImageRef(ref).digest ?? (await askDigest(ref));
  if (!digest) return { ok: false, reasons: [`${ref} is not in the registry`] };
  const found = await verifiedValidations(ref, digest, opts.publicKey, opts.cosign);
  const answer = requirementsMet(found.predicates, opts.requires, opts.contract);
  return {
    ...answer,
    reasons: answer.ok ? [] : [...answer.reasons, ...found.reasons],
    digest,
  };
}
