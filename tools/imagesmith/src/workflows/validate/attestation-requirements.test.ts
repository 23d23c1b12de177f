import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { collectChecks, contractHash } from '@imagesmith/plan';
import { buildPredicate, type ValidationPredicate } from './attestation-predicate';
import { isValidationRequirement, requirementsMet } from './attestation-requirements';
import type { CaseResult } from './junit';

const checks = collectChecks(
  workspaceOf({
    app: 'description: a\nprofile: cpu\npython: "3.11"\ntests:\n  commands:\n    - { name: gpu works, run: nvidia-smi, requires: gpu }\n    - { name: hello, run: "echo hello" }\n',
  }),
  'app',
  [],
);
const contract = contractHash(checks);

function by(
  hardware: string[],
  status: Record<number, CaseResult['status']> = {},
): ValidationPredicate {
  return buildPredicate({
    image: 'app',
    checks,
    contract,
    cases: checks.map((c, i) => ({
      name: c.name,
      classname: c.from,
      status: status[i] ?? 'passed',
    })),
    runner: {
      name: hardware.length > 0 ? 'gpu-1' : 'cpu-1',
      hardware,
      engine: { name: 'docker', version: '26.1.5' },
      imagesmith: '0.1.0',
      platform: 'linux/amd64',
    },
  });
}
const cpuPassed = by([], { 0: 'skipped' });
const gpuPassed = by(['gpu']);
const gpuFailed = by(['gpu'], { 0: 'failed' });

describe('validate requirements (promote)', () => {
  it('validate: any passing attestation, hardware checks its runner lacked may be skipped', () => {
    expect(requirementsMet([cpuPassed], ['validate'])).toEqual({ ok: true, reasons: [] });
  });

  it('validate:gpu: only a passing attestation by a GPU runner', () => {
    const answer = requirementsMet([cpuPassed], ['validate', 'validate:gpu']);
    expect(answer.ok).toBe(false);
    expect(answer.reasons).toEqual([
      expect.stringMatching(
        /^validate:gpu: no passing validate attestation from a runner with gpu; .*IMAGESMITH_HARDWARE=gpu/,
      ),
    ]);
    expect(requirementsMet([cpuPassed, gpuPassed], ['validate', 'validate:gpu']).ok).toBe(true);
  });

  it('a failed attestation meets nothing and is named', () => {
    const answer = requirementsMet([gpuFailed], ['validate', 'validate:gpu']);
    expect(answer.ok).toBe(false);
    expect(answer.reasons).toHaveLength(2);
    expect(answer.reasons[1]).toMatch(/failed attestations \(never counted\): gpu-1 \(gpu\)$/);
  });

  it('with a contract, only attestations of it count', () => {
    expect(requirementsMet([gpuPassed], ['validate'], contract).ok).toBe(true);
    const other = requirementsMet([gpuPassed], ['validate'], 'c0ffee');
    expect(other.reasons[0]).toMatch(/no passing validate attestation of contract c0ffee/);
  });

  it('names a requirement that is not about validate', () => {
    expect(isValidationRequirement('signature')).toBe(false);
    expect(isValidationRequirement('validate:neuron')).toBe(true);
    expect(requirementsMet([gpuPassed], ['signature']).reasons).toEqual([
      'signature: not a validate requirement (validate, validate:<hardware>)',
    ]);
  });
});
