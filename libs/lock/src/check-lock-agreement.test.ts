import { describe, expect, it } from 'vitest';
import { checkLockAgreement } from './check-lock-agreement';
import type { LockedPackage } from './parse-lock';

const pkg = (name: string, version: string): LockedPackage => ({
  name,
  version,
  groups: ['main'],
  files: [],
});

describe('checkLockAgreement', () => {
  it('reports each shared package locked at another version, naming both images', () => {
    const messages = checkLockAgreement(
      { image: 'base', pkgs: [pkg('b', '1.0'), pkg('numpy', '1.26.4'), pkg('only-parent', '1')] },
      { image: 'child', pkgs: [pkg('B', '2.0'), pkg('numpy', '1.26.4'), pkg('only-child', '1')] },
    );
    expect(messages).toEqual([
      'B: image child locks 2.0 but its parent base locks 1.0; re-lock child (imagesmith lock child) so it keeps B 1.0.',
    ]);
  });
});
