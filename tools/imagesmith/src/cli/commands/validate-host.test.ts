import { UsageError } from '@imagesmith/core';
import { describe, expect, it } from 'vitest';
import { hostExecutorOptions } from './validate-host';

describe('validate --executor / --requires', () => {
  it('reads host and container, and --requires with the host executor', () => {
    expect(hostExecutorOptions({})).toEqual({ host: false });
    expect(hostExecutorOptions({ executor: 'container' })).toEqual({ host: false });
    expect(hostExecutorOptions({ executor: 'host', requires: 'gpu' })).toEqual({
      host: true,
      requires: 'gpu',
    });
  });

  it('refuses a typo, an empty value and --requires without --executor host (usage errors)', () => {
    const usage = (values: Record<string, unknown>) => () => hostExecutorOptions(values);
    expect(usage({ executor: 'hots' })).toThrow(UsageError);
    expect(usage({ executor: 'hots' })).toThrow(/--executor must be container or host, not "hots"/);
    expect(usage({ executor: '' })).toThrow(/--executor must be container or host, not ""/);
    expect(usage({ executor: 'host', requires: '' })).toThrow(/--requires needs a hardware name/);
    expect(usage({ requires: 'gpu' })).toThrow(/--requires works with --executor host/);
  });
});
