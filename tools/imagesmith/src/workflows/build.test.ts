import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig, resolveVariants } from '@imagesmith/core';
import type { BuildRequest, Engine, ImageInfo } from '@imagesmith/engine';
import {
  createTempWorkspace,
  removeWorkspace,
  writeFile,
} from '../../../../test/support/temp-workspace';
import { buildImage } from './build';
import { planBuild } from './build-plan';
import { contextReader, type Session } from './engine-context';
import { generate } from './generate';

const IMAGES = {
  base: 'description: base\nprofile: cpu\npython: "3.11"\nversion: "2.0"\nrevision: 4\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
};

/** An engine that records calls; `present` lists references that exist locally. */
function fakeEngine(present: Set<string>) {
  const builds: BuildRequest[] = [];
  const tags: [string, string][] = [];
  const info = (ref: string): ImageInfo => ({
    id: `sha256:${ref.length}`,
    sizeBytes: 1,
    user: '1000:1000',
    env: {},
    labels: {},
    repoTags: [ref],
    repoDigests: [],
  });
  const engine = {
    name: 'docker',
    binary: '/usr/bin/docker',
    info: async () => undefined,
    build: async (req: BuildRequest) => {
      builds.push(req);
      req.tags.forEach((t) => present.add(t));
      return { imageId: 'sha256:new' };
    },
    inspect: async (ref: string) => (present.has(ref) ? info(ref) : null),
    tag: async (a: string, b: string) => void tags.push([a, b]),
  } as unknown as Engine;
  return { engine, builds, tags };
}

let root: string;
beforeAll(() => {
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': '{"repository": "127.0.0.1:9/ns", "mirrors": {"registry": "mirror.test"}}',
  });
  generate(root, { images: ['base', 'child'] });
});
afterAll(() => removeWorkspace(root));

function session(engine: Engine): Session {
  // The repository points at a closed loopback port, so registry lookups answer "absent" at once.
  return {
    root,
    ws: loadWorkspace(root),
    config: readWorkspaceConfig(root, {}),
    engine,
    log: () => undefined,
  };
}

describe('build', () => {
  it('builds parents first, FROM the parent content tag, with pinned and floating tags', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const [meta] = await buildImage(session(engine), 'child');
    expect(builds.map((b) => b.tags[1])).toEqual([
      '127.0.0.1:9/ns/base:2.0-r4',
      '127.0.0.1:9/ns/child:1.0-r0',
    ]);
    expect(builds[0]!.buildArgs!.BASE_IMAGE).toBe('mirror.test/library/python:3.11-slim-bookworm');
    expect(builds[1]!.buildArgs!.BASE_IMAGE).toBe(builds[0]!.tags[0]);
    expect(builds[1]!.target).toBe('production');
    expect(meta).toMatchObject({ result: 'built', variant: 'child' });
  });

  it('does NOT call the engine build when the content-hash tag exists', async () => {
    const s0 = session(fakeEngine(new Set()).engine);
    const refs = ['base', 'child'].map(
      (n) =>
        planBuild(
          s0.ws,
          s0.config,
          resolveVariants(s0.ws, n)[0]!,
          'production',
          contextReader(root),
        ).refs.content,
    );
    const { engine, builds, tags } = fakeEngine(new Set(refs));
    const [meta] = await buildImage(session(engine), 'child');
    expect(builds).toHaveLength(0);
    expect(meta!.result).toBe('present-local');
    expect(tags.map(([, t]) => t)).toContain('127.0.0.1:9/ns/child:1.0');
  });

  it('changes the child content hash when the parent spec changes, not the other way round', async () => {
    const s = session(fakeEngine(new Set()).engine);
    const hash = (n: string, ss: Session) =>
      planBuild(ss.ws, ss.config, resolveVariants(ss.ws, n)[0]!, 'production', contextReader(root))
        .contentHash;
    const before = { base: hash('base', s), child: hash('child', s) };
    writeFile(root, 'images/child/image.yaml', `${IMAGES.child}env: { X: "1" }\n`);
    generate(root, { images: ['child'] });
    const s2 = session(fakeEngine(new Set()).engine);
    expect(hash('base', s2)).toBe(before.base);
    const childAfterOwnChange = hash('child', s2);
    expect(childAfterOwnChange).not.toBe(before.child);
    writeFile(root, 'images/base/image.yaml', `${IMAGES.base}env: { Y: "1" }\n`);
    generate(root, { images: ['base'] });
    const s3 = session(fakeEngine(new Set()).engine);
    expect(hash('base', s3)).not.toBe(before.base);
    expect(hash('child', s3)).not.toBe(childAfterOwnChange);
  });

  it('hashes the development stage apart from production', () => {
    const s = session(fakeEngine(new Set()).engine);
    const v = resolveVariants(s.ws, 'base')[0]!;
    const prod = planBuild(s.ws, s.config, v, 'production', contextReader(root));
    const dev = planBuild(s.ws, s.config, v, 'development', contextReader(root));
    expect(dev.contentTag).toMatch(/-dev$/);
    expect(dev.contentHash).not.toBe(prod.contentHash);
    expect(dev.refs.pinned).toBe('127.0.0.1:9/ns/base:2.0-r4-dev');
  });
});
