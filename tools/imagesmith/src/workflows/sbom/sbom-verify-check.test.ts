import { describe, expect, it } from 'vitest';
import type { AttestationCheck } from '@imagesmith/engine';
import { makeSbomCheck } from './sbom-verify-check';
import type { VerifyContext } from '../verify/verify-check';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const REF = '127.0.0.1:5000/team/app:1.0-r0';
const ctx: VerifyContext = {
  root: '/ws',
  publicKey: { kind: 'file', path: '/ws/cosign.pub', setting: 'signing.public_key' },
  cosign: { env: {} },
};
const index = JSON.stringify({
  manifests: [
    { digest: d('a'), platform: { os: 'linux', architecture: 'amd64' } },
    { digest: d('b'), platform: { os: 'linux', architecture: 'arm64' } },
    {
      digest: d('c'),
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': d('a'),
      },
    },
  ],
});
const attested = (ref: string, n: number): AttestationCheck => ({
  verified: true,
  ref,
  statements: [
    {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://spdx.dev/Document',
      subject: [],
      predicate: { packages: Array.from({ length: n }, () => ({})) },
    },
  ],
});

describe('the SBOM verify check', () => {
  it('passes when every platform image has a signed spdxjson attestation', async () => {
    const asked: string[] = [];
    const check = makeSbomCheck({
      fetchManifest: async () => index,
      verifyAttestations: async (ref, type) => {
        asked.push(`${ref} ${type}`);
        return attested(ref, 120);
      },
    });
    expect(await check.check(REF, ctx)).toEqual({
      ok: true,
      line: 'SPDX SBOM attested for linux/amd64 (120 packages), linux/arm64 (120 packages)',
    });
    expect(asked).toEqual([
      `127.0.0.1:5000/team/app@${d('a')} spdxjson`,
      `127.0.0.1:5000/team/app@${d('b')} spdxjson`,
    ]);
  });

  it('fails naming the platform without one, with what to do', async () => {
    const check = makeSbomCheck({
      fetchManifest: async () => index,
      verifyAttestations: async (ref) =>
        ref.endsWith(d('b'))
          ? {
              verified: false,
              ref,
              statements: [],
              problem: 'none',
              reason: 'no spdxjson attestation',
            }
          : attested(ref, 3),
    });
    const got = await check.check(REF, ctx);
    expect(got.ok).toBe(false);
    expect(got.line).toBe(
      'linux/arm64: no SPDX SBOM attestation signed by the key in signing.public_key (no spdxjson attestation)',
    );
    expect(got.hint).toContain('syft');
  });
});
