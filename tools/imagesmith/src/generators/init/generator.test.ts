import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '@imagesmith/core';
import { initGenerator } from './generator';
import { WORKFLOW } from './lib/write-ci-workflow';

const REPO = join(__dirname, '../../../../..');

/** Every file of the tree with its content. */
function snapshot(tree: Tree): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const child of tree.children(dir)) {
      const path = dir ? `${dir}/${child}` : child;
      if (tree.isFile(path)) files.set(path, tree.read(path, 'utf8')!);
      else walk(path);
    }
  };
  walk('');
  return files;
}

/** The files that differ between two snapshots. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((path) => before.get(path) !== after.get(path))
    .sort();
}

describe('init generator (nx add @imagesmith/nx-plugin)', () => {
  it('writes imagesmith.json, nx.json and the CI workflow, and nothing else', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const before = snapshot(tree);
    await initGenerator(tree, { skipFormat: true });
    expect(changed(before, snapshot(tree))).toEqual([
      '.github/workflows/images.yml',
      'imagesmith.json',
      'nx.json',
    ]);
  });

  it('writes an imagesmith.json the CLI accepts, with --repository when given', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { repository: 'ghcr.io/acme/images', skipFormat: true });
    const text = tree.read('imagesmith.json', 'utf8')!;
    expect(parseWorkspaceConfig(text, {}).repository).toBe('ghcr.io/acme/images');
    expect(JSON.parse(text).$schema).toBe(
      './node_modules/@imagesmith/nx-plugin/assets/schemas/workspace-config.schema.json',
    );
  });

  it('refuses an unusable --repository naming it, and writes nothing', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const before = snapshot(tree);
    await expect(
      initGenerator(tree, { repository: 'GHCR.io/Acme', skipFormat: true }),
    ).rejects.toThrow(/repository/);
    expect(snapshot(tree)).toEqual(before);
  });

  it('registers the plugin and both sync generators in nx.json', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { skipFormat: true });
    const nxJson = readNxJson(tree)!;
    expect(nxJson.plugins).toEqual(['@imagesmith/nx-plugin']);
    expect(nxJson.sync?.globalGenerators).toEqual([
      '@imagesmith/nx-plugin:sync-images',
      '@imagesmith/nx-plugin:sync-catalogue',
    ]);
  });

  it("adds the named inputs the plugin's targets use, keeping a user's own", async () => {
    const tree = createTreeWithEmptyWorkspace();
    updateNxJson(tree, {
      ...readNxJson(tree)!,
      namedInputs: { default: ['{projectRoot}/**/*'], imageFiles: ['{projectRoot}/image.yaml'] },
    });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)!.namedInputs).toEqual({
      default: ['{projectRoot}/**/*'],
      imageFiles: ['{projectRoot}/image.yaml'],
      imagesmithCode: [{ externalDependencies: ['@imagesmith/nx-plugin'] }],
    });
  });

  it('a second run changes nothing', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { repository: 'ghcr.io/acme/images' });
    const first = snapshot(tree);
    await initGenerator(tree, { repository: 'ghcr.io/other/images' });
    expect(snapshot(tree)).toEqual(first);
  });

  it("keeps a user's plugins, sync generators, imagesmith.json and workflow", async () => {
    const tree = createTreeWithEmptyWorkspace();
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, {
      ...nxJson,
      plugins: ['@nx/js/typescript', { plugin: '@imagesmith/nx-plugin', options: {} } as never],
      sync: { globalGenerators: ['@acme/tools:sync-docs'] },
    });
    tree.write('imagesmith.json', '{ "repository": "ghcr.io/acme/images" }\n');
    tree.write('.github/workflows/images.yml', 'name: ours\n');
    await initGenerator(tree, { skipFormat: true });
    const after = readNxJson(tree)!;
    expect(after.plugins).toEqual([
      '@nx/js/typescript',
      { plugin: '@imagesmith/nx-plugin', options: {} },
    ]);
    expect(after.sync?.globalGenerators).toEqual([
      '@acme/tools:sync-docs',
      '@imagesmith/nx-plugin:sync-images',
      '@imagesmith/nx-plugin:sync-catalogue',
    ]);
    expect(tree.read('imagesmith.json', 'utf8')).toBe('{ "repository": "ghcr.io/acme/images" }\n');
    expect(tree.read('.github/workflows/images.yml', 'utf8')).toBe('name: ours\n');
  });

  it("the workflow is this repository's, calling the CLI through the package's bin", () => {
    const ours = readFileSync(join(REPO, '.github/workflows/images.yml'), 'utf8');
    const expected = ours
      .replace(
        '# CI for the image catalogue: lint',
        '# CI for the images (written by `nx add @imagesmith/nx-plugin`): lint',
      )
      .replace('node tools/imagesmith/bin/imagesmith.cjs login', 'npx imagesmith login');
    expect(WORKFLOW).toBe(expected);
    expect(WORKFLOW).not.toMatch(/tools\/imagesmith/);
  });
});
