/** Processes of this machine, by pid: alive, waited for, terminated, found by command line. */
import { readdirSync, readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function alive(pid: number): boolean {
  if (!(pid > 0)) return false; // kill(0) would probe this process group
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function untilGone(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}

export async function terminate(pid: number, ms: number): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (!(await untilGone(pid, ms))) {
    process.kill(pid, 'SIGKILL');
    await untilGone(pid, 10_000);
  }
}

/** Pids whose command line contains `needle` (e.g. the containerd shims serving one containerd). */
export function pidsWith(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(needle))
        out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Every process below `pid` (children first-level first). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (let i = -1, next = pid; ; next = out[++i]!) {
    for (const [child, ppid] of parent) if (ppid === next) out.push(child);
    if (i + 1 >= out.length) return out;
  }
}
