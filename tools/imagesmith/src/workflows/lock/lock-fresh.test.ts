import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakePoetry, lockWorkspace } from '../../../../../test/support/lock-workspace';
import { lockImage } from './lock';

let root: string;
let poetry: ReturnType<typeof fakePoetry>;
const quiet = { log: () => undefined };
const lockFile = (image: string) =>
  readFileSync(join(root, 'images', image, 'poetry.lock'), 'utf8');

beforeEach(() => {
  root = lockWorkspace(['python-base', 'fastapi-serve']);
  poetry = fakePoetry(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('lock skips locks made from the current pyproject.toml', () => {
  it('runs no Poetry at all for a chain of fresh locks (python-base, then fastapi-serve)', async () => {
    const before = lockFile('fastapi-serve');
    const results = [
      ...(await lockImage(root, 'python-base', { ...quiet, poetry: poetry.path })),
      ...(await lockImage(root, 'fastapi-serve', { ...quiet, poetry: poetry.path })),
    ];
    expect(poetry.calls()).toEqual([]);
    expect(results).toEqual([
      { variant: 'python-base', changes: [], upToDate: true },
      { variant: 'fastapi-serve', changes: [], upToDate: true },
    ]);
    expect(lockFile('fastapi-serve')).toBe(before);
  });

  it('runs Poetry with --force', async () => {
    await lockImage(root, 'fastapi-serve', { ...quiet, poetry: poetry.path, force: true });
    expect(poetry.calls()).toContain('lock --no-interaction --no-ansi');
  });

  it('runs Poetry for the image whose spec changed, not for its fresh parent', async () => {
    const spec = join(root, 'images/fastapi-serve/image.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'python_packages:\n',
        'python_packages:\n  attrs: "^24"\n',
      ),
    );
    await lockImage(root, 'python-base', { ...quiet, poetry: poetry.path });
    expect(poetry.calls()).toEqual([]);
    await lockImage(root, 'fastapi-serve', { ...quiet, poetry: poetry.path });
    expect(poetry.calls().filter((c) => c.startsWith('lock'))).toHaveLength(1);
  });
});
