import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { collectChecks, contractHash } from '@imagesmith/plan';
import { buildPredicate, type ValidationPredicate } from './attestation-predicate';
import { attestingRunners, satisfyChecks, withAttested } from './attestation-satisfy';
import type { CaseResult } from './junit';

const ws = workspaceOf({
  app: 'description: a\nprofile: cpu\npython: "3.11"\ntests:\n  commands:\n    - { name: gpu works, run: nvidia-smi, requires: gpu }\n    - { name: hello, run: "echo hello" }\n',
});
const checks = collectChecks(ws, 'app', []);
const contract = contractHash(checks);
const GPU = 0;
const HELLO = 1;
const NON_ROOT = 2;

/** An attestation of `checks` by a runner with `hardware`; `status` per check index (default passed). */
function attestation(
  hardware: string[],
  status: Record<number, CaseResult['status']> = {},
  over: { contract?: string; platform?: string } = {},
): ValidationPredicate {
  return buildPredicate({
    image: 'app',
    checks,
    contract: over.contract ?? contract,
    cases: checks.map((c, i) => ({
      name: c.name,
      classname: c.from,
      status: status[i] ?? 'passed',
    })),
    runner: {
      name: hardware.length > 0 ? 'gpu-runner' : 'cpu-runner',
      hardware,
      engine: { name: 'docker', version: '26.1.5' },
      imagesmith: '0.1.0',
      platform: 'linux/amd64',
    },
    ...(over.platform ? { platform: over.platform } : {}),
  });
}
const cpuHost = new Set<string>();
const gpuHost = new Set(['gpu']);

describe('which checks an attestation satisfies', () => {
  it('without attestations a CPU runner runs the checks it can and leaves the GPU check out', () => {
    const s = satisfyChecks(checks, cpuHost, [], { contract });
    expect(s.attested.size).toBe(0);
    expect(s.run).toEqual([HELLO, NON_ROOT]);
  });

  it("a GPU runner's passing attestation satisfies every check on a CPU runner: no check runs", () => {
    const s = satisfyChecks(checks, cpuHost, [attestation(['gpu'])], { contract });
    expect([...s.attested.keys()]).toEqual([GPU, HELLO, NON_ROOT]);
    expect(s.run).toEqual([]);
    expect(attestingRunners(s)).toEqual(['gpu-runner (gpu)']);
    const cases = withAttested(checks, [], s);
    expect(cases[GPU]).toEqual({
      name: 'gpu works',
      classname: 'app',
      status: 'passed',
      message: 'passed through the verified attestation from gpu-runner (gpu)',
    });
  });

  it("a CPU runner's attestation never stands for the GPU check, even one a tampered predicate lists as passed", () => {
    // What a CPU runner writes: the GPU check skipped.
    const skipped = satisfyChecks(checks, cpuHost, [attestation([], { [GPU]: 'skipped' })], {
      contract,
    });
    expect([...skipped.attested.keys()]).toEqual([HELLO, NON_ROOT]);
    expect(skipped.run).toEqual([]);
    // A predicate from a runner without a GPU that claims the GPU check passed.
    const claimed = satisfyChecks(checks, gpuHost, [attestation([])], { contract });
    expect(claimed.attested.has(GPU)).toBe(false);
    expect(claimed.run).toEqual([GPU]);
  });

  it('a failed attestation satisfies nothing, not even its passing checks', () => {
    const s = satisfyChecks(checks, cpuHost, [attestation(['gpu'], { [HELLO]: 'failed' })], {
      contract,
    });
    expect(s.attested.size).toBe(0);
    expect(s.run).toEqual([HELLO, NON_ROOT]);
  });

  it('another contract or another platform satisfies nothing', () => {
    expect(
      satisfyChecks(checks, cpuHost, [attestation(['gpu'], {}, { contract: 'other' })], {
        contract,
      }).attested.size,
    ).toBe(0);
    const arm = [attestation(['gpu'], {}, { platform: 'linux/arm64' })];
    expect(satisfyChecks(checks, cpuHost, arm, { contract }).attested.size).toBe(0);
    expect(
      satisfyChecks(checks, cpuHost, arm, { contract, platform: 'linux/amd64' }).attested.size,
    ).toBe(0);
    expect(
      satisfyChecks(checks, cpuHost, arm, { contract, platform: 'linux/arm64' }).attested.size,
    ).toBe(3);
  });

  it('a check the attestation does not list (renamed, other image, other hardware) is run', () => {
    const p = attestation(['gpu']);
    const renamed: ValidationPredicate = {
      ...p,
      checks: p.checks.map((c, i) => (i === HELLO ? { ...c, name: 'hello!' } : c)),
    };
    const s = satisfyChecks(checks, cpuHost, [renamed], { contract });
    expect(s.run).toEqual([HELLO]);
    const moved: ValidationPredicate = {
      ...p,
      checks: p.checks.map((c, i) => (i === GPU ? { ...c, requires: undefined } : c)),
    };
    expect(satisfyChecks(checks, cpuHost, [moved], { contract }).attested.has(GPU)).toBe(false);
  });

  it("a GPU runner with only a CPU runner's attestation runs just the GPU check", () => {
    const s = satisfyChecks(checks, gpuHost, [attestation([], { [GPU]: 'skipped' })], { contract });
    expect(s.run).toEqual([GPU]);
    const ran: CaseResult[] = checks.map((c) => ({
      name: c.name,
      classname: c.from,
      status: 'failed',
      message: 'not run here',
    }));
    ran[GPU] = { name: 'gpu works', classname: 'app', status: 'passed' };
    expect(withAttested(checks, ran, s).map((c) => c.status)).toEqual([
      'passed',
      'passed',
      'passed',
    ]);
    expect(withAttested(checks, ran, s)[HELLO]!.message).toMatch(
      /cpu-runner \(no special hardware\)/,
    );
  });
});
