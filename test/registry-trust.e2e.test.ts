/**
 * A registry copy is trusted only when its config carries the content label (issue 9, item 5): a
 * forged copy under a parent's or the image's own content-hash tag is rebuilt, never built FROM or
 * taken as built. Real CLI, docker engine and local registry; the copies are forged with another
 * label (support/registry-copy.ts).
 * Skips with the reason outside CI without docker and the local registry; fails under CI=true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import {
  cli,
  docker,
  forgeRegistryCopy,
  LABEL,
  registryLabel,
  removeLocal,
} from './support/registry-copy';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const IMAGES = {
  rtparent: 'description: trust parent\nprofile: cpu\npython: "3.11"\nversion: "1.0"\n',
  rtchild: 'description: trust child\nprofile: cpu\nbase: rtparent\ncommands: ["mkdir -p /data"]\n',
};
const repo = `${REGISTRY}/rtrust-${process.pid}-${Date.now()}`;
const FORGED = 'f'.repeat(64);
let root = '';
let skip = '';

const record = (image: string) =>
  JSON.parse(
    readFileSync(join(root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
  ) as { reference: string; contentHash: string; result: string };
const label = (ref: string) =>
  docker('image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, ref).trim();
/** Runs `build`; `built`: the images the CLI says it built (an engine build each). */
const build = async (image: string) => {
  const r = await cli(root, ['build', image]);
  const built = [...r.out.matchAll(/^(\S+): built /gm)].map((m) => m[1]);
  return { ...r, built };
};

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }),
  });
}, 120_000);

afterAll(() => {
  if (!root) return;
  removeLocal(repo);
  removeWorkspace(root);
}, 120_000);

describe('registry copies are checked by their content label', () => {
  it('rebuilds a parent whose registry copy is labelled otherwise, and builds the child FROM the rebuilt parent', async (ctx) => {
    if (skip) ctx.skip(skip);
    // The content hashes, from an honest build; then only the registry has anything.
    const first = await build('rtparent');
    expect(first.code, first.out).toBe(0);
    const parent = record('rtparent');
    removeLocal(repo);
    forgeRegistryCopy(parent.reference, FORGED);

    const r = await build('rtchild');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^rebuilding rtparent: ${parent.reference} in the registry is labelled ${FORGED}, not ${parent.contentHash}$`,
        'm',
      ),
    );
    expect(r.built).toEqual(['rtparent', 'rtchild']);
    expect(record('rtparent').result).toBe('built');
    // The child's first layers are the rebuilt parent's, not the forged copy's.
    expect(label(parent.reference)).toBe(parent.contentHash);
    const layers = (ref: string) =>
      JSON.parse(
        docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref),
      ) as string[];
    const mine = layers(parent.reference);
    expect(layers(record('rtchild').reference).slice(0, mine.length)).toEqual(mine);
    // The forged copy is still what the registry has: build pushes nothing.
    expect(await registryLabel(parent.reference)).toBe(FORGED);
  }, 600_000);

  it('rebuilds an image whose own content tag in the registry is labelled otherwise', async (ctx) => {
    if (skip) ctx.skip(skip);
    const child = record('rtchild');
    docker('rmi', child.reference, `${repo}/rtchild:1.0-r0`, `${repo}/rtchild:1.0`);
    forgeRegistryCopy(child.reference, FORGED);

    const r = await build('rtchild');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^rebuilding rtchild: ${child.reference} in the registry is labelled ${FORGED}, not ${child.contentHash}$`,
        'm',
      ),
    );
    expect(r.out).not.toMatch(/found in the registry/);
    expect(r.built).toEqual(['rtchild']);
    expect(label(child.reference)).toBe(child.contentHash);
    expect(record('rtchild').result).toBe('built');
  }, 600_000);

  it('push replaces the forged copies with the checked local images, parent first', async (ctx) => {
    if (skip) ctx.skip(skip);
    const r = await cli(root, ['push', 'rtchild']);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split('\n').filter((l) => / pushed /.test(l))).toEqual([
      expect.stringMatching(/^rtparent: pushed /),
      expect.stringMatching(/^rtchild: pushed /),
    ]);
    for (const image of ['rtparent', 'rtchild']) {
      const { reference, contentHash } = record(image);
      expect(await registryLabel(reference)).toBe(contentHash);
    }
  }, 600_000);
});
