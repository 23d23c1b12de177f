import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REPOSITORY } from '@imagesmith/core';
import { describe, expect, it } from 'vitest';
import { pushSigner, UNSIGNED_NOTICE } from './sign';

const PRIVATE_PEM =
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const DIGEST = `sha256:${'d'.repeat(64)}`;

function session(signing?: { key?: string }) {
  const root = mkdtempSync(join(tmpdir(), 'sign-unit-'));
  writeFileSync(join(root, 'cosign.key'), PRIVATE_PEM, { mode: 0o600 });
  const lines: string[] = [];
  return {
    lines,
    s: {
      root,
      config: { repository: DEFAULT_REPOSITORY, mirrors: {}, ...(signing ? { signing } : {}) },
      log: (l: string) => lines.push(l),
    },
  };
}

function fakeCosign(exitCode = 0, stderr = '') {
  const calls: string[][] = [];
  return {
    calls,
    opts: {
      which: () => '/usr/bin/cosign',
      exec: async (_f: string, argv: readonly string[]) => {
        calls.push([...argv]);
        return { exitCode: argv[0] === 'public-key' ? 0 : exitCode, stdout: '', stderr };
      },
    },
  };
}

describe('push signing', () => {
  it('signs nothing without a key and says so in one line, at the end', async () => {
    const { s, lines } = session();
    const fake = fakeCosign();
    const signer = await pushSigner(s, {}, fake.opts);
    await signer.sign('app', `${DEFAULT_REPOSITORY}/app:ch-1`, DIGEST);
    expect(lines).toEqual([]);
    signer.done();
    expect(lines).toEqual([UNSIGNED_NOTICE]);
    expect(fake.calls).toEqual([]);
  });

  it('opens the key before anything is pushed, then signs the pushed digest in its repository', async () => {
    const { s, lines } = session({ key: 'cosign.key' });
    const fake = fakeCosign();
    const signer = await pushSigner(s, { COSIGN_PASSWORD: 'pw' }, fake.opts);
    expect(fake.calls.map((c) => c[0])).toEqual(['public-key']);
    await signer.sign('app', '127.0.0.1:5000/acme/app:ch-1', DIGEST);
    expect(fake.calls[1]).toContain(`127.0.0.1:5000/acme/app@${DIGEST}`);
    expect(fake.calls.flat().join(' ')).not.toContain('pw');
    expect(lines).toEqual([
      `app: signed 127.0.0.1:5000/acme/app@${DIGEST} (key: signing.key in imagesmith.json ("cosign.key"))`,
    ]);
    signer.done();
    expect(lines).toHaveLength(1);
  });

  it('fails naming the setting when the key is missing, before cosign runs', async () => {
    const { s } = session({ key: 'keys/missing.key' });
    const fake = fakeCosign();
    await expect(pushSigner(s, {}, fake.opts)).rejects.toThrow(
      /signing\.key in imagesmith\.json \("keys\/missing\.key"\).*does not exist/,
    );
    expect(fake.calls).toEqual([]);
  });

  it('takes the key from COSIGN_KEY over the file', async () => {
    const { s, lines } = session({ key: 'keys/missing.key' });
    const fake = fakeCosign();
    const signer = await pushSigner(s, { COSIGN_KEY: PRIVATE_PEM }, fake.opts);
    await signer.sign('app', '127.0.0.1:5000/acme/app:ch-1', DIGEST);
    expect(fake.calls[1]).toContain('env://COSIGN_KEY');
    expect(lines[0]).toMatch(/\(key: COSIGN_KEY\)$/);
  });

  it('refuses to sign when the registry named no digest', async () => {
    const { s } = session({ key: 'cosign.key' });
    const signer = await pushSigner(s, {}, fakeCosign().opts);
    await expect(signer.sign('app', '127.0.0.1:5000/acme/app:ch-1', undefined)).rejects.toThrow(
      /app: cannot sign .*did not say which digest/,
    );
  });
});
