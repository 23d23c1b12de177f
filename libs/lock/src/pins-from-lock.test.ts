import { describe, expect, it } from 'vitest';
import { LOCK_TEXT } from '../test-support/lock-fixture';
import { parseLock } from './parse-lock';
import { pinsFromLock } from './pins-from-lock';

describe('pinsFromLock', () => {
  it("takes the main group's versions and markers", () => {
    expect(pinsFromLock('base', parseLock(LOCK_TEXT))).toEqual({
      image: 'base',
      packages: { a: '1.0', Colorama: '0.4.6', b: '1.0' },
      markers: { Colorama: 'sys_platform == "win32"', b: 'python_version >= "3.8"' },
    });
  });
});
