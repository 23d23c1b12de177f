import { execFileSync } from 'node:child_process';

/** What `git <args>` prints in `root`, trimmed; undefined outside a git checkout or without git. */
export function gitOutput(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}
