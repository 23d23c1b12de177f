import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLock } from './parse-lock';
import { readLockCached } from './read-lock-cached';

const LOCK = readFileSync(join(__dirname, '../../../images/python-base/poetry.lock'), 'utf8');

describe('readLockCached', () => {
  it('gives what parseLock gives, once per lock text', () => {
    const first = readLockCached(LOCK);
    expect(first).toEqual(parseLock(LOCK));
    expect(readLockCached(LOCK)).toBe(first);
  });

  it('reads a changed lock afresh', () => {
    const changed = LOCK.replace(/^version = "([^"]+)"/m, 'version = "999.0"');
    expect(readLockCached(changed)[0]!.version).toBe('999.0');
  });

  it('still rejects an invalid lock', () => {
    expect(() => readLockCached('not = [toml')).toThrow(/not valid TOML/);
  });
});
