import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { imageGenerator } from '../image/generator';
import { validateTree } from './tree-catalogue';
import { treeReader } from './tree-reader';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const repoFile = (path: string) => readFileSync(join(REPO, path), 'utf8');

describe('treeReader over the built-in profiles and templates', () => {
  it('gives a Tree with no profiles/ or templates/ the built-in ones from the disk', () => {
    const reader = treeReader(createTreeWithEmptyWorkspace());
    expect(reader.list('profiles')).toEqual(['cpu', 'cuda12', 'neuron-inf1']);
    expect(reader.read('templates/python-base/from.hbs')).toBe(
      repoFile('templates/python-base/from.hbs'),
    );
    expect(reader.builtinPath?.('profiles/cpu/profile.yaml')).toBe(
      join(REPO, 'profiles/cpu/profile.yaml'),
    );
  });

  it('prefers a profile the Tree holds, pending generator changes included', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('profiles/cpu/profile.yaml', 'description: team cpu\n');
    tree.write('profiles/rocm6/profile.yaml', 'description: rocm\n');
    const reader = treeReader(tree);
    expect(reader.list('profiles')).toEqual(['cpu', 'cuda12', 'neuron-inf1', 'rocm6']);
    expect(reader.read('profiles/cpu/profile.yaml')).toBe('description: team cpu\n');
    expect(reader.builtinPath?.('profiles/cpu/profile.yaml')).toBeUndefined();
  });

  it('validates a cpu image in a Tree without profiles against the built-in cpu', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('images/app/image.yaml', 'description: app\nprofile: cpu\npython: "3.11"\n');
    const { diagnostics, profiles } = validateTree(tree);
    expect(diagnostics).toEqual([]);
    expect(profiles.get('cpu')?.definition.hardware).toBe('cpu');
  });

  it('lets `nx g image` scaffold on a built-in profile the Tree does not hold', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await imageGenerator(tree, { name: 'team-app', profile: 'cuda12', python: '3.11' });
    expect(tree.read('images/team-app/image.yaml', 'utf-8')).toContain('profile: cuda12');
    expect(tree.read('images/team-app/Dockerfile', 'utf-8')).toContain('FROM ');
    expect(tree.exists('profiles')).toBe(false);
  });
});
