import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyCheck } from './verify-check';
import { formatVerifications, isImageName, runChecks, verify } from './verify';

const PUBLIC_PEM = '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n';
const REF = '127.0.0.1:5000/acme/app:1.0-r0';

function workspace(config: object = { signing: { public_key: 'cosign.pub' } }): string {
  const root = mkdtempSync(join(tmpdir(), 'verify-unit-'));
  writeFileSync(join(root, 'imagesmith.json'), JSON.stringify(config));
  writeFileSync(join(root, 'cosign.pub'), PUBLIC_PEM);
  return root;
}

const check = (name: string, ok: (ref: string) => boolean, hint?: string): VerifyCheck => ({
  name,
  check: async (ref) => ({
    ok: ok(ref),
    line: ok(ref) ? 'fine' : 'broken',
    ...(hint ? { hint } : {}),
  }),
});

describe('verify', () => {
  it('tells image names from references', () => {
    expect(isImageName('python-base')).toBe(true);
    expect(isImageName(REF)).toBe(false);
    expect(isImageName('app@sha256:' + 'a'.repeat(64))).toBe(false);
  });

  it('runs every check on every reference, none stopping the others', async () => {
    const ctx = {
      root: '/',
      publicKey: { kind: 'file', path: '/k', setting: 'k' } as const,
      cosign: {},
    };
    const out = await runChecks(['r/a:1', 'r/b:1'], ctx, [
      check('signature', (r) => r !== 'r/a:1'),
      check('sbom', () => true),
    ]);
    expect(formatVerifications(out)).toEqual([
      'r/a:1: signature: FAILED: broken',
      'r/a:1: sbom: ok, fine',
      'r/b:1: signature: ok, fine',
      'r/b:1: sbom: ok, fine',
    ]);
  });

  it('prints passing lines and fails naming the reference, the check, why and what to do', async () => {
    const root = workspace();
    const lines: string[] = [];
    const error = await verify(root, REF, { log: (l) => lines.push(l), env: {} }, [
      check('signature', () => false, 'push it with a key'),
      check('sbom', () => true),
    ]).catch((e: Error) => e);
    expect(lines).toEqual([`${REF}: sbom: ok, fine`]);
    expect(String(error)).toContain(`${REF}: signature: FAILED: broken`);
    expect(String(error)).toContain('hint: push it with a key');
    expect((error as { exitCode?: number }).exitCode).toBe(1);
  });

  it('needs a public key, and says where to set it', async () => {
    const root = workspace({});
    const error = await verify(root, REF, { log: () => undefined, env: {} }, []).catch(
      (e: Error) => e,
    );
    expect(String(error)).toMatch(/signing.*public_key.*COSIGN_PUBLIC_KEY.*--public-key/);
    expect((error as { exitCode?: number }).exitCode).toBe(2);
  });

  it('refuses an invalid reference before any check runs', async () => {
    const root = workspace();
    let ran = false;
    const spy: VerifyCheck = {
      name: 's',
      check: async () => ((ran = true), { ok: true, line: '' }),
    };
    await expect(
      verify(root, '127.0.0.1:5000/Acme/App:1', { log: () => undefined, env: {} }, [spy]),
    ).rejects.toThrow(/invalid image reference/);
    expect(ran).toBe(false);
  });

  it('says an unknown image is not one of the workspace', async () => {
    const root = workspace();
    await expect(
      verify(root, 'nosuchimage', { log: () => undefined, env: {} }, []),
    ).rejects.toThrow(/unknown image "nosuchimage".*give its full reference/);
  });
});
