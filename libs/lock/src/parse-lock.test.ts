import { describe, expect, it } from 'vitest';
import { LOCK_TEXT } from '../test-support/lock-fixture';
import { parseLock } from './parse-lock';

describe('parseLock', () => {
  it('reads names, versions, groups, files and source', () => {
    const [a] = parseLock(LOCK_TEXT);
    expect(a).toEqual({
      name: 'a',
      version: '1.0',
      groups: ['main'],
      files: [
        { file: 'a-1.0-py3-none-any.whl', hash: 'sha256:aaaa' },
        { file: 'a-1.0.tar.gz', hash: 'sha256:aaab' },
      ],
      source: { type: 'legacy', url: 'http://127.0.0.1:8000/simple', reference: 'local' },
    });
  });

  it('keeps shared markers as a string and per-group markers as a table', () => {
    const pkgs = parseLock(LOCK_TEXT);
    expect(pkgs.find((p) => p.name === 'b')?.markers).toBe('python_version >= "3.8"');
    expect(pkgs.find((p) => p.name === 'Colorama')?.groupMarkers).toEqual({
      main: 'sys_platform == "win32"',
      dev: 'platform_system == "Windows"',
    });
  });

  it('reads a lock with no packages', () => {
    expect(parseLock('[metadata]\nlock-version = "2.1"\n')).toEqual([]);
  });

  it('rejects Poetry 1 locks and broken TOML with what to do', () => {
    expect(() => parseLock('[metadata]\nlock-version = "2.0"\n')).toThrow(
      /pip install 'poetry>=2,<3'/,
    );
    expect(() => parseLock('[[package]\n')).toThrow(/re-create it with `imagesmith lock`/);
  });
});
