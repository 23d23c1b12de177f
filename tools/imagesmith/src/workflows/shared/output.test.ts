import { describe, expect, it } from 'vitest';
import { isVerbose } from './output';

describe('isVerbose', () => {
  it('is on with --verbose, IMAGESMITH_VERBOSE or Nx --verbose', () => {
    expect(isVerbose({ verbose: true }, {})).toBe(true);
    expect(isVerbose({}, { IMAGESMITH_VERBOSE: '1' })).toBe(true);
    expect(isVerbose({}, { NX_VERBOSE_LOGGING: 'true' })).toBe(true);
  });

  it('is off by default, and an empty, 0 or false variable means unset', () => {
    expect(isVerbose({}, {})).toBe(false);
    for (const v of ['', '0', 'false', ' '])
      expect(isVerbose({}, { IMAGESMITH_VERBOSE: v })).toBe(false);
    expect(isVerbose({}, { NX_VERBOSE_LOGGING: 'false' })).toBe(false);
  });
});
