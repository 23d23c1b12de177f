import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { matchOutput, patternError } from './output-match';
import { checkLimits, requireValidPatterns } from './run-checks';
import { collectChecks } from '@imagesmith/plan';

describe('output patterns', () => {
  it('matches line-wise (multiline), like the spec documents', async () => {
    expect(await matchOutput('^/opt/venv$', 'x\n/opt/venv\n', 2000)).toBe('match');
    expect(await matchOutput('^venv$', '/opt/venv', 2000)).toBe('no-match');
  });

  it('stops a catastrophically backtracking pattern at the limit: ^(a+)+$ against 34 a and "!"', async () => {
    const started = Date.now();
    expect(await matchOutput('^(a+)+$', `${'a'.repeat(34)}!`, 500)).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses an invalid pattern before any container, naming the file, check and pattern', () => {
    expect(patternError('(')).toMatch(/Unterminated group|Invalid regular expression/);
    const ws = workspaceOf({
      bad: 'description: b\nprofile: cpu\npython: "3.11"\ntests:\n  commands:\n    - { name: ver, run: "python -V", output: "Python 3" }\n',
    });
    // Spec validation refuses such a pattern at load (test/hostile-inputs.test.ts); validate keeps
    // its own check for whatever reaches it by another way.
    ws.specs.get('bad')!.spec.tests!.commands![0]!.output = 'Python (3';
    expect(() => requireValidPatterns(collectChecks(ws, 'bad', []))).toThrow(
      /images\/bad\/image\.yaml: tests\.commands "ver"\.output \/Python \(3\/ is not a valid regular expression/,
    );
  });

  it('reads the limits from the environment and names a bad one', () => {
    expect(checkLimits({})).toEqual({ checkSeconds: 300, regexMs: 1000 });
    expect(checkLimits({ IMAGESMITH_CHECK_TIMEOUT: '5' }).checkSeconds).toBe(5);
    expect(() => checkLimits({ IMAGESMITH_REGEX_TIMEOUT_MS: '1s' })).toThrow(
      /IMAGESMITH_REGEX_TIMEOUT_MS=1s is not a positive whole number/,
    );
  });
});
