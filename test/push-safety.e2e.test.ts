/**
 * push publishes whole images and never moves a production tag (issue 9, item 5): ancestors are
 * pushed first, the pinned `<version>-r<revision>` tag is refused when it names another image, an
 * image only the registry holds is tagged there (no pull), a forged registry copy is refused, and
 * a registry that stalls ends the push by a deadline that names it. Real CLI, docker engine and
 * local registry; the stalling registries are node http servers on 127.0.0.1
 * (support/registry-copy.ts). Skips with the reason outside CI without docker and the local
 * registry; fails under CI=true.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import {
  cli,
  docker,
  forgeRegistryCopy,
  isLocal,
  registryDigest,
  registryLabel,
  removeLocal,
  startStallingRegistry,
} from './support/registry-copy';
import {
  createTempWorkspace,
  NX_ENV,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';

const PARENT = 'description: push parent\nprofile: cpu\npython: "3.11"\nversion: "0.1"\n';
const CHILD = 'description: push child\nprofile: cpu\nbase: psparent\nversion: "0.1"\n';
const ns = `pushsafe-${process.pid}-${Date.now()}`;
const repo = `${REGISTRY}/${ns}`;
const used = new Set([repo]);
let root = '';
let skip = '';

const record = (image: string) =>
  JSON.parse(
    readFileSync(join(root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
  ) as { reference: string; contentHash: string };
const tags = (image: string, revision: number) => ({
  content: record(image).reference,
  pinned: `${repo}/${image}:0.1-r${revision}`,
  floating: `${repo}/${image}:0.1`,
});
async function changeChild(extra: string): Promise<void> {
  writeFile(root, 'images/pschild/image.yaml', `${CHILD}${extra}`);
  const g = await cli(root, ['generate', '--all']);
  expect(g.code, g.out).toBe(0);
  const b = await cli(root, ['build', 'pschild']);
  expect(b.code, b.out).toBe(0);
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(
    { psparent: PARENT, pschild: CHILD },
    { 'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }) },
  );
}, 120_000);

afterAll(() => {
  if (!root) return;
  for (const r of used) removeLocal(r);
  removeWorkspace(root);
}, 120_000);

describe('push', () => {
  it('pushes every ancestor first, each with its own tags', async (ctx) => {
    if (skip) ctx.skip(skip);
    const b = await cli(root, ['build', 'pschild']);
    expect(b.code, b.out).toBe(0);
    const r = await cli(root, ['push', 'pschild']);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split('\n').filter((l) => / pushed /.test(l))).toEqual([
      expect.stringMatching(
        new RegExp(`^psparent: pushed ${repo}/psparent \\(tags ch-\\w+, 0\\.1-r0, 0\\.1\\)`),
      ),
      expect.stringMatching(
        new RegExp(`^pschild: pushed ${repo}/pschild \\(tags ch-\\w+, 0\\.1-r0, 0\\.1\\)`),
      ),
    ]);
    for (const image of ['psparent', 'pschild']) {
      const t = tags(image, 0);
      const digest = await registryDigest(t.content);
      expect(digest, image).toMatch(/^sha256:/);
      expect(await registryDigest(t.pinned)).toBe(digest);
      expect(await registryDigest(t.floating)).toBe(digest);
      expect(await registryLabel(t.pinned)).toBe(record(image).contentHash);
    }
  }, 600_000);

  it('pushing the same build again is fine and moves nothing', async (ctx) => {
    if (skip) ctx.skip(skip);
    const before = await registryDigest(tags('pschild', 0).pinned);
    const r = await cli(root, ['push', 'pschild']);
    expect(r.code, r.out).toBe(0);
    expect(await registryDigest(tags('pschild', 0).pinned)).toBe(before);
  }, 300_000);

  it('refuses to move the pinned tag when the spec changed without a revision bump', async (ctx) => {
    if (skip) ctx.skip(skip);
    const before = {
      pinned: await registryDigest(tags('pschild', 0).pinned),
      floating: await registryDigest(tags('pschild', 0).floating),
    };
    await changeChild('env: { CHANGED: "1" }\n');
    const changed = tags('pschild', 0);
    const r = await cli(root, ['push', 'pschild']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(
      new RegExp(
        `pschild: ${changed.pinned} in the registry names ${before.pinned} .*a pinned tag never moves`,
      ),
    );
    expect(r.out).toContain('bump revision in images/pschild/image.yaml (revision: 0 -> 1)');
    expect(await registryDigest(changed.pinned)).toBe(before.pinned);
    expect(await registryDigest(changed.floating)).toBe(before.floating);
    expect(await registryDigest(changed.content)).toBeUndefined();
  }, 600_000);

  it('tags an image only the registry holds in the registry, without pulling it', async (ctx) => {
    if (skip) ctx.skip(skip);
    // A remote builder: it pushed the content tag straight to the registry; nothing is local.
    await changeChild('revision: 1\nenv: { CHANGED: "1" }\n');
    const t = tags('pschild', 1);
    docker('push', '-q', t.content);
    docker('rmi', t.content, t.pinned, t.floating);
    const digest = await registryDigest(t.content);

    const r = await cli(root, ['push', 'pschild']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^pschild: pushed ${repo}/pschild \\(tags ch-\\w+, 0\\.1-r1, 0\\.1\\) ${digest} \\(tagged in the registry: built elsewhere, nothing pulled\\)$`,
        'm',
      ),
    );
    expect(await registryDigest(t.pinned)).toBe(digest);
    expect(await registryDigest(t.floating)).toBe(digest);
    expect(isLocal(t.content)).toBe(false);
  }, 600_000);

  it('refuses a registry-only copy labelled as other content, and tags nothing', async (ctx) => {
    if (skip) ctx.skip(skip);
    await changeChild('revision: 2\nenv: { CHANGED: "2" }\n');
    const t = tags('pschild', 2);
    docker('rmi', t.content, t.pinned, t.floating);
    forgeRegistryCopy(t.content, 'f'.repeat(64));
    const r = await cli(root, ['push', 'pschild']);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(
      `pschild: ${t.content} in the registry is labelled ${'f'.repeat(64)}, not ${record('pschild').contentHash}`,
    );
    expect(await registryDigest(t.pinned)).toBeUndefined();
  }, 600_000);

  it('a registry that answers /v2/ and then stalls: push ends by the deadline, naming it', async (ctx) => {
    if (skip) ctx.skip(skip);
    const stalling = await startStallingRegistry();
    try {
      const other = `${stalling.addr}/${ns}`;
      used.add(other);
      // The same content under the stalling registry's repository (the hash does not name it).
      const content = record('psparent').reference.replace(repo, other);
      docker('tag', record('psparent').reference, content);
      const r = await cli(
        root,
        ['push', 'psparent'],
        { IMAGESMITH_REPOSITORY: other, IMAGESMITH_REGISTRY_TIMEOUT: '2' },
        120_000,
      );
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(
        new RegExp(
          `psparent: cannot push ${other}/psparent:0\\.1-r0: the registry ${stalling.addr} could not be reached for ${other}/psparent:0\\.1-r0 \\(no answer within 2 s\\)`,
        ),
      );
      expect(r.ms).toBeLessThan(60_000);
    } finally {
      await stalling.close();
    }
  }, 300_000);

  it('a registry that stalls during the upload: the engine push ends by IMAGESMITH_PUSH_TIMEOUT, naming the registry and the ref', async (ctx) => {
    if (skip) ctx.skip(skip);
    // Reads reach the real registry (the pinned tag is absent there), uploads hang.
    const stalling = await startStallingRegistry(REGISTRY);
    const other = `${stalling.addr}/${ns}-upload`;
    used.add(other);
    const content = record('psparent').reference.replace(repo, other);
    docker('tag', record('psparent').reference, content);
    const child = spawn(
      'node',
      [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), 'push', 'psparent'],
      {
        cwd: root,
        env: {
          ...NX_ENV,
          IMAGESMITH_ENGINE: 'docker',
          IMAGESMITH_REPOSITORY: other,
          IMAGESMITH_PUSH_TIMEOUT: '3',
        } as NodeJS.ProcessEnv,
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const started = Date.now();
      const wanted = `pushing ${content} to the registry ${stalling.addr} did not finish within 3 s`;
      while (!out.includes(wanted) && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain(wanted);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(stalling.seen.some((s) => /^POST \/v2\/.*\/blobs\/uploads\//.test(s))).toBe(true);
    } finally {
      // The engine's own push ends when the registry goes away.
      await stalling.close();
      const code = await exited;
      expect(code, out).toBe(1);
    }
  }, 300_000);
});
