import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProfilesFromTree } from '../../../test-support/profiles-from-tree';
import { profileGenerator } from './generator';

let tree: Tree;
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
});

describe('profile generator', () => {
  it('writes a profile that passes the profile schema, with both fragment slots', async () => {
    await profileGenerator(tree, {
      name: 'rocm6',
      hardware: 'gpu',
      base: 'rocm/dev-ubuntu-22.04:6.1.2',
      pythonVersions: '3.10',
    });
    const def = parse(tree.read('profiles/rocm6/profile.yaml', 'utf-8')!);
    expect(def).toMatchObject({
      hardware: 'gpu',
      python_install: 'apt',
      python_versions: ['3.10'],
      bases: { '3.10': 'rocm/dev-ubuntu-22.04:6.1.2' },
    });
    expect(tree.exists('profiles/rocm6/fragments/runtime.hbs')).toBe(true);
    expect(loadProfilesFromTree(tree).diagnostics).toEqual([]);
  });

  it('refuses an existing profile', async () => {
    await profileGenerator(tree, { name: 'rocm6', base: 'rocm/dev-ubuntu-22.04:6.1.2' });
    await expect(
      profileGenerator(tree, { name: 'rocm6', base: 'rocm/dev-ubuntu-22.04:6.1.2' }),
    ).rejects.toThrow(/already exists/);
  });

  it('refuses an invalid name, suggesting the fixed one', async () => {
    await expect(
      profileGenerator(tree, { name: 'ROCm_6', base: 'rocm/dev-ubuntu-22.04:6.1.2' }),
    ).rejects.toThrow(/e\.g\. rocm-6\./);
  });

  it('refuses a base without an explicit tag', async () => {
    await expect(
      profileGenerator(tree, { name: 'rocm6', base: 'rocm/dev-ubuntu-22.04' }),
    ).rejects.toThrow(/explicit, non-latest tag/);
  });
});
