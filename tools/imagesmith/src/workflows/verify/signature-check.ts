import { verifySignature } from '@imagesmith/engine';
import type { VerifyCheck } from './verify-check';

const HINTS = {
  unsigned:
    'push it with a signing key configured (signing.key in imagesmith.json, or COSIGN_KEY); a tag that names unsigned content was pushed without one, or moved by something other than imagesmith push',
  'other-key':
    'verify with the public key of the pair push signs with (signing.public_key, COSIGN_PUBLIC_KEY or --public-key); if that is right, the content was signed by someone else',
  missing: 'push the image first (`nx run <image>:push`), or check the reference',
} as const;

/** The reference's content carries a signature by the configured public key (push's signature). */
export const signatureCheck: VerifyCheck = {
  name: 'signature',
  async check(ref, ctx) {
    const answer = await verifySignature(ref, ctx.publicKey, ctx.cosign);
    return answer.verified
      ? {
          ok: true,
          line: `signed by the key in ${ctx.publicKey.setting}${answer.digest ? ` (${answer.digest})` : ''}`,
        }
      : {
          ok: false,
          line: answer.reason ?? 'not verified',
          hint: HINTS[answer.problem ?? 'unsigned'],
        };
  },
};
