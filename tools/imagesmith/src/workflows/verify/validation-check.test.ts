import { describe, expect, it } from 'vitest';
import { makeValidationCheck, type AskValidation } from './validation-check';
import type { VerifyContext } from './verify-check';

const ctx: VerifyContext = {
  root: '/ws',
  publicKey: {
    kind: 'file',
    path: '/ws/cosign.pub',
    setting: 'signing.public_key in imagesmith.json ("cosign.pub")',
  },
  cosign: {},
};

describe('verify: the validate attestation check', () => {
  it('passes on a passing validate attestation signed by the key, asking for exactly `validate`', async () => {
    const asked: unknown[] = [];
    const ask: AskValidation = async (ref, opts) => {
      asked.push([ref, opts.requires, opts.publicKey]);
      return { ok: true, reasons: [], digest: 'sha256:abc' };
    };
    const r = await makeValidationCheck(ask).check('127.0.0.1:5000/a/app:1.0-r0', ctx);
    expect(r).toEqual({
      ok: true,
      line: 'a passing validate attestation is signed by the key in signing.public_key in imagesmith.json ("cosign.pub") (sha256:abc)',
    });
    expect(asked).toEqual([['127.0.0.1:5000/a/app:1.0-r0', ['validate'], ctx.publicKey]]);
  });

  it('fails with the reasons and says how to get an attestation', async () => {
    const ask: AskValidation = async () => ({
      ok: false,
      reasons: ['validate: no passing validate attestation; run `imagesmith validate`'],
    });
    const r = await makeValidationCheck(ask).check('r:1', ctx);
    expect(r.ok).toBe(false);
    expect(r.line).toBe('validate: no passing validate attestation; run `imagesmith validate`');
    expect(r.hint).toMatch(/imagesmith validate <image>. before push/);
  });
});
