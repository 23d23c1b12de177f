import { join } from 'node:path';
import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { UsageError } from '@imagesmith/core';
import { parse } from 'yaml';
import { treeWithProfiles } from '../../../test-support/test-tree';
import { beforeEach, describe, expect, it } from 'vitest';
import { syncCatalogueGenerator } from '../sync/catalogue';
import { syncImagesGenerator } from '../sync/images';
import { imageGenerator } from './generator';

let tree: Tree;
beforeEach(() => {
  tree = treeWithProfiles(['cpu', 'cuda12']);
  tree.write('images/python-base/image.yaml', 'description: base\nprofile: cpu\npython: "3.10"\n');
});

describe('image generator', () => {
  it("writes a valid spec whose starter contract does not copy the parent's", async () => {
    await imageGenerator(tree, {
      name: 'team-serve',
      profile: 'cpu',
      base: 'python-base',
      description: 'Team serving',
    });
    const spec = parse(tree.read('images/team-serve/image.yaml', 'utf-8')!);
    expect(spec).toMatchObject({
      description: 'Team serving',
      profile: 'cpu',
      base: 'python-base',
      tests: { non_root: true },
    });
    expect(spec.python).toBeUndefined();
    // The parent's checks run for the child too (validate-contract.ts): no copy of them here.
    expect(JSON.stringify(spec.tests)).not.toMatch(/sys.prefix/);
  });

  it('gives an image on an external base the venv check', async () => {
    await imageGenerator(tree, { name: 'root-one', profile: 'cpu', python: '3.11' });
    const spec = parse(tree.read('images/root-one/image.yaml', 'utf-8')!);
    expect(spec.tests.commands[0].run).toMatch(/sys.prefix/);
  });

  it('writes --packages into python_packages and tests what the child adds', async () => {
    await imageGenerator(tree, {
      name: 'team-serve',
      base: 'python-base',
      packages: ['numpy==1.26.4', ' orjson', 'uvicorn[standard]>=0.30'],
    });
    const spec = parse(tree.read('images/team-serve/image.yaml', 'utf-8')!);
    expect(spec.python_packages).toEqual({
      numpy: '==1.26.4',
      orjson: '*',
      'uvicorn[standard]': '>=0.30',
    });
    expect(spec.tests.commands).toEqual([
      expect.objectContaining({ name: 'numpy is installed', output: '^1\\.26\\.4$' }),
      expect.objectContaining({ name: 'orjson is installed', output: '.' }),
      expect.objectContaining({ name: 'uvicorn is installed' }),
    ]);
    expect(spec.tests.commands[0].run).toContain("m.version('numpy')");
  });

  it('refuses a --packages entry that is not a package, writing nothing', async () => {
    await expect(
      imageGenerator(tree, { name: 'x', base: 'python-base', packages: ['numpy===', 'orjson'] }),
    ).rejects.toThrow(
      /--packages: "numpy===" is not a package .* e\.g\. --packages=numpy==1\.26\.4,orjson/,
    );
    expect(tree.exists('images/x')).toBe(false);
  });

  it('writes --ports (a single port arrives from Nx as a number) into the spec and EXPOSE', async () => {
    await imageGenerator(tree, { name: 'one', base: 'python-base', ports: 8000 });
    await imageGenerator(tree, { name: 'two', base: 'python-base', ports: '8080,8000' });
    expect(parse(tree.read('images/one/image.yaml', 'utf-8')!).ports).toEqual([8000]);
    expect(parse(tree.read('images/two/image.yaml', 'utf-8')!).ports).toEqual([8000, 8080]);
    expect(tree.read('images/two/Dockerfile', 'utf-8')).toMatch(/^EXPOSE 8000 8080$/m);
    await expect(imageGenerator(tree, { name: 'bad', ports: '80,99999' })).rejects.toThrow(
      /--ports: "99999" is not a TCP port/,
    );
  });

  it('writes --cuda as the cuda profile option, and refuses it on a profile without one', async () => {
    await imageGenerator(tree, { name: 'gpu-one', profile: 'cuda12', python: '3.11', cuda: 12.1 });
    const spec = parse(tree.read('images/gpu-one/image.yaml', 'utf-8')!);
    expect(spec.profile_options).toEqual({ cuda: '12.1' });
    expect(tree.read('images/gpu-one/Dockerfile', 'utf-8')).toMatch(/nvidia\/cuda:12\.1\.1/);
    await expect(imageGenerator(tree, { name: 'x', profile: 'cpu', cuda: '12.1' })).rejects.toThrow(
      /--cuda: profile "cpu" has no cuda option\. Use --profile=cuda12/,
    );
    await expect(
      imageGenerator(tree, { name: 'y', profile: 'cuda12', cuda: '11.8' }),
    ).rejects.toThrow(/--cuda=11\.8: profile "cuda12" offers CUDA 12\.1, /);
  });

  it('refuses --python with a catalogue base: the base decides', async () => {
    await expect(
      imageGenerator(tree, { name: 'x', base: 'python-base', python: '3.12' }),
    ).rejects.toThrow(
      /--python=3\.12 cannot be used with --base=python-base: a catalogue base decides the Python version/,
    );
    expect(tree.exists('images/x')).toBe(false);
  });

  it('adds the image to the images/README.md table (dependabot.yml names no image folder)', async () => {
    await imageGenerator(tree, { name: 'team-serve', profile: 'cpu', python: '3.11' });
    expect(tree.read('images/README.md', 'utf-8')).toMatch(
      /\| `team-serve` \| `python:3\.11-slim-bookworm` \(external\) \|/,
    );
    expect(tree.read('.github/dependabot.yml', 'utf-8')).not.toMatch(/images\//);
  });

  it('writes exactly what the sync generators would: every catalogue row stays', async () => {
    tree.write('images/other-a/image.yaml', 'description: a\nprofile: cpu\npython: "3.11"\n');
    tree.write('images/other-b/image.yaml', 'description: b\nprofile: cuda12\npython: "3.11"\n');
    syncImagesGenerator(tree);
    syncCatalogueGenerator(tree);
    await imageGenerator(tree, { name: 'zz-new', profile: 'cpu', base: 'python-base' });
    const readme = tree.read('images/README.md', 'utf-8')!;
    for (const image of ['python-base', 'other-a', 'other-b', 'zz-new'])
      expect(readme).toContain(`| \`${image}\` |`);
    expect(syncCatalogueGenerator(tree)).toEqual({});
    expect(syncImagesGenerator(tree)).toEqual({});
  });

  it("writes the new image's Dockerfile and pyproject in the same Tree (so --dry-run lists them)", async () => {
    await imageGenerator(tree, { name: 'team-serve', profile: 'cpu', base: 'python-base' });
    expect(tree.read('images/team-serve/Dockerfile', 'utf-8')).toMatch(
      /^# GENERATED[^\n]*images\/team-serve\/image\.yaml[\s\S]*ARG BASE_IMAGE=localhost:5000\/imagesmith\/python-base:/,
    );
    expect(tree.read('images/team-serve/pyproject.toml', 'utf-8')).toMatch(
      /name = "team-serve-image"/,
    );
    // Only the new image's files: the parent's stay as they were.
    expect(tree.exists('images/python-base/Dockerfile')).toBe(false);
  });

  it('refuses an existing name', async () => {
    await expect(imageGenerator(tree, { name: 'python-base' })).rejects.toThrow(
      /already exists at images\/python-base\/image\.yaml\. Choose another --name/,
    );
  });

  it('refuses an invalid name, suggesting the fixed one', async () => {
    await expect(imageGenerator(tree, { name: 'Bad_Name' })).rejects.toThrow(
      /"Bad_Name" is not a valid image name: .* e\.g\. bad-name\./,
    );
    await expect(imageGenerator(tree, { name: 'Bad_Name' })).rejects.toBeInstanceOf(UsageError);
  });

  it.each([
    ['core', 'libs/core'],
    ['templates', 'templates'],
    ['profile-cpu', 'profiles/cpu'],
  ])('refuses the name of the existing Nx project %s', async (name, root) => {
    addProjectConfiguration(tree, 'core', { root: 'libs/core' });
    addProjectConfiguration(tree, 'templates', { root: 'templates' });
    await expect(imageGenerator(tree, { name })).rejects.toThrow(
      `"${name}" is already the name of the Nx project at ${root}`,
    );
    expect(tree.exists(`images/${name}/image.yaml`)).toBe(false);
  });

  it('suggests the nearest image for a mistyped --base', async () => {
    await expect(imageGenerator(tree, { name: 'x', base: 'pyton-base' })).rejects.toThrow(
      /Did you mean --base=python-base\?/,
    );
  });

  it('refuses an unknown profile and lists the installed ones', async () => {
    await expect(imageGenerator(tree, { name: 'x', profile: 'rocm6' })).rejects.toThrow(
      /Unknown profile "rocm6"\. Use one of: cpu, cuda12/,
    );
  });

  it('refuses an unknown catalogue base', async () => {
    await expect(imageGenerator(tree, { name: 'x', base: 'nope' })).rejects.toThrow(
      /Unknown base "nope"/,
    );
  });

  it('refuses a combination the profile does not support, writing nothing', async () => {
    await expect(
      imageGenerator(tree, { name: 'x', profile: 'cuda12', python: '3.12' }),
    ).rejects.toThrow(/does not support Python 3\.12/);
  });
});
