import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig } from '@imagesmith/core';
import type { BuildRequest, Engine, RegistryLookup } from '@imagesmith/engine';
import { createTempWorkspace, removeWorkspace } from '../../../../testkit/temp-workspace';
import { buildImage } from './build';
import type { Session } from '../shared/engine-context';
import { generate } from '../generate/generate';

const IMAGES = {
  base: 'description: base\nprofile: cpu\npython: "3.11"\nversion: "2.0"\nrevision: 4\nplatforms: [linux/amd64, linux/arm64]\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
};

/** An engine with no local store of its own (a remote builder): builds only push. */
function remoteEngine(pushed: Map<string, Record<string, string>>, intoEngine = false) {
  const builds: BuildRequest[] = [];
  const engine = {
    name: 'docker',
    binary: '/usr/bin/docker',
    info: async () => undefined,
    buildsIntoEngine: async () => intoEngine,
    build: async (req: BuildRequest) => {
      builds.push(req);
      if (req.output === 'registry') req.tags.forEach((t) => pushed.set(t, req.labels ?? {}));
      return { imageId: 'sha256:cfg', digest: `sha256:${'d'.repeat(64)}` };
    },
    inspect: async () => null,
    tag: async () => {
      throw new Error('a registry build must not tag locally');
    },
  } as unknown as Engine;
  return { engine, builds };
}

/** A registry holding `pushed` (with their labels) and `held`; checks the label when asked. */
function registry(
  pushed: Map<string, Record<string, string>>,
  held: string[] = [],
): RegistryLookup {
  return {
    hasTag: async (ref: string, label?: { name: string; value: string }) => {
      if (held.includes(ref)) return true;
      const labels = pushed.get(ref);
      if (!labels) return false;
      return !label || labels[label.name] === label.value;
    },
  } as RegistryLookup;
}

let root: string;
beforeAll(() => {
  root = createTempWorkspace(IMAGES, { 'imagesmith.json': '{"repository": "registry.test/ns"}' });
  generate(root, { images: ['base', 'child'] });
});
afterAll(() => removeWorkspace(root));

function session(engine: Engine, reg: RegistryLookup, config = {}): Session {
  return {
    root,
    ws: loadWorkspace(root),
    config: { ...readWorkspaceConfig(root, {}), ...config },
    engine,
    registry: reg,
    log: () => undefined,
  };
}

describe('build straight to the registry', () => {
  it('pushes only the content tag and a mode=max cache from a builder without a local store', async () => {
    const pushed = new Map<string, Record<string, string>>();
    const { engine, builds } = remoteEngine(pushed);
    const [meta] = await buildImage(session(engine, registry(pushed)), 'base');
    expect(builds).toHaveLength(1);
    const req = builds[0]!;
    expect(req.output).toBe('registry');
    expect(req.tags).toEqual([meta!.reference]);
    expect(req.tags[0]).toMatch(/^registry\.test\/ns\/base:ch-/);
    expect(req.cacheTo).toBe('registry.test/ns/base:buildcache');
    expect(req.buildArgs).not.toHaveProperty('BUILDKIT_INLINE_CACHE');
    expect(req.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(meta).toMatchObject({
      result: 'built',
      output: 'registry',
      tags: [req.tags[0]],
      digest: `sha256:${'d'.repeat(64)}`,
    });
  });

  it('reads the cache of the image and of its parent when the registry holds them', async () => {
    const pushed = new Map<string, Record<string, string>>();
    const held = ['registry.test/ns/base:buildcache', 'registry.test/ns/child:buildcache'];
    const { engine, builds } = remoteEngine(pushed);
    await buildImage(session(engine, registry(pushed, held)), 'child');
    const child = builds.find((b) => b.tags[0]!.includes('/child:'))!;
    expect(child.cacheFrom).toEqual(held.slice().reverse());
    // FROM the parent by the digest its build reported, not by a tag that could move.
    expect(child.buildArgs?.BASE_IMAGE).toMatch(
      new RegExp(`^registry\\.test/ns/base:ch-\\w+@sha256:${'d'.repeat(64)}$`),
    );
  });

  it('follows the configured output over the builder default', async () => {
    const pushed = new Map<string, Record<string, string>>();
    const { engine, builds } = remoteEngine(pushed, true);
    await buildImage(session(engine, registry(pushed), { buildOutput: 'registry' }), 'base');
    expect(builds[0]!.output).toBe('registry');
  });

  it('fails when the registry does not hold what the builder says it pushed', async () => {
    const { engine } = remoteEngine(new Map());
    await expect(buildImage(session(engine, registry(new Map())), 'base')).rejects.toThrow(
      /the builder reported a push, but the registry does not hold registry\.test\/ns\/base:ch-/,
    );
  });

  it('builds one platform alone with --platform, tagged with its arch', async () => {
    const pushed = new Map<string, Record<string, string>>();
    const { engine, builds } = remoteEngine(pushed);
    const [meta] = await buildImage(session(engine, registry(pushed)), 'base', {
      platform: 'linux/aarch64',
    });
    expect(builds[0]!.platforms).toEqual(['linux/arm64']);
    expect(meta!.reference).toMatch(/:ch-\w+-arm64$/);
    expect(meta!.reference).toMatch(/^registry\.test\/ns\/base:ch-/);
    await expect(
      buildImage(session(engine, registry(pushed)), 'base', { platform: 'linux/s390x' }),
    ).rejects.toThrow(/images\/base\/image\.yaml `platforms` lists linux\/amd64, linux\/arm64/);
  });
});

describe('build context snapshot', () => {
  it('builds the bytes it hashed, even when the folder changes during the build', async () => {
    const pushed = new Map<string, Record<string, string>>();
    const seen: { dockerfile: string; source?: string; context: string } = {
      dockerfile: '',
      context: '',
    };
    const dockerfile = join(root, 'images/base/Dockerfile');
    const before = readFileSync(dockerfile, 'utf8');
    const { engine } = remoteEngine(pushed);
    const build = engine.build.bind(engine);
    engine.build = async (req) => {
      // A concurrent `lock --update` or edit rewrites the folder while the engine works.
      writeFileSync(dockerfile, `${before}# changed meanwhile\n`);
      seen.dockerfile = readFileSync(req.dockerfile, 'utf8');
      seen.context = req.contextDir;
      seen.source = req.source;
      return build(req);
    };
    try {
      await buildImage(session(engine, registry(pushed)), 'base');
    } finally {
      writeFileSync(dockerfile, before);
    }
    expect(seen.dockerfile).toBe(before);
    expect(seen.context).not.toContain(root);
    expect(seen.source).toBe('images/base/Dockerfile');
    expect(existsSync(seen.context)).toBe(false); // removed after the build
  });
});

describe('two builds of the same content at once', () => {
  it('uses the image the other build stored when the engine refuses the tags as existing', async () => {
    const labels = new Map<string, Record<string, string>>();
    const tagged: [string, string][] = [];
    const engine = {
      name: 'docker',
      binary: '/usr/bin/docker',
      info: async () => undefined,
      buildsIntoEngine: async () => true,
      build: async (req: BuildRequest) => {
        // The other build finished first and stored the same content under the same tags.
        req.tags.forEach((t) => labels.set(t, req.labels ?? {}));
        throw new Error(`failed to solve: image "${req.tags[1]}": already exists`);
      },
      inspect: async (ref: string) =>
        labels.has(ref) ? { id: 'sha256:other', labels: labels.get(ref) } : null,
      tag: async (a: string, b: string) => void tagged.push([a, b]),
    } as unknown as Engine;
    const [meta] = await buildImage(session(engine, registry(new Map())), 'base');
    expect(meta).toMatchObject({ result: 'present-local', imageId: 'sha256:other' });
    expect(tagged.map(([id]) => id)).toEqual(['sha256:other', 'sha256:other']);
  });
});

describe('a layer lost while the image store exports', () => {
  it('builds once more and says why; any other failure is not retried', async () => {
    const labels = new Map<string, Record<string, string>>();
    let calls = 0;
    const lines: string[] = [];
    const engineThatLoses = (message: string) =>
      ({
        name: 'docker',
        binary: '/usr/bin/docker',
        info: async () => undefined,
        buildsIntoEngine: async () => true,
        build: async (req: BuildRequest) => {
          calls += 1;
          if (calls === 1) throw new Error(message);
          req.tags.forEach((t) => labels.set(t, req.labels ?? {}));
          return { imageId: 'sha256:second' };
        },
        inspect: async (ref: string) =>
          labels.has(ref) ? { id: 'sha256:second', labels: labels.get(ref) } : null,
        tag: async () => undefined,
      }) as unknown as Engine;
    const s = session(
      engineThatLoses('docker build of images/base/Dockerfile failed (exit code 1): not found'),
      registry(new Map()),
    );
    s.log = (l) => void lines.push(l);
    const [meta] = await buildImage(s, 'base');
    expect(calls).toBe(2);
    expect(meta).toMatchObject({ result: 'built', imageId: 'sha256:second' });
    expect(lines[0]).toMatch(/^rebuilding base: the engine lost a layer/);
    calls = 0;
    labels.clear();
    const broken = engineThatLoses(
      'docker build of images/base/Dockerfile failed at step [builder 2/3] RUN pip install: exit code 1',
    );
    await expect(buildImage(session(broken, registry(new Map())), 'base')).rejects.toThrow(
      /failed at step/,
    );
    expect(calls).toBe(1);
  });
});
