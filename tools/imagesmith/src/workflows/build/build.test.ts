import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig, resolveVariants } from '@imagesmith/core';
import {
  RegistryAuthError,
  RegistryUnavailableError,
  type BuildRequest,
  type Engine,
  type ImageInfo,
  type RegistryLookup,
} from '@imagesmith/engine';
import {
  createTempWorkspace,
  removeWorkspace,
  writeFile,
} from '../../../../testkit/temp-workspace';
import { buildImage } from './build';
import { planBuild } from '../shared/build-plan';
import { CONTENT_LABEL } from '../shared/content-label';
import { contextReader, type Session } from '../shared/engine-context';
import { generate } from '../generate/generate';

const IMAGES = {
  base: 'description: base\nprofile: cpu\npython: "3.11"\nversion: "2.0"\nrevision: 4\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
};

/** The labels of images in the fake engines: what a build stamped, or what contentRefs planned. */
const labelsOf = new Map<string, Record<string, string>>();

/** An engine that records calls; `present` lists references that exist locally. */
function fakeEngine(present: Set<string>, opts: { diesDuringBuild?: boolean } = {}) {
  const builds: BuildRequest[] = [];
  const tags: [string, string][] = [];
  let alive = true;
  const info = (ref: string): ImageInfo => ({
    id: `sha256:${ref.length}`,
    sizeBytes: 1,
    user: '1000:1000',
    env: {},
    labels: labelsOf.get(ref) ?? {},
    repoTags: [ref],
    repoDigests: [],
  });
  const engine = {
    name: 'docker',
    binary: '/usr/bin/docker',
    info: async () => {
      if (!alive) throw new Error('Cannot connect to the Docker daemon');
    },
    build: async (req: BuildRequest) => {
      builds.push(req);
      if (opts.diesDuringBuild) {
        alive = false;
        throw new Error('docker build failed: read the output (the Dockerfile may not parse)');
      }
      req.tags.forEach((t) => present.add(t));
      req.tags.forEach((t) => labelsOf.set(t, req.labels ?? {}));
      return { imageId: 'sha256:new' };
    },
    buildsIntoEngine: async () => true,
    inspect: async (ref: string) => (present.has(ref) ? info(ref) : null),
    tag: async (a: string, b: string) => void tags.push([a, b]),
  } as unknown as Engine;
  return { engine, builds, tags };
}

/** A registry that holds `present` (or fails with `error`) and records every lookup. */
function fakeRegistry(present: Iterable<string> = [], error?: Error) {
  const held = new Set(present);
  const asked: string[] = [];
  const registry: RegistryLookup = {
    hasTag: async (ref) => {
      asked.push(ref);
      if (error) throw error;
      return held.has(ref);
    },
  };
  return { registry, asked };
}

let root: string;
beforeAll(() => {
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': '{"repository": "registry.test/ns", "mirrors": {"registry": "mirror.test"}}',
  });
  generate(root, { images: ['base', 'child'] });
});
afterAll(() => removeWorkspace(root));

function session(engine: Engine, registry: RegistryLookup = fakeRegistry().registry): Session {
  return {
    root,
    ws: loadWorkspace(root),
    config: readWorkspaceConfig(root, {}),
    engine,
    registry,
    log: () => undefined,
  };
}

/** Content-hash references of the production stage, as the build plans them. */
function contentRefs(...images: string[]): string[] {
  const s = session(fakeEngine(new Set()).engine);
  return images.map((n) => {
    const plan = planBuild(
      s.ws,
      s.config,
      resolveVariants(s.ws, n)[0]!,
      'production',
      contextReader(root),
    );
    labelsOf.set(plan.refs.content, { [CONTENT_LABEL]: plan.contentHash });
    return plan.refs.content;
  });
}

describe('build', () => {
  it('builds parents first, FROM the parent content tag, with pinned and floating tags', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const { registry, asked } = fakeRegistry();
    const [meta] = await buildImage(session(engine, registry), 'child');
    // Neither content tag is local, so the registry is asked for each before the engine builds
    // (and for the floating tag, which seeds the inline cache only when the registry has it).
    expect(asked.filter((r) => r.includes(':ch-'))).toEqual(contentRefs('base', 'child'));
    expect(builds.map((b) => b.tags[1])).toEqual([
      'registry.test/ns/base:2.0-r4',
      'registry.test/ns/child:1.0-r0',
    ]);
    expect(builds[0]!.buildArgs!.BASE_IMAGE).toBe('mirror.test/library/python:3.11-slim-bookworm');
    expect(builds[1]!.buildArgs!.BASE_IMAGE).toBe(builds[0]!.tags[0]);
    expect(builds[1]!.target).toBe('production');
    expect(meta).toMatchObject({ result: 'built', variant: 'child' });
  });

  it('does NOT build or ask the registry when the content-hash tag is in the local engine', async () => {
    const { engine, builds, tags } = fakeEngine(new Set(contentRefs('base', 'child')));
    const { registry, asked } = fakeRegistry();
    const [meta] = await buildImage(session(engine, registry), 'child');
    expect(builds).toHaveLength(0);
    expect(asked).toEqual([]);
    expect(meta!.result).toBe('present-local');
    expect(tags.map(([, t]) => t)).toContain('registry.test/ns/child:1.0');
  });

  it('rebuilds when the local content-hash tag names an image labelled with other content, and moves no tag onto it', async () => {
    const [base] = contentRefs('base');
    labelsOf.set(base!, { [CONTENT_LABEL]: 'f'.repeat(64) });
    const { engine, builds, tags } = fakeEngine(new Set([base!]));
    const { registry, asked } = fakeRegistry([base!]);
    const lines: string[] = [];
    const [meta] = await buildImage(
      { ...session(engine, registry), log: (l) => void lines.push(l) },
      'base',
    );
    expect(builds.map((b) => b.tags[0])).toEqual([base]);
    expect(tags).toEqual([]);
    expect(asked.filter((r) => r === base)).toEqual([]); // the registry copy is not trusted either
    expect(lines[0]).toMatch(
      /^rebuilding base: .* labelled dev\.imagesmith\.content-hash=f{64}, not /,
    );
    expect(meta!.result).toBe('built');
  });

  it('says the engine went away when it stops answering during a build', async () => {
    const { engine } = fakeEngine(new Set(), { diesDuringBuild: true });
    const error = await buildImage(session(engine), 'base').catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^base: the docker engine went away during the build \(Cannot connect to the Docker daemon\); nothing was recorded/,
    );
    expect((error as Error).message).not.toMatch(/may not parse/);
  });

  it('does NOT build when the registry holds the content-hash tag', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const refs = contentRefs('base', 'child');
    const { registry, asked } = fakeRegistry(refs);
    const [meta] = await buildImage(session(engine, registry), 'child');
    expect(builds).toHaveLength(0);
    expect(asked).toEqual(refs);
    expect(meta).toMatchObject({ result: 'present-registry', reference: refs[1] });
  });

  it('builds what the registry lacks: a present parent, an absent child', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const [base, child] = contentRefs('base', 'child');
    const { registry } = fakeRegistry([base!]);
    await buildImage(session(engine, registry), 'child');
    expect(builds.map((b) => b.tags[0])).toEqual([child]);
    expect(builds[0]!.buildArgs!.BASE_IMAGE).toBe(base);
  });

  it('builds when the registry cannot answer, and says so in one line', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const answer = 'registry.test could not be reached for X (connection refused)';
    const { registry, asked } = fakeRegistry([], new RegistryUnavailableError(answer));
    const lines: string[] = [];
    const [meta] = await buildImage(
      { ...session(engine, registry), log: (l) => void lines.push(l) },
      'base',
    );
    // Not asked again for the cache seed: it did not answer the first time.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(':ch-');
    expect(lines).toContain(`rebuilding base: the registry ${answer}`);
    expect(builds).toHaveLength(1);
    expect(meta!.result).toBe('built');
  });

  it('stops on a refusal (401/403) instead of rebuilding what the registry may hold', async () => {
    const { engine, builds } = fakeEngine(new Set());
    const refused = new RegistryAuthError(
      'registry registry.test answered 401 for X',
      'registry.test',
      401,
    );
    const { registry } = fakeRegistry([], refused);
    await expect(buildImage(session(engine, registry), 'base')).rejects.toBe(refused);
    expect(builds).toHaveLength(0);
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
    expect(dev.refs.pinned).toBe('registry.test/ns/base:2.0-r4-dev');
  });
});
