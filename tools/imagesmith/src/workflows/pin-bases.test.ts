import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig, resolveVariants } from '@imagesmith/core';
import { workspaceOf } from '../../../../libs/core/src/test-support/fixtures';
import { planBuild } from './build-plan';
import { describeBaseChanges, externalBases } from './pin-bases';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const ws = workspaceOf({
  a: 'description: a\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
  child: 'description: child\nprofile: cpu\nbase: a\n',
  b: 'description: b\nprofile: cpu\npython: "3.9"\n',
  c: 'description: c\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
});

describe('pin-bases', () => {
  it('lists each external base tag once with the images on it (children build FROM a parent)', () => {
    const pinned = { ...ws, baseDigests: { 'python:3.11-slim-bookworm': D1 } };
    expect([...externalBases(pinned)]).toEqual([
      ['python:3.11-slim-bookworm', ['a', 'c']],
      ['python:3.9-slim-bookworm', ['b']],
    ]);
  });

  it('the build passes BASE_IMAGE as tag@digest (through the mirror) and a new digest changes the content hash', () => {
    const config = parseWorkspaceConfig(
      JSON.stringify({ mirrors: { registry: '127.0.0.1:5000' } }),
      {},
    );
    const plan = (digest: string) => {
      const w = { ...ws, baseDigests: { 'python:3.11-slim-bookworm': digest } };
      const v = resolveVariants(w, 'a')[0]!;
      // The Dockerfile carries the reference, as generation writes it.
      return planBuild(w, config, v, 'production', (x) => ({
        Dockerfile: `ARG BASE_IMAGE=${x.from.kind === 'external' ? x.from.ref : ''}\n`,
      }));
    };
    const one = plan(D1);
    expect(one.buildArgs.BASE_IMAGE).toBe(`127.0.0.1:5000/library/python:3.11-slim-bookworm@${D1}`);
    expect(plan(D2).contentHash).not.toBe(one.contentHash);
    expect(plan(D1).contentHash).toBe(one.contentHash);
  });

  it('summarizes changed digests with their images, or says none changed', () => {
    const changed = { tag: 'python:3.11', before: D1, after: D2, images: ['a', 'c'] };
    expect(describeBaseChanges({ changed: [changed], unchanged: 1, written: [] })).toEqual([
      'Base images with a new digest (these images and their children rebuild):',
      `- \`python:3.11\`: ${D1} -> ${D2} (a, c)`,
    ]);
    expect(describeBaseChanges({ changed: [], unchanged: 3, written: [] })).toEqual([
      'Base images: all 3 digests unchanged.',
    ]);
  });
});
