import { describe, expect, it } from 'vitest';
import { ensureNetwork, publishOptions } from './container-ports';

describe('publishOptions', () => {
  it('publishes each port once on 127.0.0.1 at the same number, sorted', () => {
    expect(publishOptions({ ports: [8080, 8000, 8080] })).toEqual([
      '-p',
      '127.0.0.1:8000:8000',
      '-p',
      '127.0.0.1:8080:8080',
    ]);
    expect(publishOptions({})).toEqual([]);
  });
});

describe('ensureNetwork', () => {
  it('creates a missing named network, and never touches host or none', async () => {
    const calls: string[][] = [];
    const call = async (args: string[]) => {
      calls.push(args);
      return {
        exitCode: args[1] === 'inspect' && calls.length === 1 ? 1 : 0,
        stdout: '',
        stderr: '',
      };
    };
    await ensureNetwork(call, 'host', 'docker');
    await ensureNetwork(call, undefined, 'docker');
    expect(calls).toEqual([]);
    await ensureNetwork(call, 'imagesmith-dev', 'docker');
    expect(calls).toEqual([
      ['network', 'inspect', 'imagesmith-dev'],
      ['network', 'create', 'imagesmith-dev'],
    ]);
  });
});
