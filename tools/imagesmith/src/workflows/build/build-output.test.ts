import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig } from '@imagesmith/core';
import {
  EngineError,
  type BuildRequest,
  type Engine,
  type RegistryLookup,
} from '@imagesmith/engine';
import { createTempWorkspace, removeWorkspace } from '../../../../testkit/temp-workspace';
import { buildImage } from './build';
import type { Session } from '../shared/engine-context';
import { generate } from '../generate/generate';
import type { Output } from '../shared/output';

const IMAGES = {
  base: 'description: base\nprofile: cpu\npython: "3.11"\nversion: "2.0"\nrevision: 4\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
};
const LOG = ['#5 [builder 2/3] RUN pip install six', '#5 0.1 Collecting six', '#5 DONE 0.2s'];
const FAILED = [...LOG.slice(0, 2), '#5 ERROR: process "pip install six" exit code: 1'];

/** An engine whose builds print LOG (and fail with `fails` set); `present` holds local refs. */
/** What each build stamped, shared by the engines of one test file (as one daemon would). */
const labels = new Map<string, Record<string, string>>();

function fakeEngine(present = new Set<string>(), fails = false) {
  const builds: BuildRequest[] = [];
  const engine = {
    name: 'docker',
    binary: '/usr/bin/docker',
    info: async () => undefined,
    build: async (req: BuildRequest) => {
      builds.push(req);
      (fails ? FAILED : LOG).forEach((l) => req.onOutput?.(l));
      if (fails) throw new EngineError('docker build failed at step [builder 2/3]', 'docker');
      req.tags.forEach((t) => present.add(t));
      req.tags.forEach((t) => labels.set(t, req.labels ?? {}));
      return { imageId: 'sha256:new' };
    },
    buildsIntoEngine: async () => true,
    inspect: async (ref: string) =>
      present.has(ref) ? { id: `sha256:${ref.length}`, labels: labels.get(ref) ?? {} } : null,
    tag: async () => undefined,
  } as unknown as Engine;
  return { engine, builds };
}

const registry = (held: string[] = []): RegistryLookup => ({
  hasTag: async (ref) => held.includes(ref),
});

let root: string;
beforeAll(() => {
  root = createTempWorkspace(IMAGES, { 'imagesmith.json': '{"repository": "registry.test/ns"}' });
  generate(root, { images: ['base', 'child'] });
});
afterAll(() => removeWorkspace(root));

function session(engine: Engine, output?: Output, held?: string[]) {
  const lines: string[] = [];
  const s: Session = {
    root,
    ws: loadWorkspace(root),
    config: readWorkspaceConfig(root, {}),
    engine,
    registry: registry(held),
    log: (l) => lines.push(l),
    output,
  };
  return { s, lines };
}

describe('build output', () => {
  it('prints one line per built image and none of the engine log by default', async () => {
    const { s, lines } = session(fakeEngine().engine);
    await buildImage(s, 'child');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^base: built registry\.test\/ns\/base:ch-\w+ \(tags 2\.0-r4, 2\.0\) in \d+ s$/,
    );
    expect(lines[1]).toMatch(/^child: built /);
  });

  it('prints exactly one line for a no-op build, and none for its present parent', async () => {
    const present = new Set<string>();
    await buildImage(session(fakeEngine(present).engine).s, 'child');
    const { s, lines } = session(fakeEngine(present).engine);
    await buildImage(s, 'child');
    expect(lines).toEqual([expect.stringMatching(/^child: already built \(found locally: /)]);
  });

  it('streams the engine log with --verbose', async () => {
    const { s, lines } = session(fakeEngine().engine, { verbose: true });
    await buildImage(s, 'base');
    expect(lines.slice(0, 3)).toEqual(LOG.map((l) => `  ${l}`));
    expect(lines).toHaveLength(4);
  });

  it("prints no log when the build fails: the error quotes the failing step's output once", async () => {
    for (const verbose of [false, true]) {
      const { s, lines } = session(fakeEngine(new Set(), true).engine, { verbose });
      const error = (await buildImage(s, 'base').catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/failed at step/);
      // Verbose: the whole log went by as it came; the message does not repeat the step's lines.
      expect(lines).toEqual(verbose ? FAILED.map((l) => `  ${l}`) : []);
      expect(error.message.match(/Collecting six/g) ?? []).toHaveLength(verbose ? 0 : 1);
      expect(error.message).not.toContain('#5');
    }
  });

  it('passes --cache-from only for an image the registry holds', async () => {
    const cold = fakeEngine();
    await buildImage(session(cold.engine).s, 'base');
    expect(cold.builds[0]!.cacheFrom).toEqual([]);
    const warm = fakeEngine();
    await buildImage(session(warm.engine, undefined, ['registry.test/ns/base:2.0']).s, 'base');
    expect(warm.builds[0]!.cacheFrom).toEqual(['registry.test/ns/base:2.0']);
  });
});
