import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError } from '@imagesmith/core';
import { syncImagesGenerator } from './images';
import { writePlanned } from './write-planned';

// `nx sync` on a real disk: Nx's FsTree reads and writes through symbolic links.
const REPO = join(__dirname, '..', '..', '..', '..', '..');
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const root = tempDir('imagesmith-sync-');
  for (const dir of ['profiles', 'templates'])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  mkdirSync(join(root, 'images/python-base'), { recursive: true });
  writeFileSync(
    join(root, 'images/python-base/image.yaml'),
    'description: d\nprofile: cpu\npython: "3.11"\n',
  );
  return root;
}

describe('the sync generators and symbolic links', () => {
  it('refuses to write through a linked image folder, so nothing lands outside', () => {
    const root = workspace();
    const outside = tempDir('imagesmith-outside-');
    symlinkSync(outside, join(root, 'images/evil'));
    const tree = new FsTree(root, false);

    expect(() =>
      writePlanned(tree, [{ path: 'images/evil/Dockerfile', content: 'FROM x\n' }], 'image'),
    ).toThrow(SpecError);
    flushChanges(root, tree.listChanges());

    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a spec linked to a file outside, without echoing it', () => {
    const root = workspace();
    const secret = join(tempDir('imagesmith-secret-'), 'shadow');
    writeFileSync(secret, 'root:$6$s3cr3t:19000:0:99999:7:::\n');
    mkdirSync(join(root, 'images/leak'));
    symlinkSync(secret, join(root, 'images/leak/image.yaml'));

    let message = '';
    try {
      syncImagesGenerator(new FsTree(root, false));
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(/images\/leak\/image\.yaml: is a symbolic link/);
    expect(message).not.toMatch(/s3cr3t/);
  });
});
