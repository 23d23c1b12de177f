import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../libs/core/test-support/fixtures';
import { contractSummary } from './contract-summary';

const ws = workspaceOf({
  base: 'description: base\nprofile: cpu\npython: "3.11"\ntests:\n  env: { A: "1" }\n',
  gpu: [
    'description: gpu\nprofile: cuda12\npython: "3.10"\ntests:\n  commands:',
    '    - { name: smi, run: nvidia-smi, requires: gpu }',
    '    - { name: cuda, run: nvcc --version, requires: gpu }',
    '    - { name: py, run: python -V }\n',
  ].join('\n'),
  child: 'description: child\nprofile: cpu\nbase: base\n',
});

describe('contractSummary', () => {
  it('counts the checks validate runs, the default non-root one included', () => {
    expect(contractSummary(ws, 'base')).toBe('2 checks');
  });

  it("includes the parents' checks", () => {
    expect(contractSummary(ws, 'child')).toBe('2 checks');
  });

  it('says how many need which hardware', () => {
    expect(contractSummary(ws, 'gpu')).toBe('4 checks (2 need gpu)');
  });
});
