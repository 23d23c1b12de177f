/**
 * Signing and verifying (issue 12, item 3), with the real cosign, docker engine and local registry:
 * push without a key says the image is unsigned and verify refuses it; push with a key (signing.key,
 * password from COSIGN_PASSWORD) signs the pushed digest and `imagesmith verify` / `nx run
 * <image>:verify` pass; another public key, a wrong password and a tag moved to unsigned content all
 * fail naming the reference and why. cosign runs with the test's own DOCKER_CONFIG. Skips with the
 * reason outside CI without docker, the registry or cosign; fails under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attest,
  copyImage,
  signingKey,
  verificationKey,
  verifyAttestations,
  verifySignature,
} from '../libs/engine/src/index';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { cli, docker, registryDigest, removeLocal } from './support/registry-copy';
import { createTempWorkspace, NX_ENV, removeWorkspace } from '../tools/testkit/temp-workspace';

const SPEC = 'description: signed fixture\nprofile: cpu\npython: "3.11"\nversion: "0.1"\n';
const PASSWORD = `pw-${process.pid}-s3cret`;
const ns = `signverify-${process.pid}-${Date.now()}`;
const repo = `${REGISTRY}/${ns}`;
const pinned = `${repo}/sigimg:0.1-r0`;
let root = '';
let skip = '';
let stores = '';
let env: Record<string, string> = {};

/** Why this test cannot run here, or undefined; under CI=true a missing cosign fails instead. */
function cosignSkipReason(): string | undefined {
  if (spawnSync('cosign', ['version'], { stdio: 'ignore' }).status === 0) return undefined;
  const why = 'cosign is not on PATH (`bash tools/setup.sh --engine` installs cosign 2.5)';
  if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) throw new Error(`CI=true and ${why}`);
  return why;
}

/** A cosign key pair in `dir` (cosign.key, cosign.pub), encrypted with PASSWORD. */
function keyPair(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('cosign', ['generate-key-pair'], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cosign generate-key-pair failed: ${r.stderr}`);
}

const config = (signing?: object) =>
  JSON.stringify({
    repository: repo,
    mirrors: { registry: REGISTRY },
    ...(signing ? { signing } : {}),
  });

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  const noCosign = cosignSkipReason();
  if (noCosign) {
    skip = noCosign;
    return;
  }
  root = createTempWorkspace({ sigimg: SPEC }, { 'imagesmith.json': config() });
  keyPair(join(root, 'keys'));
  keyPair(join(root, 'other'));
  // The test's own login store: cosign reads the engine's DOCKER_CONFIG; nothing of the machine's.
  stores = mkdtempSync(join(tmpdir(), 'imagesmith-sign-'));
  writeFileSync(join(stores, 'config.json'), '{}\n');
  env = { DOCKER_CONFIG: stores, COSIGN_PASSWORD: PASSWORD };
  const b = await cli(root, ['build', 'sigimg'], env);
  if (b.code !== 0) throw new Error(`build failed:\n${b.out}`);
}, 600_000);

afterAll(() => {
  if (!root) return;
  removeLocal(repo);
  removeWorkspace(root);
  rmSync(stores, { recursive: true, force: true });
}, 120_000);

describe('signing at push, checked by verify', () => {
  it('says an image pushed without a key is unsigned, and verify refuses it', async (ctx) => {
    if (skip) ctx.skip(skip);
    const r = await cli(root, ['push', 'sigimg'], env);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split('\n').filter((l) => /not signed/.test(l))).toEqual([
      expect.stringMatching(/^not signed: no signing key \(set "signing": \{"key": .*COSIGN_KEY/),
    ]);
    writeFileSync(join(root, 'imagesmith.json'), config({ public_key: 'keys/cosign.pub' }));
    const v = await cli(root, ['verify', pinned], env);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(
      new RegExp(
        `${pinned}: signature: FAILED: the content it names \\(sha256:\\w+\\) has no signature`,
      ),
    );
  }, 300_000);

  it('signs the pushed digest with signing.key, and verify passes for the image and a reference', async (ctx) => {
    if (skip) ctx.skip(skip);
    writeFileSync(
      join(root, 'imagesmith.json'),
      config({ key: 'keys/cosign.key', public_key: 'keys/cosign.pub' }),
    );
    // verify also wants a passing validate attestation: push attests this cached passing result.
    const validated = await cli(root, ['validate', 'sigimg'], env);
    expect(validated.code, validated.out).toBe(0);
    const r = await cli(root, ['push', 'sigimg'], env);
    expect(r.code, r.out).toBe(0);
    const digest = await registryDigest(pinned);
    expect(r.out).toContain(`sigimg: signed ${repo}/sigimg@${digest} (key: signing.key`);
    expect(r.out).not.toMatch(/not signed/);
    const v = await cli(root, ['verify', 'sigimg'], env);
    expect(v.code, v.out).toBe(0);
    const lines = v.out.split('\n').filter((l) => / signature: /.test(l));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${repo}/sigimg:ch-\\w+: signature: ok, signed by the key in signing\\.public_key .*\\(${digest}\\)$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^${pinned}: signature: ok, `)),
    ]);
    expect(v.out).toMatch(
      new RegExp(`${pinned}: validate attestation: ok, a passing validate attestation is signed`),
    );
    const byRef = await cli(root, ['verify', `${repo}/sigimg@${digest}`], env);
    expect(byRef.code, byRef.out).toBe(0);
    const viaNx = spawnSync('npx', ['nx', 'run', 'sigimg:verify', '--outputStyle=static'], {
      cwd: root,
      env: { ...NX_ENV, ...env },
      encoding: 'utf8',
    });
    expect(viaNx.status, `${viaNx.stdout}${viaNx.stderr}`).toBe(0);
    expect(viaNx.stdout).toMatch(new RegExp(`${pinned}: signature: ok`));
    for (const out of [r.out, v.out, byRef.out, viaNx.stdout, viaNx.stderr])
      expect(out).not.toContain(PASSWORD);
  }, 300_000);

  it('fails with another public key, naming the reference and that key', async (ctx) => {
    if (skip) ctx.skip(skip);
    const v = await cli(root, ['verify', '--public-key', 'other/cosign.pub', pinned], env);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(
      new RegExp(
        `${pinned}: signature: FAILED: the content it names \\(sha256:\\w+\\) is signed, but not by the key in --public-key \\("other/cosign\\.pub"\\)`,
      ),
    );
  }, 120_000);

  it('refuses a wrong password before pushing anything, naming the setting, never echoing it', async (ctx) => {
    if (skip) ctx.skip(skip);
    const before = await registryDigest(pinned);
    const r = await cli(root, ['push', 'sigimg'], { ...env, COSIGN_PASSWORD: 'not-the-password' });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(
      /signing\.key in imagesmith\.json \("keys\/cosign\.key"\): the key's password does not match; set COSIGN_PASSWORD/,
    );
    expect(r.out).not.toContain('not-the-password');
    expect(r.out).not.toMatch(/ pushed /);
    expect(await registryDigest(pinned)).toBe(before);
  }, 120_000);

  it('copies an image with its signature (cosign copy), so the copy verifies with the same key', async (ctx) => {
    if (skip) ctx.skip(skip);
    const copy = `${repo}/sigcopy:0.1-r0`;
    const opts = { env: { ...process.env, ...env } };
    await copyImage(pinned, copy, opts);
    const publicKey = verificationKey(root, { public_key: 'keys/cosign.pub' }, {})!;
    const check = await verifySignature(copy, publicKey, opts);
    expect(check).toMatchObject({ verified: true, digest: await registryDigest(pinned) });
  }, 120_000);

  it('attests a predicate on the digest and reads it back only with the signing pair', async (ctx) => {
    if (skip) ctx.skip(skip);
    const digest = await registryDigest(pinned);
    const opts = { env: { ...process.env, ...env } };
    const predicateFile = join(stores, 'predicate.json');
    writeFileSync(predicateFile, JSON.stringify({ result: 'passed', checks: 3 }));
    const type = 'https://imagesmith.dev/test/v1';
    const key = signingKey(root, { key: 'keys/cosign.key' }, {})!;
    await attest(`${repo}/sigimg@${digest}`, { predicateFile, type }, key, opts);
    const ours = verificationKey(root, { public_key: 'keys/cosign.pub' }, {})!;
    const got = await verifyAttestations(pinned, type, ours, opts);
    expect(got.verified).toBe(true);
    expect(got.statements).toEqual([
      expect.objectContaining({
        predicateType: type,
        predicate: { result: 'passed', checks: 3 },
        subject: [expect.objectContaining({ digest: { sha256: digest!.slice('sha256:'.length) } })],
      }),
    ]);
    const other = verificationKey(root, { public_key: 'other/cosign.pub' }, {})!;
    expect(await verifyAttestations(pinned, type, other, opts)).toMatchObject({
      verified: false,
      problem: 'other-key',
    });
    expect(await verifyAttestations(pinned, `${type}-other`, ours, opts)).toMatchObject({
      verified: false,
      problem: 'none',
    });
  }, 120_000);

  it('fails once the tag is moved to other, unsigned content', async (ctx) => {
    if (skip) ctx.skip(skip);
    const signed = await registryDigest(pinned);
    // Someone pushes another image under the production tag, outside imagesmith push.
    const other = `${REGISTRY}/library/python:3.9-slim-bookworm`;
    docker('pull', '-q', other);
    docker('tag', other, pinned);
    docker('push', '-q', pinned);
    const moved = await registryDigest(pinned);
    expect(moved).not.toBe(signed);
    const v = await cli(root, ['verify', 'sigimg'], env);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toContain(
      `${pinned}: signature: FAILED: the content it names (${moved}) has no signature`,
    );
    expect(v.out).toMatch(/hint: push it with a signing key configured/);
    // The content-hash tag still names the signed content.
    expect(v.out).toMatch(new RegExp(`${repo}/sigimg:ch-\\w+: signature: ok`));
  }, 300_000);
});
