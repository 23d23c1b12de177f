import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsReader, loadWorkspace } from '@imagesmith/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockWorkspace } from '../../../../../test/support/lock-workspace';
import { needsHadolint } from '../../../../../libs/core/test-support/hadolint';
import { checkInSyncAndLocks, lockStatus, readLocks } from '@imagesmith/plan';
import { generate } from '../generate/generate';
import { lintImages } from '../generate/lint';
import { requireLocked } from '../shared/require-locked';

let root: string;
beforeEach(() => {
  root = lockWorkspace(['python-base', 'fastapi-serve', 'kubeflow-torch-inf']);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A package added to the spec but not locked yet, with the generated files refreshed. */
function addUnlockedPackage(image: string) {
  const spec = join(root, 'images', image, 'image.yaml');
  const text = readFileSync(spec, 'utf8').replace(
    'python_packages:\n',
    'python_packages:\n  attrs: "^24"\n',
  );
  writeFileSync(spec, text);
  generate(root, { images: [image] });
}

describe('a lock made from another pyproject.toml', () => {
  it('is reported by generate as stale, naming the lock command', () => {
    addUnlockedPackage('fastapi-serve');
    expect(generate(root, { images: ['fastapi-serve'], check: true }).lockProblems).toEqual([
      expect.objectContaining({ image: 'fastapi-serve', state: 'stale' }),
    ]);
  });

  it('fails lint and build before anything else', () => {
    addUnlockedPackage('fastapi-serve');
    expect(() => lintImages(root, ['fastapi-serve'])).toThrow(
      /images\/fastapi-serve\/poetry\.lock: out of date[\s\S]*nx run fastapi-serve:lock/,
    );
    expect(() => requireLocked(root, 'fastapi-serve')).toThrow(/nx run fastapi-serve:lock/);
  });

  it("makes the child stale when the parent's lock changed", () => {
    const lock = join(root, 'images/python-base/poetry.lock');
    const pkgs = readFileSync(lock, 'utf8');
    const changed = pkgs.replace(/(name = "pip-licenses"\nversion = ")([^"]+)"/, '$1$2.post9"');
    writeFileSync(lock, changed);
    generate(root, { images: ['fastapi-serve'] });
    const { lockProblems } = generate(root, { images: ['fastapi-serve'], check: true });
    expect(lockProblems.map((p) => p.image)).toContain('fastapi-serve');
  });
});

describe('an image that is not locked', () => {
  it('is a lint warning naming the lock command and the vendor index, not a failure', (ctx) => {
    needsHadolint(ctx);
    const { warnings } = lintImages(root, ['kubeflow-torch-inf']);
    expect(warnings).toEqual([
      'kubeflow-torch-inf is not locked (needs aws-neuron); run `npx nx run kubeflow-torch-inf:lock` before building it',
    ]);
  });

  it('a deleted lock: says the image is not locked and names its lock target, not "out of date"', () => {
    rmSync(join(root, 'images/python-base/poetry.lock'));
    const check = () => checkInSyncAndLocks(root, ['fastapi-serve']);
    expect(check).toThrow(
      /^`images\/python-base` is not locked: run `npx nx run fastapi-serve:lock`\n/,
    );
    expect(check).not.toThrow(/out of date|nx sync/);
  });

  it('is refused by build before the engine, listing the unlocked images of the subtree', () => {
    rmSync(join(root, 'images/python-base/poetry.lock'), { force: true });
    generate(root, { images: ['python-base', 'kubeflow-torch-inf', 'fastapi-serve'] });
    expect(
      checkInSyncAndLocks(root, ['kubeflow-torch-inf']).unlocked.map((p) => p.variant),
    ).toEqual(['python-base', 'kubeflow-torch-inf']);
    expect(() => requireLocked(root, 'kubeflow-torch-inf')).toThrow(
      /cannot be built:\n {2}`images\/python-base` is not locked: run `npx nx run kubeflow-torch-inf:lock`\n {2}`images\/kubeflow-torch-inf` is not locked: run `npx nx run kubeflow-torch-inf:lock`\n/,
    );
    // Its pins came from the removed parent lock: the child's lock is stale now, an error.
    expect(() => requireLocked(root, 'fastapi-serve')).toThrow(
      /fastapi-serve\/poetry\.lock: out of date[\s\S]*`npx nx run fastapi-serve:lock`/,
    );
  });

  it('has a Status cell saying so, from committed locks only', () => {
    const ws = loadWorkspace(root);
    const inputs = {
      ws,
      locks: readLocks(ws, fsReader(root)),
      repository: 'localhost:5000/imagesmith',
    };
    expect(lockStatus(inputs, 'fastapi-serve')).toBe('locked');
    expect(lockStatus(inputs, 'kubeflow-torch-inf')).toBe('not locked, needs aws-neuron');
  });
});
