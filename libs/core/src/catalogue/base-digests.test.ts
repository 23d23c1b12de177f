import { describe, expect, it } from 'vitest';
import { SpecError } from '../errors';
import { mirrorReference } from '../config/workspace-config';
import { workspaceOf } from '../../test-support/fixtures';
import {
  parseBaseDigests,
  pinnedReference,
  renderBaseDigests,
  unpinnedReference,
} from './base-digests';
import { resolveVariants } from './variants';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

describe('base-digests.json', () => {
  it('renders sorted, byte-stable text that parses back', () => {
    const text = renderBaseDigests({ 'python:3.9-slim': D2, 'nvidia/cuda:12.1': D1 });
    expect(renderBaseDigests({ 'nvidia/cuda:12.1': D1, 'python:3.9-slim': D2 })).toBe(text);
    expect(Object.keys(parseBaseDigests(text))).toEqual(['nvidia/cuda:12.1', 'python:3.9-slim']);
    expect(text).toMatch(/DO NOT EDIT/);
  });

  it('names the file and every bad entry, with what to do', () => {
    const bad = JSON.stringify({ digests: { 'python:3.9': 'sha256:xyz', 'a:1@sha256:1': D1 } });
    let error: unknown;
    try {
      parseBaseDigests(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const message = (error as Error).message;
    expect(message).toContain('base-digests.json: digests.python:3.9: must be "sha256:"');
    expect(message).toContain('digests.a:1@sha256:1: the key must be a tag without a digest');
    expect(message).toContain('imagesmith pin-bases');
    expect(() => parseBaseDigests('{')).toThrow(/base-digests.json: is not JSON/);
    expect(() => parseBaseDigests('[]')).toThrow(/digests: must be an object/);
  });

  it('pins a recorded tag, keeps an unknown tag and an explicit digest', () => {
    const digests = { 'python:3.9-slim': D1 };
    expect(pinnedReference('python:3.9-slim', digests)).toBe(`python:3.9-slim@${D1}`);
    expect(pinnedReference('python:3.11-slim', digests)).toBe('python:3.11-slim');
    expect(pinnedReference(`python:3.9-slim@${D2}`, digests)).toBe(`python:3.9-slim@${D2}`);
    expect(unpinnedReference(`python:3.9-slim@${D1}`)).toBe('python:3.9-slim');
  });

  it('the mirror rewrite keeps the digest', () => {
    expect(mirrorReference(`python:3.9-slim@${D1}`, '127.0.0.1:5000')).toBe(
      `127.0.0.1:5000/library/python:3.9-slim@${D1}`,
    );
  });

  it('an external base recorded in the workspace resolves to tag@digest; a catalogue child is untouched', () => {
    const ws = workspaceOf({
      a: 'description: a\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
      b: 'description: b\nprofile: cpu\nbase: a\n',
    });
    const pinned = { ...ws, baseDigests: { 'python:3.11-slim-bookworm': D1 } };
    expect(resolveVariants(pinned, 'a')[0]!.from).toEqual({
      kind: 'external',
      ref: `python:3.11-slim-bookworm@${D1}`,
    });
    expect(resolveVariants(ws, 'a')[0]!.from).toEqual({
      kind: 'external',
      ref: 'python:3.11-slim-bookworm',
    });
    expect(resolveVariants(pinned, 'b')[0]!.from).toEqual({ kind: 'catalogue', image: 'a' });
  });
});
