import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attest,
  repositoryName,
  verifyAttestations,
  type CosignKey,
  type CosignOptions,
} from '@imagesmith/engine';
import {
  parseStatement,
  VALIDATE_PREDICATE_TYPE,
  type ValidationPredicate,
} from './attestation-predicate';

/** The reference cosign signs and verifies: the content tag's repository at one manifest digest. */
export function digestRef(ref: string, digest: string): string {
  return `${repositoryName(ref)}@${digest}`;
}

/** What the registry holds about one digest: the validate predicates the public key verifies. */
export interface VerifiedValidations {
  digest: string;
  predicates: ValidationPredicate[];
  /** Why none verified (only other keys' ones), or why a verified one was set aside; none when there are none at all. */
  reasons: string[];
}

/**
 * The validate attestations on `digest` that `publicKey` verifies (cosign verify-attestation: the
 * DSSE signature, and the statement's subject is that digest), each predicate read back by
 * parseStatement: one about another digest or of an unknown shape is set aside with its reason.
 * An attestation signed by any other key is not returned by cosign at all.
 */
export async function verifiedValidations(
  ref: string,
  digest: string,
  publicKey: CosignKey,
  cosign: CosignOptions = {},
): Promise<VerifiedValidations> {
  const check = await verifyAttestations(
    digestRef(ref, digest),
    VALIDATE_PREDICATE_TYPE,
    publicKey,
    cosign,
  );
  // No attestation at all is the common case (nothing validated it yet): no reason to tell.
  if (!check.verified)
    return {
      digest,
      predicates: [],
      reasons:
        check.problem === 'none'
          ? []
          : [check.reason ?? `no validate attestation verifies with ${publicKey.setting}`],
    };
  const predicates: ValidationPredicate[] = [];
  const reasons: string[] = [];
  for (const statement of check.statements) {
    const read = parseStatement(statement, digest);
    if ('predicate' in read) predicates.push(read.predicate);
    else reasons.push(`a signed attestation was set aside: ${read.reason}`);
  }
  return { digest, predicates, reasons };
}

/**
 * Signs `predicate` with `key` and attaches it to `digest` in the registry (cosign attest). The
 * predicate goes to cosign as a 0600 file in a private temp folder, removed afterwards.
 */
export async function attestValidation(
  ref: string,
  digest: string,
  predicate: ValidationPredicate,
  key: CosignKey,
  cosign: CosignOptions = {},
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-attest-'));
  try {
    const file = join(dir, 'predicate.json');
    writeFileSync(file, `${JSON.stringify(predicate, null, 2)}\n`, { mode: 0o600 });
    const subject = digestRef(ref, digest);
    await attest(subject, { predicateFile: file, type: VALIDATE_PREDICATE_TYPE }, key, cosign);
    return subject;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
