/**
 * What `nx list @imagesmith/nx-plugin` and `nx g --help` say each generator writes is what it
 * writes: every file a run creates or changes is named in generators.json and its schema.json.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { treeWithProfiles } from '../../test-support/test-tree';
import { imageGenerator } from './image/generator';
import { profileGenerator } from './profile/generator';
import { syncCatalogueGenerator } from './sync/catalogue';
import { syncImagesGenerator } from './sync/images';

const PLUGIN = join(__dirname, '../..');
const json = (path: string) => JSON.parse(readFileSync(join(PLUGIN, path), 'utf8'));
const generators: Record<string, { description: string; schema: string }> =
  json('generators.json').generators;

/** The descriptions of generator `name`: generators.json's and its schema.json's. */
const descriptions = (name: string) => {
  const g = generators[name]!;
  return [g.description, json(g.schema).description as string].join('\n');
};

/** A catalogue of one locked image on the cpu profile (its generated files not written yet). */
function catalogue(): Tree {
  const tree = treeWithProfiles(['cpu']);
  tree.write('images/python-base/image.yaml', 'description: base\nprofile: cpu\npython: "3.11"\n');
  return tree;
}

/** Paths a generator run wrote, image and profile names replaced by <name>. */
function written(tree: Tree, before: Set<string>, name: string): string[] {
  return tree
    .listChanges()
    .map((c) => c.path)
    .filter((p) => !before.has(p))
    .map((p) => p.replace(`/${name}/`, '/<name>/'))
    .sort();
}

describe('generator descriptions', () => {
  it('the image generator names every file it writes', async () => {
    const tree = catalogue();
    const before = new Set(tree.listChanges().map((c) => c.path));
    before.delete('images/README.md');
    await imageGenerator(tree, { name: 'zz-new', profile: 'cpu', base: 'python-base' });
    const files = written(tree, before, 'zz-new');
    expect(files).toContain('images/<name>/image.yaml');
    expect(files).toContain('images/README.md');
    const text = generators.image!.description;
    for (const f of files) expect(text).toContain(f.startsWith('images/<name>/') ? basename(f) : f);
    for (const f of files.filter((f) => f.startsWith('images/')))
      expect(json(generators.image!.schema).description).toContain(basename(f));
  });

  it('the profile generator names every file it writes', async () => {
    const tree = catalogue();
    const before = new Set(tree.listChanges().map((c) => c.path));
    await profileGenerator(tree, {
      name: 'rocm6',
      hardware: 'gpu',
      base: 'rocm/x:6',
      pythonVersions: '3.10',
    });
    const files = written(tree, before, 'rocm6');
    expect(files.length).toBeGreaterThan(2);
    for (const f of files)
      expect(descriptions('profile')).toContain(f.replace('profiles/<name>/', ''));
  });

  it('sync-images names every kind of file it writes, and sync-catalogue every file', () => {
    const tree = catalogue();
    const before = new Set(tree.listChanges().map((c) => c.path));
    syncImagesGenerator(tree);
    const images = written(tree, before, 'python-base');
    expect(images.length).toBeGreaterThan(2);
    // requirements*.txt come once an image is locked (none is here).
    for (const f of [...images.map((f) => basename(f)), 'requirements.txt', 'requirements-dev.txt'])
      expect(generators['sync-images']!.description).toContain(f);
    const all = new Set(tree.listChanges().map((c) => c.path));
    all.delete('images/README.md');
    syncCatalogueGenerator(tree);
    const files = written(tree, all, '');
    expect(files).toContain('images/README.md');
    for (const f of files) expect(generators['sync-catalogue']!.description).toContain(f);
  });
});
