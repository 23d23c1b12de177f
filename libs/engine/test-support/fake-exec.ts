import { writeFileSync } from 'node:fs';
import type { Exec, ExecOptions, ExecResult } from '../src/exec';

export interface Call {
  file: string;
  args: string[];
  options: ExecOptions;
}

/**
 * A fake Exec that records calls and answers from `respond` (default: exit 0, no output).
 * Like the real engines, it writes `sha256:feed` to the --iidfile of a build.
 */
export function fakeExec(
  respond: (call: Call) => Partial<ExecResult> | undefined = () => undefined,
): { exec: Exec; calls: Call[] } {
  const calls: Call[] = [];
  const exec: Exec = async (file, args, options = {}) => {
    const call = { file, args: [...args], options };
    calls.push(call);
    const answer = respond(call) ?? {};
    const iid = args.indexOf('--iidfile');
    if (iid >= 0 && (answer.exitCode ?? 0) === 0) writeFileSync(args[iid + 1]!, 'sha256:feed\n');
    for (const line of (answer.stderr ?? '').split('\n'))
      if (line) options.onLine?.(line, 'stderr');
    return { exitCode: 0, stdout: '', stderr: '', ...answer };
  };
  return { exec, calls };
}
