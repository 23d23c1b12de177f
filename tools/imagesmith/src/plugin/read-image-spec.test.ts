import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readGraphFacts } from './read-image-spec';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspaceWithOutside(): { root: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-graph-'));
  const outside = mkdtempSync(join(tmpdir(), 'imagesmith-outside-'));
  dirs.push(root, outside);
  writeFileSync(join(outside, 'image.yaml'), 'description: d\nprofile: cpu\nbase: secret-base\n');
  return { root, outside };
}

describe('readGraphFacts', () => {
  it('reads profile and base from a spec in the workspace', () => {
    const { root } = workspaceWithOutside();
    mkdirSync(join(root, 'images/a'), { recursive: true });
    writeFileSync(join(root, 'images/a/image.yaml'), 'profile: cpu\nbase: b\n');
    expect(readGraphFacts(root, 'images/a/image.yaml')).toEqual({ profile: 'cpu', base: 'b' });
  });

  it.each([
    [
      'a linked image folder',
      (root: string, outside: string) => {
        mkdirSync(join(root, 'images'));
        symlinkSync(outside, join(root, 'images/a'));
      },
    ],
    [
      'a linked spec',
      (root: string, outside: string) => {
        mkdirSync(join(root, 'images/a'), { recursive: true });
        symlinkSync(join(outside, 'image.yaml'), join(root, 'images/a/image.yaml'));
      },
    ],
  ])('does not read through %s', (_, link) => {
    const { root, outside } = workspaceWithOutside();
    link(root, outside);
    expect(readGraphFacts(root, 'images/a/image.yaml')).toEqual({});
  });
});
