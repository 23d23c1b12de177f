import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { requireImage } from './require-image';

const ws = {
  specs: new Map([
    ['pytorch', {}],
    ['python-base', {}],
    ['tensorflow', {}],
  ]),
} as never;

describe('requireImage', () => {
  it('accepts an image of the catalogue', () => {
    expect(() => requireImage(ws, 'pytorch')).not.toThrow();
  });

  it('rejects an unknown image with a UsageError saying where images live', () => {
    expect(() => requireImage(ws, 'nope')).toThrow(UsageError);
    expect(() => requireImage(ws, 'nope')).toThrow(
      /^unknown image "nope"; images are the folders under images\//,
    );
  });

  it('suggests the nearest name for a typo', () => {
    expect(() => requireImage(ws, 'pytorhc')).toThrow(
      /unknown image "pytorhc" \(did you mean "pytorch"\?\)/,
    );
    expect(() => requireImage(ws, 'tensorflw')).toThrow(/did you mean "tensorflow"/);
  });

  it('suggests nothing in an empty catalogue', () => {
    expect(() => requireImage({ specs: new Map() } as never, 'x')).toThrow(/^unknown image "x";/);
  });
});
