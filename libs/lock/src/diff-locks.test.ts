import { describe, expect, it } from 'vitest';
import { diffLocks } from './diff-locks';
import type { LockedPackage } from './parse-lock';

const pkg = (name: string, version: string): LockedPackage => ({
  name,
  version,
  groups: ['main'],
  files: [],
});

describe('diffLocks', () => {
  it('lists moved, added and removed packages by name, and nothing unchanged', () => {
    const before = [pkg('b', '1.0'), pkg('a', '1.0'), pkg('gone', '3')];
    const after = [pkg('a', '1.0'), pkg('B', '2.0'), pkg('new', '0.1')];
    expect(diffLocks(before, after)).toEqual([
      { name: 'B', from: '1.0', to: '2.0' },
      { name: 'gone', from: '3' },
      { name: 'new', to: '0.1' },
    ]);
  });

  it('is empty for equal locks', () => {
    expect(diffLocks([pkg('a', '1')], [pkg('a', '1')])).toEqual([]);
  });
});
