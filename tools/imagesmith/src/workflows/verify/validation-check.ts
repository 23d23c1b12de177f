import { verifyValidation } from '../validate/attestation-requirements';
import type { CheckResult, VerifyCheck, VerifyContext } from './verify-check';

const HINT =
  'validate the image with the signing key configured: `imagesmith validate <image>` before push (push attests a cached passing result on the digest it pushes), or after push (validate attests on the registry digest); README "Validation attestations"';

/** How the check asks: injectable so tests need neither a registry nor cosign. */
export type AskValidation = typeof verifyValidation;

/**
 * The reference's content carries a passing `validate` attestation signed by the configured public
 * key (issue 12 item 4): its test contract passed on some runner, recorded on this very digest. A
 * failed attestation, or one signed by another key, does not count.
 */
export function makeValidationCheck(ask: AskValidation = verifyValidation): VerifyCheck {
  return {
    name: 'validate attestation',
    async check(ref: string, ctx: VerifyContext): Promise<CheckResult> {
      const answer = await ask(ref, {
        publicKey: ctx.publicKey,
        requires: ['validate'],
        cosign: ctx.cosign,
      });
      return answer.ok
        ? {
            ok: true,
            line: `a passing validate attestation is signed by the key in ${ctx.publicKey.setting}${answer.digest ? ` (${answer.digest})` : ''}`,
          }
        : { ok: false, line: answer.reasons.join('; '), hint: HINT };
    },
  };
}

export const validationCheck = makeValidationCheck();
