/**
 * promote (issue 12, item 5): an image copied by digest from the workspace repository to another
 * registry, with its signatures and attestations, only when promote.requires verifies there; never
 * built. Real CLI, docker engine, cosign (push signs, fixture validate attestations are signed with
 * the same key, as validate's runners sign theirs: a GPU runner's cannot be made here otherwise)
 * and two registries (the local one and a second Debian docker-registry on a free 127.0.0.1 port).
 * Skips with the reason outside CI without docker, the registry or cosign; fails under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, type CosignKey } from '../libs/engine/src/index';
import { VALIDATE_PREDICATE_TYPE } from '../tools/imagesmith/src/workflows/validate/attestation-predicate';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { startExtraRegistry, type ExtraRegistry } from './support/extra-registry';
import { cli, docker, registryDigest, removeLocal } from './support/registry-copy';
import { createTempWorkspace, NX_ENV, removeWorkspace } from '../tools/testkit/temp-workspace';

const APP = 'description: promoted fixture\nprofile: cpu\npython: "3.11"\nversion: "0.1"\n';
const PLAIN = 'description: unsigned fixture\nprofile: cpu\npython: "3.11"\nversion: "0.2"\n';
const PASSWORD = `pw-${process.pid}-promote`;
const ns = `promote-${process.pid}-${Date.now()}`;
const repo = `${REGISTRY}/${ns}`;
const REQUIRES = ['signature', 'validate', 'validate:gpu'];
let root = '';
let skip = '';
let stores = '';
let env: Record<string, string> = {};
let dest: ExtraRegistry | undefined;
let key: CosignKey;

function cosignSkipReason(): string | undefined {
  if (spawnSync('cosign', ['version'], { stdio: 'ignore' }).status === 0) return undefined;
  const why = 'cosign is not on PATH (`bash tools/setup.sh --engine` installs cosign 2.5)';
  if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) throw new Error(`CI=true and ${why}`);
  return why;
}

const config = (signing?: object) =>
  JSON.stringify({
    repository: repo,
    mirrors: { registry: REGISTRY },
    ...(signing ? { signing } : {}),
    promote: { requires: REQUIRES },
  });

/** cosign with the test's password and login store (stdout and stderr together). */
function cosign(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('cosign', args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A signed validate attestation on `image@digest`, as a runner with `hardware` would attach it. */
async function attestValidate(
  image: string,
  digest: string,
  runner: string,
  hardware: string[],
  result: 'passed' | 'failed',
): Promise<void> {
  const onGpu = hardware.includes('gpu');
  const predicate = {
    image,
    contract: 'fixture-contract',
    result,
    checks: [
      { name: 'python runs', classname: image, result: 'passed' },
      {
        name: 'sees a GPU',
        classname: image,
        requires: 'gpu',
        result: onGpu ? result : 'skipped',
        ...(onGpu && result === 'failed' ? { message: 'no device' } : {}),
      },
    ],
    runner: {
      name: runner,
      hardware,
      engine: { name: 'docker', version: '26.1.5' },
      imagesmith: '0.1.0',
      platform: 'linux/amd64',
    },
  };
  const file = join(stores, `${runner}-${result}.json`);
  writeFileSync(file, JSON.stringify(predicate), { mode: 0o600 });
  await attest(
    `${repo}/${image}@${digest}`,
    { predicateFile: file, type: VALIDATE_PREDICATE_TYPE },
    key,
    { env: { ...process.env, ...env } },
  );
}

const tags = (base: string, image: string, version: string) =>
  ['pinned', 'floating'].map(
    (k) => `${base}/${image}:${k === 'pinned' ? `${version}-r0` : version}`,
  );

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
  root = createTempWorkspace({ prapp: APP, prplain: PLAIN }, { 'imagesmith.json': config() });
  mkdirSync(join(root, 'keys'));
  const k = spawnSync('cosign', ['generate-key-pair'], {
    cwd: join(root, 'keys'),
    env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  if (k.status !== 0) throw new Error(`cosign generate-key-pair failed: ${k.stderr}`);
  key = { kind: 'file', path: join(root, 'keys/cosign.key'), setting: 'the test key' };
  stores = mkdtempSync(join(tmpdir(), 'imagesmith-promote-'));
  writeFileSync(join(stores, 'config.json'), '{}\n');
  env = { DOCKER_CONFIG: stores, COSIGN_PASSWORD: PASSWORD };
  dest = await startExtraRegistry({ deletes: true });
  // prplain is pushed without a key (unsigned); prapp with one (push signs its digest).
  for (const image of ['prplain', 'prapp']) {
    if (image === 'prapp')
      writeFileSync(
        join(root, 'imagesmith.json'),
        config({ key: 'keys/cosign.key', public_key: 'keys/cosign.pub' }),
      );
    for (const step of ['build', 'push']) {
      const r = await cli(root, [step, image], env);
      if (r.code !== 0) throw new Error(`${step} ${image} failed:\n${r.out}`);
    }
  }
  // Nothing local from here on: promote works registry to registry, and must neither build nor pull.
  removeLocal(repo);
}, 600_000);

afterAll(async () => {
  await dest?.close();
  if (!root) return;
  removeLocal(repo);
  removeWorkspace(root);
  rmSync(stores, { recursive: true, force: true });
}, 120_000);

describe('promote', () => {
  const to = () => `${dest!.addr}/prod`;

  it('refuses an image without a validate:gpu attestation, naming the entry and its field', async (ctx) => {
    if (skip) ctx.skip(skip);
    const digest = (await registryDigest(`${repo}/prapp:0.1-r0`))!;
    await attestValidate('prapp', digest, 'cpu-runner-1', [], 'passed');
    const r = await cli(root, ['promote', 'prapp', '--to', to()], env);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `not promoted to ${to()} (1 requirement of promote.requires in imagesmith.json not met; nothing was copied)`,
    );
    expect(r.out).toContain(
      `prapp: ${repo}/prapp@${digest} lacks a passing validate:gpu attestation: `,
    );
    expect(r.out).toContain('or drop "validate:gpu" from promote.requires in imagesmith.json');
    expect(r.out).not.toMatch(/lacks a verified signature|lacks a passing validate attestation/);
    for (const ref of tags(to(), 'prapp', '0.1')) expect(await registryDigest(ref)).toBeUndefined();
  }, 300_000);

  it('refuses an image whose validate failed on the GPU runner, saying so', async (ctx) => {
    if (skip) ctx.skip(skip);
    const digest = (await registryDigest(`${repo}/prapp:0.1-r0`))!;
    await attestValidate('prapp', digest, 'gpu-runner-1', ['gpu'], 'failed');
    const r = await cli(root, ['promote', 'prapp', '--to', to()], env);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(
      /lacks a passing validate:gpu attestation: .*failed attestations .*gpu-runner-1 \(gpu\)/,
    );
    expect(await registryDigest(`${to()}/prapp:0.1-r0`)).toBeUndefined();
  }, 300_000);

  it('refuses an unsigned image even with passing validate attestations', async (ctx) => {
    if (skip) ctx.skip(skip);
    const digest = (await registryDigest(`${repo}/prplain:0.2-r0`))!;
    await attestValidate('prplain', digest, 'gpu-runner-2', ['gpu'], 'passed');
    const r = await cli(root, ['promote', 'prplain', '--to', to()], env);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `prplain: ${repo}/prplain@${digest} lacks a verified signature (the content it names (${digest}) has no signature)`,
    );
    expect(r.out).toContain('or drop "signature" from promote.requires in imagesmith.json');
    expect(await registryDigest(`${to()}/prplain:0.2-r0`)).toBeUndefined();
  }, 300_000);

  it('promotes a signed image with a passing GPU validate by digest, signatures and attestations with it, without building', async (ctx) => {
    if (skip) ctx.skip(skip);
    const source = `${repo}/prapp:0.1-r0`;
    const digest = (await registryDigest(source))!;
    await attestValidate('prapp', digest, 'gpu-runner-3', ['gpu'], 'passed');
    const r = await cli(root, ['promote', 'prapp', '--to', to()], env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^prapp: promoted ${repo}/prapp@${digest} to ${to()}/prapp \\(tags ch-\\w+, 0\\.1-r0, 0\\.1\\); verified signature by the key in signing\\.public_key .*; validate attestation; validate:gpu attestation$`,
        'm',
      ),
    );
    // The same manifest under every tag: the digest the signatures and attestations name.
    const content = /tags (ch-\w+),/.exec(r.out)![1]!;
    for (const ref of [`${to()}/prapp:${content}`, ...tags(to(), 'prapp', '0.1')])
      expect(await registryDigest(ref), ref).toBe(digest);
    const pub = join(root, 'keys/cosign.pub');
    const flags = [
      '--private-infrastructure',
      '--allow-http-registry',
      '--allow-insecure-registry',
    ];
    const sig = cosign('verify', '--key', pub, ...flags, `${to()}/prapp:0.1-r0`);
    expect(sig.status, sig.out).toBe(0);
    const att = cosign(
      'verify-attestation',
      '--key',
      pub,
      '--type',
      VALIDATE_PREDICATE_TYPE,
      ...flags,
      `${to()}/prapp@${digest}`,
    );
    expect(att.status, att.out).toBe(0);
    // Never built or pulled: the engine holds nothing of the workspace repository or the destination.
    const local = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
      .split('\n')
      .filter((l) => l.startsWith(repo) || l.startsWith(dest!.addr));
    expect(local).toEqual([]);
  }, 300_000);

  it('promoting again, by the CLI or the Nx target, moves nothing', async (ctx) => {
    if (skip) ctx.skip(skip);
    const before = await registryDigest(`${to()}/prapp:0.1-r0`);
    const r = await cli(root, ['promote', 'prapp', '--to', to()], env);
    expect(r.code, r.out).toBe(0);
    expect(await registryDigest(`${to()}/prapp:0.1-r0`)).toBe(before);
    // The same through the Nx target, the destination passed on as the command's option.
    const viaNx = spawnSync(
      'npx',
      ['nx', 'run', 'prapp:promote', `--to=${to()}`, '--outputStyle=static'],
      { cwd: root, env: { ...NX_ENV, ...env }, encoding: 'utf8' },
    );
    expect(viaNx.status, `${viaNx.stdout}${viaNx.stderr}`).toBe(0);
    expect(viaNx.stdout).toMatch(
      new RegExp(`prapp: promoted ${repo}/prapp@${before} to ${to()}/prapp`),
    );
    expect(await registryDigest(`${to()}/prapp:0.1-r0`)).toBe(before);
  }, 300_000);

  it('usage errors exit 2: no --to, an empty one, a typo, no image', async (ctx) => {
    if (skip) ctx.skip(skip);
    for (const [args, message] of [
      [['promote', 'prapp'], 'promote needs --to <repository>'],
      [['promote', 'prapp', '--to', ''], '--to needs a repository'],
      [['promote', 'prapp', '--too', to()], "Unknown option '--too'"],
      [['promote', '--to', to()], 'name exactly one image to promote'],
      [['promote', 'prapp', '--to', 'prod'], 'names no registry'],
    ] as const) {
      const r = await cli(root, [...args], env);
      expect(r.code, r.out).toBe(2);
      expect(r.out).toContain(message);
    }
  }, 120_000);
});
