import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, CreateNodesContext } from '@nx/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencies, createNodes } from './index';

let root: string;
const FILES: Record<string, string> = {
  'profiles/cpu/profile.yaml': 'hardware: cpu\n',
  'images/base/image.yaml': 'profile: cpu\npython: "3.11"\n',
  'images/child/image.yaml': 'profile: cpu\nbase: base\n',
  'images/ext/image.yaml': 'profile: cpu\nbase: python:3.11-slim\n',
  'images/broken/image.yaml': 'profile: [\n',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'imagesmith-plugin-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function nodes() {
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContext;
  const results = await createNodes[1](Object.keys(FILES), undefined, context);
  return Object.fromEntries(
    results.map(([file, r]) => [file, Object.values(r.projects ?? {})[0]!]),
  );
}

describe('the Nx plugin', () => {
  it('infers one project per image spec and one library per profile', async () => {
    const byFile = await nodes();
    expect(byFile['images/child/image.yaml']).toMatchObject({
      name: 'child',
      root: 'images/child',
      tags: ['type:image', 'profile:cpu'],
    });
    expect(byFile['profiles/cpu/profile.yaml']).toMatchObject({
      name: 'profile-cpu',
      projectType: 'library',
    });
  });

  it('still makes a project of an invalid spec, so its targets can report the problem', async () => {
    expect((await nodes())['images/broken/image.yaml']).toMatchObject({
      name: 'broken',
      tags: ['type:image'],
    });
  });

  it('draws image -> catalogue base, image -> profile and image -> templates, nothing else', async () => {
    const byFile = await nodes();
    const projects = Object.fromEntries(
      [
        ...Object.values(byFile),
        { name: 'templates', root: 'templates' },
        { name: 'core', root: 'libs/core' },
      ].map((p) => [p.name!, p]),
    );
    const deps = await createDependencies(undefined, {
      projects,
      workspaceRoot: root,
    } as unknown as CreateDependenciesContext);
    const edges = deps.map((d) => `${d.source} -> ${d.target} (${d.type})`).sort();
    expect(edges).toEqual(
      [
        'base -> profile-cpu (static)',
        'base -> templates (implicit)',
        'broken -> templates (implicit)',
        'child -> base (static)',
        'child -> profile-cpu (static)',
        'child -> templates (implicit)',
        'ext -> profile-cpu (static)',
        'ext -> templates (implicit)',
      ].sort(),
    );
  });
});
