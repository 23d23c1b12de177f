import { randomBytes } from 'node:crypto';
import { UsageError } from '@imagesmith/core';
import type { Engine } from '@imagesmith/engine';
import { matchOutput, patternError } from './output-match';
import type { Check } from './validate-contract';
import { checkArgv, parseResults, probeScript, type ContainerResults } from './validate-script';

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

/**
 * Runs the selected checks in one container of `ref`: first the probe (files, imports, uid), then
 * every command check as its own engine exec, so each result is the exit code and output the
 * engine reports for that process and no check can write another's. Each exec is bounded
 * (in the container with `timeout`, on the host by the call's time limit); the container itself
 * only lives as long as all of them together could take, and is removed at the end.
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
    /** The platform of a multi-platform image to start (every exec runs in that container). */
    platform?: string;
  },
): Promise<ContainerResults> {
  const { checkSeconds, regexMs } = opts.limits;
  const hostLimitMs = (checkSeconds + 15) * 1000;
  const commands = checks
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.kind === 'command' && c.command && include(c));
  const lifetime = (commands.length + 1) * (checkSeconds + 15) + 60;
  const arch = opts.platform ? `${opts.platform.split('/').slice(1).join('')}-` : '';
  const container = await engine.startContainer({
    name: `imagesmith-validate-${opts.variant}-${arch}${randomBytes(4).toString('hex')}`,
    image: ref,
    entrypoint: 'sleep',
    command: [String(lifetime)],
    network: 'none',
    runFlags: opts.runFlags,
    ...(opts.platform ? { platform: opts.platform } : {}),
  });
  try {
    const probe = await engine.execContainer(container, {
      command: ['sh', '-c', probeScript(checks, include)],
      timeoutMs: hostLimitMs,
    });
    const results = parseResults(probe.stdout);
    for (const { c, i } of commands) {
      const started = Date.now();
      const r = await engine.execContainer(container, {
        command: checkArgv(c.command!.run, checkSeconds, engine.name !== 'buildah'),
        timeoutMs: hostLimitMs,
      });
      const stopped =
        r.timedOut ||
        ((r.exitCode === 124 || r.exitCode === 137) &&
          Date.now() - started >= checkSeconds * 1000 - 100);
      // The runner joins the command's stderr to stdout; the engine's own stderr only matters alone.
      const output = r.stdout || r.stderr;
      const pattern = c.command!.output;
      results.commands.set(i, {
        code: r.exitCode,
        output,
        ...(stopped ? { timedOutAfter: checkSeconds } : {}),
        ...(pattern !== undefined && !stopped
          ? { match: await matchOutput(pattern, output, regexMs) }
          : {}),
      });
    }
    return results;
  } finally {
    await engine.removeContainer(container.name);
  }
}
