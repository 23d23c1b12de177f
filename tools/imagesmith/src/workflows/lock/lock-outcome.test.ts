import { describe, expect, it } from 'vitest';
import { UsageError } from '@imagesmith/core';
import { LockError } from '@imagesmith/lock';
import { classifyLockError } from './lock-outcome';

const hint = 'fix it';

describe('classifyLockError: skipped (cannot be done here) vs failed (must be fixed)', () => {
  it('skips an image whose package source cannot be reached, with the source named', () => {
    const error = new LockError(
      'Poetry could not reach package source "neuron" (https://pip.repos.neuron.amazonaws.com) while locking images/neuron-compile.',
      { hint, output: 'Max retries exceeded with url: /simple/' },
    );
    expect(classifyLockError(error)).toEqual({
      state: 'skipped',
      reason:
        'Poetry could not reach package source "neuron" (https://pip.repos.neuron.amazonaws.com) while locking images/neuron-compile.',
    });
  });

  it('skips a vendor index that refuses this machine (403/404), but not PyPI or the pip mirror', () => {
    const out = (url: string) =>
      new LockError('`poetry lock` failed (exit code 1) for images/gpu-base.', {
        hint,
        output: `HTTPError\n\n  404 Client Error: Not Found for url: ${url}/torch/`,
      });
    expect(classifyLockError(out('https://download.pytorch.org/whl/cu121'))).toEqual({
      state: 'skipped',
      reason: 'vendor index download.pytorch.org answered 404 (no access from this machine)',
    });
    expect(classifyLockError(out('https://pypi.org/simple')).state).toBe('failed');
    expect(classifyLockError(out('http://10.0.0.5:3141/root/pypi'), ['10.0.0.5:3141']).state).toBe(
      'failed',
    );
  });

  it('fails a resolution conflict, a spec or usage error, and any other error, with its first line', () => {
    const conflict = new LockError('Poetry could not resolve the Python packages of images/x.', {
      hint,
      output:
        "Because x depends on a (>=2) which doesn't match any versions, version solving failed.",
    });
    expect(classifyLockError(conflict)).toEqual({
      state: 'failed',
      reason: 'Poetry could not resolve the Python packages of images/x.',
    });
    expect(classifyLockError(new UsageError('x: its base y is not locked yet\nmore'))).toEqual({
      state: 'failed',
      reason: 'x: its base y is not locked yet',
    });
  });
});
