import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '@imagesmith/engine';
import { workspaceOf } from '../../../../libs/core/src/test-support/fixtures';
import { evaluateChecks } from './evaluate-checks';
import { collectChecks } from './validate-contract';
import { containerScript, parseResults } from './validate-script';

const ws = workspaceOf({
  base: 'description: b\nprofile: cpu\npython: "3.11"\ntests:\n  env: { A: "1" }\n  max_size_mb: 100\n  commands:\n    - { name: gpu, run: nvidia-smi, requires: gpu }\n',
  child:
    'description: c\nprofile: cpu\nbase: base\ntests:\n  files: { exist: [/data], absent: [/root/.cache] }\n  imports: { six: "1.16" }\n  commands:\n    - { name: hello, run: "echo hello", output: "^hello$" }\n',
});
const info = (over: Partial<ImageInfo> = {}): ImageInfo => ({
  id: 'sha256:x',
  sizeBytes: 50e6,
  user: '1000:1000',
  env: { A: '1' },
  labels: {},
  repoTags: [],
  repoDigests: [],
  ...over,
});

describe('validate contracts', () => {
  const checks = collectChecks(ws, 'child', ['base']);

  it('inherits the parent checks first, then its own, then non-root and size', () => {
    expect(checks.map((c) => `${c.from}:${c.kind}`)).toEqual([
      'base:command',
      'base:env',
      'child:command',
      'child:file-exists',
      'child:file-absent',
      'child:import',
      'child:non-root',
      'base:size',
    ]);
  });

  it('runs every plain check in one script and parses the results back', () => {
    const script = containerScript(checks, (c) => !c.requires);
    expect(script).not.toContain('nvidia-smi');
    const out = [
      '@@cmd 2 0 aGVsbG8=',
      '@@file 3 1',
      '@@file 4 0',
      '@@imports {"six": {"ok": true, "version": "1.16.0"}}',
      '@@uid 1000',
    ].join('\n');
    const cases = evaluateChecks(checks, info(), parseResults(out), undefined, new Set());
    expect(cases.map((c) => c.status)).toEqual([
      'skipped',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
    ]);
    expect(cases[0]!.message).toMatch(/needs an NVIDIA GPU, which this host does not have/);
  });

  it('fails with a reason naming what is wrong', () => {
    const out = [
      '@@cmd 2 1 bm9wZQ==',
      '@@file 3 0',
      '@@file 4 1',
      '@@imports {"six": {"ok": true, "version": "1.15.0"}}',
      '@@uid 0',
    ].join('\n');
    const cases = evaluateChecks(
      checks,
      info({ env: {}, sizeBytes: 200e6, user: '' }),
      parseResults(out),
      undefined,
      new Set(),
    );
    const failed = Object.fromEntries(
      cases.filter((c) => c.status === 'failed').map((c) => [c.name, c.message]),
    );
    expect(failed['env A=1']).toMatch(/A is not set, expected "1"/);
    expect(failed.hello).toMatch(/exit code 1, expected 0; output: nope/);
    expect(failed['/data exists']).toMatch(/does not exist/);
    expect(failed['/root/.cache is absent']).toMatch(/exists in the image/);
    expect(failed['import six (1.16*)']).toMatch(/version 1\.15\.0, expected 1\.16\*/);
    expect(failed['runs as a non-root user']).toMatch(/set a non-root USER/);
    expect(failed['image size <= 100 MB']).toMatch(/200\.0 MB exceeds/);
  });
});
