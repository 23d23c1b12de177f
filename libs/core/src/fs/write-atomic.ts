import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileWriteError, isFileWriteFailure } from './file-write-error';

export { FileWriteError, fileWriteErrorOf } from './file-write-error';

/** How the bytes reach the disk; tests pass one that fails like a full disk. */
export type AtomicWriter = (path: string, content: string | Buffer, fsync: boolean) => void;

/**
 * A sibling temp file, written whole, fsynced, then renamed over the target (rename is atomic on
 * one filesystem); the temp file goes when anything fails. Not write-file-atomic (7.0.1, 8.0.0)
 * nor atomically (2.1.1): both make one fs.writeSync call and ignore the byte count it returns,
 * and on a full disk write(2) returns short instead of failing, so they rename a truncated copy
 * over the good file (seen on a 64k tmpfs: a 256 KiB write left a 60 KiB file and no error; the
 * same bug: https://github.com/fabiospampinato/atomically/pull/18). writeFileSync on a descriptor
 * loops until every byte is written, so the next write reports ENOSPC.
 */
const writeThenRename: AtomicWriter = (path, content, fsync) => {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = 0o666;
  try {
    mode = statSync(path).mode & 0o7777; // keep the old file's mode
  } catch {
    // new file: the umask decides
  }
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeFileSync(fd, content);
    if (fsync) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
};

export interface WriteAtomicOptions {
  /**
   * false for files that only cost time when lost (caches): skips the fsync. Records, locks and
   * generated files are fsynced, so a crash cannot leave an empty file where an old one was.
   */
  fsync?: boolean;
  write?: AtomicWriter;
}

/**
 * Write a file so readers see the old content or the new, never a half-written one. Returns false
 * when the file already had exactly this content (nothing written). A full disk, a quota, a
 * read-only filesystem or a missing permission is a FileWriteError (exit 1) naming the file and
 * what to do; the previous file stays as it was.
 */
export function writeFileAtomic(
  path: string,
  content: string | Buffer,
  options: WriteAtomicOptions = {},
): boolean {
  let existed = false;
  try {
    const old = readFileSync(path);
    existed = true;
    if (typeof content === 'string' ? old.toString('utf8') === content : old.equals(content))
      return false;
  } catch {
    // missing: write it
  }
  const write = options.write ?? writeThenRename;
  try {
    mkdirSync(dirname(path), { recursive: true });
    write(path, content, options.fsync ?? true);
  } catch (error) {
    if (isFileWriteFailure(error))
      throw new FileWriteError(path, error, existed ? 'unchanged' : 'absent');
    throw error;
  }
  return true;
}
