import type { ProgressOptions } from '@imagesmith/engine';
import { writeLive } from './live-output';

/**
 * How much a command prints. By default one line per image per step, a progress line during
 * long engine or Poetry steps, and a tool's whole output once when it fails. Verbose: the tool's
 * output as it comes (and nothing repeated when it fails).
 */
export interface Output {
  verbose: boolean;
  /** Where progress lines go (no newline added) and whether that is a terminal; none when absent. */
  progress?: Pick<ProgressOptions, 'write' | 'tty'>;
}

/** Quiet, no progress: what a workflow does when the caller says nothing (tests, refresh). */
export const QUIET: Output = { verbose: false };

/** The `--verbose` option every command that runs a tool takes (shape shared by parseArgs and help). */
export const VERBOSE_OPTION = {
  type: 'boolean',
  description:
    "print the engine's or Poetry's whole output as it comes (also IMAGESMITH_VERBOSE=1, or nx ... --verbose)",
} as const;

/**
 * `--verbose`, IMAGESMITH_VERBOSE (empty, 0 and false mean unset), or Nx's own `--verbose`, which
 * Nx passes to the tasks it runs as NX_VERBOSE_LOGGING=true.
 */
export function isVerbose(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (values.verbose === true) return true;
  const own = (env.IMAGESMITH_VERBOSE ?? '').trim().toLowerCase();
  if (own && own !== '0' && own !== 'false') return true;
  return env.NX_VERBOSE_LOGGING === 'true';
}

/** Output to this process's stdout: progress rewritten in place on a terminal, plain lines in CI. */
export function stdoutOutput(verbose: boolean): Output {
  return {
    verbose,
    progress: {
      write: writeLive,
      tty: Boolean(process.stdout.isTTY) && !process.env.CI,
    },
  };
}
