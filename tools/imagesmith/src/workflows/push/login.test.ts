import { describe, expect, it } from 'vitest';
import type { Engine } from '@imagesmith/engine';
import type { Session } from '../shared/engine-context';
import { login } from './login';

function session() {
  const logins: [string, string][] = [];
  const lines: string[] = [];
  const engine = {
    login: async (host: string, user: string) => void logins.push([host, user]),
  } as unknown as Engine;
  const s = {
    config: { repository: '127.0.0.1:5000/team' },
    engine,
    log: (l: string) => void lines.push(l),
  } as unknown as Session;
  return { s, logins, lines };
}

describe('login', () => {
  it('logs in to the workspace registry by default, to a named one when given', async () => {
    const { s, logins, lines } = session();
    await login(s, 'ci', 'secret-pw');
    await login(s, 'ci', 'secret-pw', '127.0.0.1:5001');
    expect(logins).toEqual([
      ['127.0.0.1:5000', 'ci'],
      ['127.0.0.1:5001', 'ci'],
    ]);
    expect(lines).toEqual([
      'logged in to 127.0.0.1:5000 as ci',
      'logged in to 127.0.0.1:5001 as ci',
    ]);
    expect(lines.join('\n')).not.toContain('secret-pw');
  });

  it('refuses a registry that is not host[:port], saying what to pass', async () => {
    const { s, logins } = session();
    await expect(login(s, 'ci', 'pw', 'http://127.0.0.1:5001/v2')).rejects.toThrow(
      /"http:\/\/127\.0\.0\.1:5001\/v2" is not a registry host: pass host\[:port\]/,
    );
    expect(logins).toEqual([]);
  });
});
