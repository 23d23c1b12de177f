import { UsageError } from '@imagesmith/core';
import type { Engine, RunResult } from '@imagesmith/engine';
import { matchOutput, patternError } from './output-match';
import type { Check } from '@imagesmith/plan';
import { allLimited, inFreshContainer, type FreshRun } from './fresh-container';
import {
  checkArgv,
  importCommand,
  importResult,
  parseResults,
  probeScript,
  type CommandResult,
  type ContainerResults,
} from './validate-script';

export interface CheckLimits {
  /** Seconds one command check may run (IMAGESMITH_CHECK_TIMEOUT, default 300). */
  checkSeconds: number;
  /** Milliseconds one output pattern may take (IMAGESMITH_REGEX_TIMEOUT_MS, default 1000). */
  regexMs: number;
}

/** The limits from the environment; a bad value names its variable. Pure. */
export function checkLimits(env: NodeJS.ProcessEnv = process.env): CheckLimits {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[1-9][0-9]*$/.test(raw))
      throw new UsageError(`${name}=${raw} is not a positive whole number; unset it or give one`);
    return Number(raw);
  };
  return {
    checkSeconds: read('IMAGESMITH_CHECK_TIMEOUT', 300),
    regexMs: read('IMAGESMITH_REGEX_TIMEOUT_MS', 1000),
  };
}

/** Refuses, before any container starts, every output pattern that is not a regular expression. */
export function requireValidPatterns(checks: Check[]): void {
  const errors = checks.flatMap((c) => {
    const p = c.command?.output;
    const why = p === undefined ? undefined : patternError(p);
    return why
      ? [
          `images/${c.from}/image.yaml: tests.commands "${c.name}".output /${p}/ is not a valid regular expression (${why}); fix the pattern`,
        ]
      : [];
  });
  if (errors.length > 0) throw new UsageError(errors.join('\n'));
}

/** How many checks run at once, each in its own container (the engine's start/remove overlap). */
export const CHECKS_AT_ONCE = 4;

/**
 * Runs the selected checks of `ref`, each in a fresh container of its own started from the image
 * (inFreshContainer: one `docker run --rm` each), so every check starts from the image and nothing
 * one leaves behind reaches another (issue 16): each import (in a Python that runs no code of the
 * image before it) and each command. The probe of files and the uid (shell builtins only, no code
 * of the image) runs in a container of its own too, first. Every result is the exit code and
 * output the engine reports for that one process. Each is bounded (in the container with
 * `timeout`, on the host by the call's time limit, after which the container is removed by name);
 * CHECKS_AT_ONCE run at a time.
 */
export async function runChecks(
  engine: Engine,
  ref: string,
  checks: Check[],
  include: (c: Check) => boolean,
  opts: {
    variant: string;
    limits: CheckLimits;
    runFlags?: string[];
    /** The platform of a multi-platform image to start (every check runs on it). */
    platform?: string;
  },
): Promise<ContainerResults> {
  const arch = opts.platform ? `-${opts.platform.split('/').slice(1).join('')}` : '';
  const fresh: FreshRun = {
    engine,
    image: ref,
    label: `${opts.variant}${arch}`,
    runFlags: opts.runFlags,
    removals: [],
    ...(opts.platform ? { platform: opts.platform } : {}),
  };
  try {
    return await runChecksWith(
      (argv, timeoutMs) => inFreshContainer(fresh, argv, timeoutMs),
      checks,
      include,
      opts.limits,
    );
  } finally {
    await Promise.all(fresh.removals);
  }
}

/**
 * Runs one argv as a process of its own and reports what it did: in a fresh container of the image
 * (runChecks), or on this host (host-executor.ts). `ms`: how long it took.
 */
export type ProcessRunner = (
  argv: string[],
  timeoutMs: number,
) => Promise<RunResult & { ms: number }>;

/**
 * The checks' semantics, whatever runs them: the probe of files and the uid (when a chosen check
 * needs it), each import and each command as a process of its own started by `runner` (checkArgv:
 * bounded by `timeout` inside, by the call's time limit outside), CHECKS_AT_ONCE at a time; each
 * output pattern matched within its own time limit.
 */
export async function runChecksWith(
  runner: ProcessRunner,
  checks: Check[],
  include: (c: Check) => boolean,
  limits: CheckLimits,
): Promise<ContainerResults> {
  const { checkSeconds, regexMs } = limits;
  const hostLimitMs = (checkSeconds + 15) * 1000;
  const chosen = checks.map((c, i) => ({ c, i })).filter(({ c }) => include(c));
  const results: ContainerResults = { commands: new Map(), files: new Map(), imports: {} };
  const probe = {
    command: ['sh', '-c', probeScript(checks, include)],
    got: (r: RunResult) => {
      const found = parseResults(r.stdout);
      found.files.forEach((v, i) => results.files.set(i, v));
      if (found.uid !== undefined) results.uid = found.uid;
    },
  };
  /** One command as a process of its own, as the runner reports it. */
  const run = async (command: string, pattern?: string): Promise<CommandResult> => {
    const r = await runner(checkArgv(command, checkSeconds), hostLimitMs);
    const stopped =
      r.timedOut ||
      ((r.exitCode === 124 || r.exitCode === 137) && r.ms >= checkSeconds * 1000 - 100);
    // The runner joins the command's stderr to stdout; the engine's own stderr only matters alone.
    const output = r.stdout || r.stderr;
    return {
      code: r.exitCode,
      output,
      ...(stopped ? { timedOutAfter: checkSeconds } : {}),
      ...(pattern !== undefined && !stopped
        ? { match: await matchOutput(pattern, output, regexMs) }
        : {}),
    };
  };
  const tasks: (() => Promise<void>)[] = [];
  if (chosen.some(({ c }) => ['file-exists', 'file-absent', 'non-root'].includes(c.kind)))
    tasks.push(async () => probe.got(await runner(probe.command, hostLimitMs)));
  const modules = new Set(chosen.filter(({ c }) => c.kind === 'import').map(({ c }) => c.key!));
  for (const module of modules)
    tasks.push(async () => {
      const r = await run(importCommand(module));
      results.imports[module] =
        r.timedOutAfter !== undefined
          ? { ok: false, error: `timed out after ${r.timedOutAfter} s and was stopped` }
          : importResult(r.code, r.output);
    });
  for (const { c, i } of chosen.filter(({ c }) => c.kind === 'command' && c.command))
    tasks.push(async () => {
      results.commands.set(i, await run(c.command!.run, c.command!.output));
    });
  await allLimited(tasks, CHECKS_AT_ONCE);
  return results;
}
