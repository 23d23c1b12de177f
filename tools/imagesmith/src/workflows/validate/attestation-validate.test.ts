import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { collectChecks, contractHash } from '@imagesmith/plan';
import { buildPredicate, type ValidationPredicate } from './attestation-predicate';
import { attestedResults, isRegistryDigest, satisfactionHere } from './attestation-validate';

const checks = collectChecks(
  workspaceOf({
    app: 'description: a\nprofile: cpu\npython: "3.11"\ntests:\n  commands:\n    - { name: gpu works, run: nvidia-smi, requires: gpu }\n    - { name: hello, run: "echo hello" }\n',
  }),
  'app',
  [],
);
const contract = contractHash(checks);
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REF = '127.0.0.1:5000/acme/app:ch-1';

function by(hardware: string[], platform?: string): ValidationPredicate {
  return buildPredicate({
    image: 'app',
    checks,
    contract,
    cases: checks.map((c) => ({
      name: c.name,
      classname: c.from,
      status: c.requires && !hardware.includes(c.requires) ? 'skipped' : 'passed',
    })),
    runner: {
      name: hardware.length > 0 ? 'gpu-1' : 'cpu-1',
      hardware,
      engine: { name: 'docker', version: '26.1.5' },
      imagesmith: '0.1.0',
      platform: 'linux/amd64',
    },
    ...(platform ? { platform } : {}),
  });
}

describe('validate with attestations', () => {
  it('knows the local image is the registry digest only when the engine recorded it', () => {
    const info = { id: 'sha256:local', repoDigests: [] as string[] };
    expect(isRegistryDigest(info, REF, DIGEST)).toBe(false);
    expect(
      isRegistryDigest(
        { ...info, repoDigests: [`127.0.0.1:5000/acme/app@${DIGEST}`] },
        REF,
        DIGEST,
      ),
    ).toBe(true);
    // The same digest under another repository is another image as far as this tag goes.
    expect(
      isRegistryDigest(
        { ...info, repoDigests: [`127.0.0.1:5000/other/app@${DIGEST}`] },
        REF,
        DIGEST,
      ),
    ).toBe(false);
    // The containerd image store's id is the manifest digest itself.
    expect(isRegistryDigest({ ...info, id: DIGEST }, REF, DIGEST)).toBe(true);
  });

  it('a GPU attestation stands for every check on a CPU runner: results without a container', () => {
    const got = attestedResults({ verified: [by(['gpu'])] }, checks, contract, new Set(), [
      undefined,
    ]);
    expect(got).toEqual([
      {
        cases: checks.map((c) => ({
          name: c.name,
          classname: c.from,
          status: 'passed',
          message: 'passed through the verified attestation from gpu-1 (gpu)',
        })),
        runners: ['gpu-1 (gpu)'],
      },
    ]);
  });

  it("a CPU runner's attestation alone: no container either, the GPU check skipped saying why", () => {
    const got = attestedResults({ verified: [by([])] }, checks, contract, new Set(), [undefined]);
    expect(got![0]!.cases.map((c) => c.status)).toEqual(['skipped', 'passed', 'passed']);
    expect(got![0]!.cases[0]!.message).toMatch(
      /^needs gpu, which this runner does not have, and no verified attestation from a runner with gpu covers it/,
    );
  });

  it('a GPU runner with only a CPU attestation must start the image (for the GPU check alone)', () => {
    const verified = [by([])];
    expect(
      attestedResults({ verified }, checks, contract, new Set(['gpu']), [undefined]),
    ).toBeUndefined();
    expect(
      satisfactionHere({ verified }, checks, contract, new Set(['gpu']), undefined)?.run,
    ).toEqual([0]);
    expect(
      satisfactionHere({ verified: [] }, checks, contract, new Set(), undefined),
    ).toBeUndefined();
  });

  it('a multi-platform image needs an attestation for each platform, and names the platform', () => {
    const platforms = ['linux/amd64', 'linux/arm64'];
    const one = { verified: [by(['gpu'], 'linux/amd64')] };
    expect(attestedResults(one, checks, contract, new Set(), platforms)).toBeUndefined();
    const both = { verified: [by(['gpu'], 'linux/amd64'), by(['gpu'], 'linux/arm64')] };
    const got = attestedResults(both, checks, contract, new Set(), platforms)!;
    expect(got.map((p) => p.platform)).toEqual(platforms);
    expect(got[1]!.cases[1]!.name).toBe('hello on linux/arm64');
  });
});
