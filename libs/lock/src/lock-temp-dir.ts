import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'imagesmith-lock-';
const OWNED = /^imagesmith-lock-(\d+)-/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Folders of lock runs that can no longer clean up after themselves (the CLI was SIGKILLed or the
 * machine stopped): the folder name carries the owner's pid, and a pid that no longer runs owns
 * nothing. Folders of live runs (another lock in parallel) are left alone.
 */
export function removeStaleLockDirs(parent: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(join(parent, name));
  }
  return removed;
}

/** A fresh work folder for Poetry, named after this process so a later run can tell it is stale. */
export function makeLockTempDir(parent: string = tmpdir()): string {
  removeStaleLockDirs(parent);
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}
