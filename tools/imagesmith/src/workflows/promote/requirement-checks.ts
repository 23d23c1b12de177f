import type { WorkspaceConfig } from '@imagesmith/core';
import { verificationKey, verifySignature, type CosignOptions } from '@imagesmith/engine';
import { verifyValidation } from '../validate/attestation-requirements';
import type { CheckRequirement } from './promote';

/**
 * The requirement checks with cosign and the workspace's public key (COSIGN_PUBLIC_KEY, else
 * signing.public_key): the signature push made (verify's check), and the validate attestations
 * validate made (validate's verifyValidation: a passing one; for validate:<hardware>, from a
 * runner with that hardware). Without a public key nothing verifies, and each requirement says
 * where to set one.
 */
export function cosignRequirementChecks(
  root: string,
  config: WorkspaceConfig,
  env: NodeJS.ProcessEnv = process.env,
): CheckRequirement {
  const key = verificationKey(root, config.signing, env);
  const cosign: CosignOptions = { env };
  return async (repository, digest, r) => {
    if (!key)
      return {
        ok: false,
        line: 'no public key to verify with: set "signing": {"public_key": "cosign.pub"} in imagesmith.json or COSIGN_PUBLIC_KEY',
      };
    const ref = `${repository}@${digest}`;
    if (r.kind === 'signature') {
      const answer = await verifySignature(ref, key, cosign);
      return answer.verified
        ? { ok: true, line: `signature by the key in ${key.setting}` }
        : { ok: false, line: answer.reason ?? 'not verified' };
    }
    const answer = await verifyValidation(ref, { publicKey: key, requires: [r.text], cosign });
    return answer.ok
      ? { ok: true, line: `${r.text} attestation` }
      : {
          ok: false,
          line: answer.reasons.map((l) => l.replace(`${r.text}: `, '')).join('; '),
        };
  };
}
