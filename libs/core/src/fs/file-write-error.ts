import { dirname } from 'node:path';
import { ImagesmithError } from '../errors';

/**
 * Why the filesystem refused a write, in words, and what the user does about it. These are facts
 * about the machine, not bugs: they exit 1 with the file named, never as an internal error.
 */
const REASONS: Record<string, { why: string; todo: (dir: string) => string }> = {
  ENOSPC: {
    why: 'no space left on the device',
    todo: (dir) => `free space on the filesystem that holds ${dir} (\`df -h ${dir}\`)`,
  },
  EDQUOT: {
    why: 'the disk quota is used up',
    todo: (dir) => `free space under your quota on ${dir} (\`quota -s\`), or ask for a larger one`,
  },
  EROFS: {
    why: 'the filesystem is read-only',
    todo: (dir) => `run from a writable checkout, or remount the filesystem of ${dir} read-write`,
  },
  EACCES: {
    why: 'permission denied',
    todo: (dir) =>
      `make ${dir} writable for this user (\`ls -ld ${dir}\`), or run as the user who owns it`,
  },
  EPERM: {
    why: 'the operation is not permitted',
    todo: (dir) =>
      `make ${dir} writable for this user (\`ls -ld ${dir}\`), or run as the user who owns it`,
  },
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A write the filesystem refused for a reason the user can fix (full, quota, read-only, access). */
export function isFileWriteFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && code in REASONS;
}

/** What became of the file: atomic writes know; a plain write that failed halfway does not. */
export type PreviousFile = 'unchanged' | 'absent' | 'unknown';
const AFTER: Record<PreviousFile, string> = {
  unchanged: '; the previous file is unchanged',
  absent: '; nothing was written',
  unknown: '',
};

/** A file imagesmith could not write, and what became of the one that was there. */
export class FileWriteError extends ImagesmithError {
  readonly file: string;
  readonly code: string;
  constructor(file: string, cause: unknown, previous: PreviousFile = 'unknown') {
    const code = codeOf(cause) ?? 'EIO';
    const reason = REASONS[code] ?? { why: 'an I/O error', todo: () => 'check the disk' };
    const dir = dirname(file);
    super(`could not write ${file}: ${reason.why} (${code})${AFTER[previous]}`, {
      cause,
      hint: `${reason.todo(dir)}, then run the command again`,
    });
    this.file = file;
    this.code = code;
  }
}

/**
 * The top-level handler's safety net for writes that do not go through writeFileAtomic (temp
 * files, snapshots): a Node error that can only come from writing (ENOSPC, EDQUOT, EROFS) and
 * names its path. EACCES is left out: reading can raise it too.
 */
export function fileWriteErrorOf(error: unknown): FileWriteError | undefined {
  const code = codeOf(error);
  const path = (error as { path?: unknown } | null)?.path;
  if (!code || !['ENOSPC', 'EDQUOT', 'EROFS'].includes(code) || typeof path !== 'string')
    return undefined;
  return new FileWriteError(path, error);
}
