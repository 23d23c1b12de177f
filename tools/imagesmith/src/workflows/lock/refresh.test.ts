import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockError } from '@imagesmith/lock';
import type { LockOptions, LockResult } from './lock';
import { refreshLocks } from './refresh';

const REPO = join(__dirname, '../../../../..');
const root = mkdtempSync(join(tmpdir(), 'imagesmith-refresh-'));
for (const dir of ['profiles', 'templates'])
  cpSync(join(REPO, dir), join(root, dir), { recursive: true });
const specs: Record<string, string> = {
  base: 'description: b\nprofile: cpu\npython: "3.11"\npython_packages: { a: "*" }\n',
  child: 'description: c\nprofile: cpu\nbase: base\npython_packages: { b: "*" }\n',
  grandchild: 'description: g\nprofile: cpu\nbase: child\npython_packages: { c: "*" }\n',
  neuron: 'description: n\nprofile: cpu\npython: "3.11"\npython_packages: { d: "*" }\n',
  other: 'description: o\nprofile: cpu\npython: "3.11"\npython_packages: { e: "*" }\n',
};
for (const [name, text] of Object.entries(specs)) {
  mkdirSync(join(root, 'images', name), { recursive: true });
  writeFileSync(join(root, 'images', name, 'image.yaml'), text);
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

const unreachable = new LockError(
  'Poetry could not reach package source "neuron" (https://pip.repos.neuron.amazonaws.com) while locking images/neuron.',
  { hint: 'h' },
);

/** lockImage faked: records each call; `neuron` cannot reach its index, `broken` fails to resolve. */
function fakeLock(fail: Record<string, Error> = {}) {
  const calls: string[] = [];
  const lock = async (_root: string, image: string, o: LockOptions): Promise<LockResult[]> => {
    calls.push(`${image}${o.update ? ' --update' : ''}`);
    if (fail[image]) throw fail[image];
    return [
      {
        variant: image,
        changes: o.update ? [{ name: 'x', from: '1', to: '2' }] : [],
        upToDate: !o.update,
      },
    ];
  };
  return { calls, lock };
}

describe('refreshLocks', () => {
  it('locks only the named images, bringing their ancestors without --update', async () => {
    const { calls, lock } = fakeLock();
    const { outcomes } = await refreshLocks(root, {
      update: true,
      images: ['child', 'other'],
      lock,
      log: () => undefined,
    });
    expect(calls).toEqual(['base', 'other --update', 'child --update']);
    expect(outcomes.map((o) => [o.name, o.state])).toEqual([
      ['base', 'unchanged'],
      ['other', 'done'],
      ['child', 'done'],
    ]);
    expect(outcomes[0]!.detail).toMatch(/ancestor of a named image, not updated/);
  });

  it('skips an image whose index is unreachable, with its reason, and goes on with the others', async () => {
    const { calls, lock } = fakeLock({ neuron: unreachable });
    const { outcomes } = await refreshLocks(root, { lock, log: () => undefined });
    expect(calls).toEqual(['base', 'neuron', 'other', 'child', 'grandchild']);
    expect(outcomes.find((o) => o.name === 'neuron')).toEqual({
      name: 'neuron',
      state: 'skipped',
      detail: expect.stringContaining('could not reach package source "neuron"'),
    });
    expect(outcomes.filter((o) => o.state === 'failed')).toEqual([]);
  });

  it('a failed parent fails itself and skips what is built on it, naming the parent', async () => {
    const { calls, lock } = fakeLock({
      base: new LockError('Poetry could not resolve the Python packages of images/base.', {
        hint: 'h',
      }),
    });
    const { outcomes } = await refreshLocks(root, { lock, log: () => undefined });
    expect(calls).toEqual(['base', 'neuron', 'other']);
    expect(outcomes.map((o) => [o.name, o.state, o.detail])).toEqual([
      ['base', 'failed', 'Poetry could not resolve the Python packages of images/base.'],
      ['neuron', 'unchanged', 'lock up to date'],
      ['other', 'unchanged', 'lock up to date'],
      ['child', 'skipped', 'its base base failed'],
      ['grandchild', 'skipped', 'its base child was skipped'],
    ]);
  });
});
