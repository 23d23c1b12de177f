import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig } from '@imagesmith/core';
import type { Engine, RegistryLookup } from '@imagesmith/engine';
import { createTempWorkspace, removeWorkspace } from '../../../../testkit/temp-workspace';
import { buildImage } from './build';
import { generate } from '../generate/generate';

let root: string;
beforeAll(() => {
  root = createTempWorkspace({
    old: 'description: old\nprofile: cpu\npython: "3.11"\ndeprecated: { since: "1.2", use_instead: "python:3.12-slim-bookworm" }\n',
    child: 'description: child\nprofile: cpu\nbase: old\n',
  });
  generate(root, { images: ['old', 'child'] });
});
afterAll(() => removeWorkspace(root));

it('building a child of a deprecated image says so, once, before building', async () => {
  const built: string[] = [];
  const labels = new Map<string, Record<string, string>>();
  const engine = {
    name: 'docker',
    binary: '/usr/bin/docker',
    info: async () => undefined,
    build: async (req: { tags: string[]; labels?: Record<string, string> }) => {
      built.push(req.tags[0]!);
      labels.set(req.tags[0]!, req.labels ?? {});
      return { imageId: 'sha256:new' };
    },
    // Only what this test built exists, with the labels the build stamped.
    buildsIntoEngine: async () => true,
    inspect: async (ref: string) =>
      labels.has(ref) ? { id: 'sha256:new', labels: labels.get(ref) } : null,
    tag: async () => undefined,
  } as unknown as Engine;
  const registry: RegistryLookup = { hasTag: async () => false };
  const lines: string[] = [];
  await buildImage(
    {
      root,
      ws: loadWorkspace(root),
      config: readWorkspaceConfig(root, {}),
      engine,
      registry,
      log: (l) => lines.push(l),
    },
    'child',
  );
  const warnings = lines.filter((l) => l.startsWith('warning:'));
  expect(warnings).toEqual([
    'warning: child is based on old, which is deprecated since 1.2: use python:3.12-slim-bookworm',
  ]);
  expect(lines.indexOf(warnings[0]!)).toBe(0);
  expect(built).toHaveLength(2);
});
