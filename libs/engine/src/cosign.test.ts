import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArgv, registryFlags, signArgv, verifyArgv } from './cosign-argv';
import { signingKey, verificationKey, type CosignKey } from './cosign-key';
import {
  attest,
  cosignEnvironment,
  decodeAttestations,
  signDigest,
  unlockKey,
  verifyAttestations,
  verifySignature,
} from './cosign';
import type { Exec, ExecOptions } from './exec';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const REF = `127.0.0.1:5000/acme/app@${DIGEST}`;
const PASSWORD = 'hunter2-very-secret';
const PRIVATE_PEM =
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OH19\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const PUBLIC_PEM =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexamplepublickeymaterial==\n-----END PUBLIC KEY-----\n';

function keyFiles(): { dir: string; key: CosignKey; pub: CosignKey } {
  const dir = mkdtempSync(join(tmpdir(), 'cosign-unit-'));
  writeFileSync(join(dir, 'cosign.key'), PRIVATE_PEM, { mode: 0o600 });
  writeFileSync(join(dir, 'cosign.pub'), PUBLIC_PEM);
  const signing = { key: 'cosign.key', public_key: 'cosign.pub' };
  return {
    dir,
    key: signingKey(dir, signing, {})!,
    pub: verificationKey(dir, signing, {})!,
  };
}

/** A fake cosign: records each call, answers with the given result. */
function fakeCosign(
  answer: (argv: readonly string[]) => { exitCode: number; stdout?: string; stderr?: string },
) {
  const calls: { argv: readonly string[]; options?: ExecOptions }[] = [];
  const exec: Exec = async (_file, argv, options) => {
    calls.push({ argv, options });
    const a = answer(argv);
    return { exitCode: a.exitCode, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  };
  return { calls, exec, which: () => '/usr/bin/cosign' };
}

describe('cosign argv', () => {
  it('speaks plain http only to loopback registries and those marked insecure', () => {
    expect(registryFlags('127.0.0.1:5000/a:1')).toEqual([
      '--allow-http-registry',
      '--allow-insecure-registry',
    ]);
    expect(registryFlags('localhost:5000/a:1')).toHaveLength(2);
    expect(registryFlags('ghcr.io/acme/a:1')).toEqual([]);
    expect(registryFlags('registry.example:5000/a:1')).toEqual([]);
    expect(
      registryFlags('registry.example:5000/a:1', { insecureRegistries: ['registry.example:5000'] }),
    ).toHaveLength(2);
  });

  it('signs without uploading to the transparency log and verifies without looking it up', () => {
    const key: CosignKey = { kind: 'file', path: '/k/cosign.key', setting: 'signing.key' };
    expect(signArgv('ghcr.io/acme/a@' + DIGEST, key)).toEqual([
      'sign',
      '--key',
      '/k/cosign.key',
      '--tlog-upload=false',
      '--yes',
      `ghcr.io/acme/a@${DIGEST}`,
    ]);
    expect(verifyArgv('ghcr.io/acme/a:1', key)).toContain('--private-infrastructure');
    expect(copyArgv('127.0.0.1:5000/a:1', '127.0.0.1:5000/b:1')).toEqual([
      'copy',
      '--force',
      '--allow-http-registry',
      '--allow-insecure-registry',
      '127.0.0.1:5000/a:1',
      '127.0.0.1:5000/b:1',
    ]);
  });

  it('passes a key held in COSIGN_KEY as env://COSIGN_KEY, never its text', () => {
    const env = { COSIGN_KEY: PRIVATE_PEM };
    const key = signingKey('/ws', { key: 'cosign.key' }, env)!;
    expect(key).toEqual({ kind: 'env', variable: 'COSIGN_KEY', setting: 'COSIGN_KEY' });
    const argv = signArgv(REF, key);
    expect(argv).toContain('env://COSIGN_KEY');
    expect(argv.join(' ')).not.toContain('PRIVATE KEY');
  });

  it('takes key paths relative to the workspace root; no setting means no key', () => {
    expect(signingKey('/ws', { key: 'keys/cosign.key' }, {})).toMatchObject({
      kind: 'file',
      path: '/ws/keys/cosign.key',
    });
    expect(signingKey('/ws', undefined, { COSIGN_KEY: '' })).toBeUndefined();
    expect(verificationKey('/ws', { key: 'k' }, {})).toBeUndefined();
  });
});

describe('signing', () => {
  it('gives cosign the password in its environment, not argv, and an empty one rather than a prompt', async () => {
    const { key } = keyFiles();
    const fake = fakeCosign(() => ({ exitCode: 0 }));
    await signDigest(REF, key, {
      exec: fake.exec,
      which: fake.which,
      env: { COSIGN_PASSWORD: PASSWORD },
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.argv.join(' ')).not.toContain(PASSWORD);
    expect(fake.calls[0]!.options?.env?.COSIGN_PASSWORD).toBe(PASSWORD);
    expect(cosignEnvironment({}).COSIGN_PASSWORD).toBe('');
  });

  it('keeps the DOCKER_CONFIG the engine logs in with', async () => {
    const { key } = keyFiles();
    const fake = fakeCosign(() => ({ exitCode: 0 }));
    await signDigest(REF, key, {
      exec: fake.exec,
      which: fake.which,
      env: { DOCKER_CONFIG: '/d' },
    });
    expect(fake.calls[0]!.options?.env?.DOCKER_CONFIG).toBe('/d');
  });

  it('refuses a tag: a signature is bound to a digest', async () => {
    const { key } = keyFiles();
    const fake = fakeCosign(() => ({ exitCode: 0 }));
    await expect(
      signDigest('127.0.0.1:5000/acme/app:1.0', key, { exec: fake.exec, which: fake.which }),
    ).rejects.toThrow(/by digest/);
    expect(fake.calls).toHaveLength(0);
  });

  it('names the setting when the password is wrong, and scrubs the password from the error', async () => {
    const { key } = keyFiles();
    const fake = fakeCosign(() => ({
      exitCode: 1,
      stderr: `Error: signing: getting signer: reading key: decrypt: encrypted: decryption failed (${PASSWORD})`,
    }));
    const error = await signDigest(REF, key, {
      exec: fake.exec,
      which: fake.which,
      env: { COSIGN_PASSWORD: PASSWORD },
    }).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /signing\.key in imagesmith\.json.*password does not match.*COSIGN_PASSWORD/,
    );
    expect(String(error)).not.toContain(PASSWORD);
  });

  it('names the setting, before running cosign, for a missing or garbled key', async () => {
    const { dir } = keyFiles();
    writeFileSync(join(dir, 'bad.key'), 'garbage\n');
    const fake = fakeCosign(() => ({ exitCode: 0 }));
    const run = { exec: fake.exec, which: fake.which, env: {} };
    await expect(signDigest(REF, signingKey(dir, { key: 'nope.key' }, {})!, run)).rejects.toThrow(
      /signing\.key in imagesmith\.json \("nope\.key"\).*does not exist/,
    );
    await expect(signDigest(REF, signingKey(dir, { key: 'bad.key' }, {})!, run)).rejects.toThrow(
      /signing\.key.*not a cosign private key/,
    );
    await expect(signDigest(REF, signingKey(dir, { key: 'cosign.pub' }, {})!, run)).rejects.toThrow(
      /not a cosign private key \(a PEM "PUBLIC KEY" block\)/,
    );
    await expect(
      signDigest(REF, signingKey(dir, {}, { COSIGN_KEY: 'nonsense' })!, {
        ...run,
        env: { COSIGN_KEY: 'nonsense' },
      }),
    ).rejects.toThrow(/^COSIGN_KEY: not a cosign private key/);
    expect(fake.calls).toHaveLength(0);
  });

  it('scrubs key text held in COSIGN_KEY from cosign output', async () => {
    const env = { COSIGN_KEY: PRIVATE_PEM, COSIGN_PASSWORD: PASSWORD };
    const key = signingKey('/ws', {}, env)!;
    const fake = fakeCosign(() => ({ exitCode: 1, stderr: `weird failure: ${PRIVATE_PEM}` }));
    const error = await attest(REF, { predicateFile: '/p.json', type: 'https://t/v1' }, key, {
      exec: fake.exec,
      which: fake.which,
      env,
    }).catch((e: Error) => e);
    expect(String(error)).toContain('cannot attest');
    expect(String(error)).not.toContain(
      'eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OH19',
    );
  });

  it('opens the key with cosign public-key, naming the setting on a wrong password', async () => {
    const { key } = keyFiles();
    const ok = fakeCosign(() => ({ exitCode: 0, stdout: PUBLIC_PEM }));
    expect(await unlockKey(key, { exec: ok.exec, which: ok.which, env: {} })).toBe(
      PUBLIC_PEM.trim(),
    );
    expect(ok.calls[0]!.argv).toEqual(['public-key', '--key', key.kind === 'file' ? key.path : '']);
    const bad = fakeCosign(() => ({
      exitCode: 1,
      stderr: 'Error: decrypt: encrypted: decryption failed',
    }));
    await expect(
      unlockKey(key, { exec: bad.exec, which: bad.which, env: { COSIGN_PASSWORD: PASSWORD } }),
    ).rejects.toThrow(
      /^signing\.key in imagesmith\.json \("cosign\.key"\): the key's password does not match/,
    );
  });

  it('says cosign is missing and how to get it', async () => {
    const { key } = keyFiles();
    await expect(signDigest(REF, key, { which: () => undefined })).rejects.toThrow(
      /cosign is not on PATH: install cosign/,
    );
  });
});

describe('verifying', () => {
  const TAG = '127.0.0.1:5000/acme/app:1.0';
  const triangulate = `127.0.0.1:5000/acme/app:sha256-${'b'.repeat(64)}.sig`;

  it('returns the signed digest', async () => {
    const { pub } = keyFiles();
    const payload = JSON.stringify([{ critical: { image: { 'docker-manifest-digest': DIGEST } } }]);
    const fake = fakeCosign(() => ({ exitCode: 0, stdout: payload }));
    expect(await verifySignature(TAG, pub, { exec: fake.exec, which: fake.which })).toEqual({
      verified: true,
      ref: TAG,
      digest: DIGEST,
    });
  });

  it('tells unsigned content from content signed by another key, with the digest the tag names', async () => {
    const { pub } = keyFiles();
    for (const [code, stderr, problem, reason] of [
      [10, 'Error: no signatures found', 'unsigned', /has no signature/],
      [
        12,
        'Error: no matching signatures: invalid signature',
        'other-key',
        /not by the key in signing\.public_key/,
      ],
    ] as const) {
      const fake = fakeCosign((argv) =>
        argv[0] === 'triangulate'
          ? { exitCode: 0, stdout: triangulate }
          : { exitCode: code, stderr },
      );
      const check = await verifySignature(TAG, pub, { exec: fake.exec, which: fake.which });
      expect(check).toMatchObject({ verified: false, problem, digest: `sha256:${'b'.repeat(64)}` });
      expect(check.reason).toMatch(reason);
    }
  });

  it('answers missing for an image the registry does not hold', async () => {
    const { pub } = keyFiles();
    const fake = fakeCosign(() => ({
      exitCode: 11,
      stderr: 'Error: image tag not found: MANIFEST_UNKNOWN',
    }));
    expect(await verifySignature(TAG, pub, { exec: fake.exec, which: fake.which })).toMatchObject({
      verified: false,
      problem: 'missing',
    });
  });

  it('is an error, not an answer, when the registry is down', async () => {
    const { pub } = keyFiles();
    const fake = fakeCosign(() => ({
      exitCode: 1,
      stderr: 'dial tcp 127.0.0.1:5000: connect: connection refused',
    }));
    await expect(verifySignature(TAG, pub, { exec: fake.exec, which: fake.which })).rejects.toThrow(
      /registry 127\.0\.0\.1:5000 could not be reached/,
    );
  });

  it('decodes the in-toto statements of verified attestations', async () => {
    const { pub } = keyFiles();
    const statement = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://imagesmith.dev/validation/v1',
      subject: [{ name: '127.0.0.1:5000/acme/app', digest: { sha256: 'c'.repeat(64) } }],
      predicate: { result: 'passed' },
    };
    const line = JSON.stringify({
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      signatures: [{ keyid: '', sig: 'x' }],
    });
    expect(decodeAttestations(`${line}\n${line}\n`)).toEqual([statement, statement]);
    const fake = fakeCosign(() => ({ exitCode: 0, stdout: line }));
    expect(
      await verifyAttestations(TAG, statement.predicateType, pub, {
        exec: fake.exec,
        which: fake.which,
      }),
    ).toEqual({
      verified: true,
      ref: TAG,
      statements: [statement],
      digest: `sha256:${'c'.repeat(64)}`,
    });
  });

  it('tells no attestation of the type from attestations by another key', async () => {
    const { pub } = keyFiles();
    for (const [stderr, problem] of [
      [
        'Error: none of the attestations matched the predicate type: https://t/v1, found: https://other/v1',
        'none',
      ],
      ['Error: no matching attestations: ', 'none'],
      [
        'Error: no matching attestations: accepted signatures do not match threshold, Found: 0, Expected 1',
        'other-key',
      ],
    ] as const) {
      const fake = fakeCosign((argv) =>
        argv[0] === 'triangulate' ? { exitCode: 0, stdout: triangulate } : { exitCode: 1, stderr },
      );
      expect(
        await verifyAttestations(TAG, 'https://t/v1', pub, { exec: fake.exec, which: fake.which }),
      ).toMatchObject({ verified: false, problem, statements: [] });
    }
  });
});
