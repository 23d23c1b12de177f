import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
// execa is ESM-only: loaded lazily so the CommonJS CLI (run through tsx) can use this module.

export interface ExecOptions {
  /** The whole environment of the child (not merged with process.env). */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin (passwords go here, never in argv). */
  input?: string;
  /** Called with each line of stdout and stderr as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  cwd?: string;
  timeoutMs?: number;
}

export interface ExecResult {
  /** 127 when the executable was not found; 124 on timeout. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The executable could not be started at all (missing, not executable). */
  notFound?: boolean;
}

/** Runs an executable without a shell; never rejects on a non-zero exit. Injectable for tests. */
export type Exec = (
  file: string,
  args: readonly string[],
  options?: ExecOptions,
) => Promise<ExecResult>;

/** Finds an executable: an absolute/relative path is checked as is, a bare name on PATH. Injectable. */
export type Which = (command: string) => string | undefined;

export const defaultExec: Exec = async (file, args, options = {}) => {
  const { onLine } = options;
  const tap = (stream: 'stdout' | 'stderr') =>
    onLine
      ? function* (line: unknown) {
          onLine(String(line), stream);
          yield line;
        }
      : ('pipe' as const);
  const result = await (
    await import('execa')
  ).execa(file, [...args], {
    reject: false,
    env: options.env ?? process.env,
    extendEnv: false,
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    stdout: tap('stdout'),
    stderr: tap('stderr'),
    timeout: options.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    stripFinalNewline: true,
  });
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.exitCode !== undefined) return { exitCode: result.exitCode, stdout, stderr };
  if (result.timedOut) {
    return {
      exitCode: 124,
      stdout,
      stderr: `${stderr}\n${file} timed out after ${options.timeoutMs} ms`.trim(),
    };
  }
  const code = (result as { code?: string }).code;
  const notFound = code === 'ENOENT' || code === 'EACCES';
  return {
    exitCode: notFound ? 127 : 1,
    stdout,
    stderr: stderr || (result as { shortMessage?: string }).shortMessage || `${file} could not run`,
    notFound,
  };
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which` over a given PATH (defaults to process.env.PATH). */
export function makeWhich(env: NodeJS.ProcessEnv = process.env): Which {
  return (command) => {
    if (command.includes('/'))
      return isExecutable(command)
        ? isAbsolute(command)
          ? command
          : join(process.cwd(), command)
        : undefined;
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, command);
      if (isExecutable(candidate)) return candidate;
    }
    return undefined;
  };
}
