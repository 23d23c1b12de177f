import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImagesmithError } from '../errors';
import { FileWriteError, writeFileAtomic, type AtomicWriter } from './write-atomic';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-write-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tiny tmpfs (root only): the real ENOSPC, not an imitation of it. */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const failing =
  (code: string): AtomicWriter =>
  () => {
    throw Object.assign(new Error(`${code}: refused`), { code });
  };

describe('writeFileAtomic', () => {
  it('writes a new file, creating its folder, and reports an unchanged one as not written', () => {
    const file = join(tempDir(), 'a', 'b.json');
    expect(writeFileAtomic(file, 'one\n')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('one\n');
    expect(writeFileAtomic(file, 'one\n')).toBe(false);
    expect(writeFileAtomic(file, Buffer.from('two\n'))).toBe(true);
    expect(writeFileAtomic(file, Buffer.from('two\n'))).toBe(false);
    expect(readdirSync(join(file, '..'))).toEqual(['b.json']);
  });

  it('on a full disk: FileWriteError naming the file and the fix, the old file intact, no temp file left', (ctx) => {
    const dir = tempDir();
    if (!mountTmpfs(dir, '64k')) ctx.skip('mounting a tmpfs needs root');
    try {
      const file = join(dir, 'build-production.json');
      writeFileSync(file, '{"old": true}\n');
      let error: unknown;
      try {
        writeFileAtomic(file, 'x'.repeat(256 * 1024));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FileWriteError);
      expect(error).toBeInstanceOf(ImagesmithError);
      const e = error as FileWriteError;
      expect(e.exitCode).toBe(1);
      expect(e.code).toBe('ENOSPC');
      expect(e.message).toContain(
        `could not write ${file}: no space left on the device (ENOSPC); the previous file is unchanged`,
      );
      expect(e.message).toContain(`hint: free space on the filesystem that holds ${dir}`);
      expect(readFileSync(file, 'utf8')).toBe('{"old": true}\n');
      expect(readdirSync(dir)).toEqual(['build-production.json']);
    } finally {
      execFileSync('umount', [dir]);
    }
  });

  it.each([
    ['EDQUOT', 'the disk quota is used up'],
    ['EROFS', 'the filesystem is read-only'],
    ['EACCES', 'permission denied'],
  ])('%s is a FileWriteError saying %s', (code, why) => {
    const file = join(tempDir(), 'poetry.lock');
    writeFileSync(file, 'old');
    expect(() => writeFileAtomic(file, 'new', { write: failing(code) })).toThrow(
      `could not write ${file}: ${why} (${code}); the previous file is unchanged`,
    );
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('a file that did not exist: says nothing was written', () => {
    const file = join(tempDir(), 'Dockerfile');
    expect(() => writeFileAtomic(file, 'new', { write: failing('ENOSPC') })).toThrow(
      /\(ENOSPC\); nothing was written/,
    );
  });

  it('any other failure stays what it is (a bug, not the disk)', () => {
    const file = join(tempDir(), 'x');
    expect(() => writeFileAtomic(file, 'new', { write: failing('EBADF') })).toThrow(
      expect.not.objectContaining({ name: 'FileWriteError' }),
    );
  });
});
