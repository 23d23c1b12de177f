/**
 * gc (issue 12, item 6): the content-hash tags of an image's repository that no pinned or floating
 * tag names, beyond the newest --keep N, are listed (dry run, the default) or deleted through the
 * registry API; a registry that refuses deletes is said so. Real CLI, registries (the local one and
 * a second Debian docker-registry with deletes off) and fixture images built by docker from the
 * stand-in base with SOURCE_DATE_EPOCH (their config's created time, gc's order). Skips with the
 * reason outside CI without docker and the local registry; fails under CI=true.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from './support/engine-env';
import { startExtraRegistry, type ExtraRegistry } from './support/extra-registry';
import { cli, DOCKER, docker, registryDigest } from './support/registry-copy';
import { registryWorkspace } from './support/registry-workspace';
import { removeWorkspace } from '../tools/testkit/temp-workspace';

const SPEC = 'description: gc fixture\nprofile: cpu\npython: "3.11"\nversion: "0.1"\n';
const ns = `gc-${process.pid}-${Date.now()}`;
const repo = `${REGISTRY}/${ns}`;
let root = '';
let skip = '';
let noDeletes: ExtraRegistry | undefined;
let keys = '';

/** Signs `image@digest` with a throwaway cosign key, as push signs; false when cosign is missing. */
function sign(ref: string): boolean {
  if (spawnSync('cosign', ['version'], { stdio: 'ignore' }).status !== 0) {
    if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) throw new Error('CI=true and no cosign');
    return false;
  }
  const env = { ...process.env, COSIGN_PASSWORD: '' };
  if (!keys) {
    keys = mkdtempSync(join(tmpdir(), 'imagesmith-gc-keys-'));
    spawnSync('cosign', ['generate-key-pair'], { cwd: keys, env });
  }
  const r = spawnSync(
    'cosign',
    [
      'sign',
      '--key',
      join(keys, 'cosign.key'),
      '--tlog-upload=false',
      '--yes',
      '--allow-http-registry',
      ref,
    ],
    { env, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`cosign sign ${ref}: ${r.stderr}`);
  return true;
}
const sigTag = (image: string, digest: string) => `${image}:${digest.replace(':', '-')}.sig`;

/**
 * Pushes a tiny image (the stand-in base plus a label) created at `epoch` under every tag of
 * `refs` (one repository), and removes it locally. Returns its digest.
 */
async function pushFixture(refs: string[], epoch: number): Promise<string> {
  const [first, ...more] = refs as [string, ...string[]];
  execFileSync(
    DOCKER,
    ['build', '-q', '--build-arg', `SOURCE_DATE_EPOCH=${epoch}`, '-t', first, '-'],
    {
      input: `FROM ${REGISTRY}/library/python:3.11-slim-bookworm\nLABEL dev.imagesmith.test.gc=${epoch}\n`,
      encoding: 'utf8',
    },
  );
  for (const ref of more) docker('tag', first, ref);
  for (const ref of refs) docker('push', '-q', ref);
  docker('rmi', ...refs);
  return (await registryDigest(first))!;
}

const hash = (n: number) => `ch-${String(n).padStart(20, '0')}`;

beforeAll(async () => {
  const got = await registryWorkspace({ gcimg: SPEC }, repo);
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = got.root;
  noDeletes = await startExtraRegistry({ deletes: false });
}, 120_000);

afterAll(async () => {
  await noDeletes?.close();
  if (keys) rmSync(keys, { recursive: true, force: true });
  if (root) removeWorkspace(root);
});

describe('gc', () => {
  const image = `${repo}/gcimg`;
  const digests: Record<string, string> = {};

  it('a dry run lists the unreferenced old content tags and deletes nothing', async (ctx) => {
    if (skip) ctx.skip(skip);
    // 1 is released (pinned and floating name it), 2 and 3 are old builds, 4 is the newest.
    digests[hash(1)] = await pushFixture(
      [`${image}:${hash(1)}`, `${image}:0.1-r0`, `${image}:0.1`],
      1_000_000_000,
    );
    for (const n of [2, 3, 4])
      digests[hash(n)] = await pushFixture([`${image}:${hash(n)}`], 1_000_000_000 + n * 1000);

    const r = await cli(root, ['gc', 'gcimg', '--keep', '1']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(
      `${image}: 4 content tags, keeping 2, would delete 2 (run again with --delete to delete them)`,
    );
    expect(r.out).toContain(`  keep ${hash(4)} (among the newest 1)`);
    expect(r.out).toMatch(
      new RegExp(`  keep ${hash(1)} \\(names the same image as 0\\.1(-r0)?\\)`),
    );
    expect(r.out).toContain(
      `  would delete ${hash(3)} ${digests[hash(3)]} (created 2001-09-09T02:36:40Z)`,
    );
    expect(r.out).toContain(`  would delete ${hash(2)} ${digests[hash(2)]}`);
    for (const [tag, digest] of Object.entries(digests))
      expect(await registryDigest(`${image}:${tag}`), tag).toBe(digest);
  }, 300_000);

  it('--delete deletes only the unreferenced content tags beyond the newest N', async (ctx) => {
    if (skip) ctx.skip(skip);
    // Signed like push signs: a deleted image's signature goes with it, a kept one's stays.
    const signed = sign(`${image}@${digests[hash(3)]}`) && sign(`${image}@${digests[hash(4)]}`);
    const r = await cli(root, ['gc', 'gcimg', '--keep', '1', '--delete']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`  deleting ${hash(3)} ${digests[hash(3)]}`);
    expect(r.out).toContain(`${image}: deleted ${signed ? 3 : 2} manifests`);
    if (signed) {
      expect(await registryDigest(sigTag(image, digests[hash(3)]!))).toBeUndefined();
      expect(await registryDigest(sigTag(image, digests[hash(4)]!))).toMatch(/^sha256:/);
    }
    expect(await registryDigest(`${image}:${hash(2)}`)).toBeUndefined();
    expect(await registryDigest(`${image}:${hash(3)}`)).toBeUndefined();
    expect(await registryDigest(`${image}:${hash(1)}`)).toBe(digests[hash(1)]);
    expect(await registryDigest(`${image}:${hash(4)}`)).toBe(digests[hash(4)]);
    expect(await registryDigest(`${image}:0.1-r0`)).toBe(digests[hash(1)]);
    expect(await registryDigest(`${image}:0.1`)).toBe(digests[hash(1)]);

    const again = await cli(root, ['gc', 'gcimg', '--keep', '1', '--delete']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain(`${image}: 2 content tags, keeping 2, deleting 0`);
  }, 300_000);

  it('a registry that refuses deletes is said so, and keeps every tag', async (ctx) => {
    if (skip) ctx.skip(skip);
    const other = `${noDeletes!.addr}/${ns}`;
    const old = await pushFixture([`${other}/gcimg:${hash(7)}`], 1_000_000_000);
    const r = await cli(root, ['gc', 'gcimg', '--keep', '0', '--delete'], {
      IMAGESMITH_REPOSITORY: other,
    });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`the registry ${noDeletes!.addr} does not allow deletes`);
    expect(await registryDigest(`${other}/gcimg:${hash(7)}`)).toBe(old);
  }, 300_000);

  it('usage errors: no --keep, a --keep that is no number, a typo, no image', async (ctx) => {
    if (skip) ctx.skip(skip);
    for (const [args, message] of [
      [['gc', 'gcimg'], 'gc needs --keep N'],
      [['gc', 'gcimg', '--keep', 'two'], '--keep must be a whole number'],
      [['gc', 'gcimg', '--keep', ''], '--keep must be a whole number'],
      [['gc', 'gcimg', '--kep', '1'], "Unknown option '--kep'"],
      [['gc', '--keep', '1'], 'name exactly one image to gc'],
    ] as const) {
      const r = await cli(root, [...args]);
      expect(r.code, r.out).toBe(2);
      expect(r.out).toContain(message);
    }
  }, 120_000);
});
