import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLockTempDir, removeStaleLockDirs } from './lock-temp-dir';

const parents: string[] = [];
afterEach(() => parents.splice(0).forEach((p) => rmSync(p, { recursive: true, force: true })));

function parent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-locktmp-test-'));
  parents.push(dir);
  return dir;
}

/** A pid that surely ran and exited: a child we waited for. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

describe('lock temp folders', () => {
  it('are named after this process', () => {
    const dir = makeLockTempDir(parent());
    expect(basename(dir)).toMatch(new RegExp(`^imagesmith-lock-${process.pid}-`));
  });

  it('of dead processes are removed; those of live ones and other folders stay', () => {
    const p = parent();
    const dead = join(p, `imagesmith-lock-${deadPid()}-abc123`);
    const live = join(p, `imagesmith-lock-${process.ppid}-def456`);
    const other = join(p, 'imagesmith-lock-XyZ123');
    for (const d of [dead, live, other]) mkdirSync(d);
    expect(removeStaleLockDirs(p)).toEqual([dead]);
    expect([dead, live, other].map((d) => existsSync(d))).toEqual([false, true, true]);
  });
});
