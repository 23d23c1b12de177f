import { randomBytes } from 'node:crypto';
import type { Engine, RunResult } from '@imagesmith/engine';

export interface FreshRun {
  engine: Engine;
  image: string;
  /** Part of the container's name: the variant and platform being validated. */
  label: string;
  /** Seconds the container may live at most (its `sleep`); it is removed as soon as the process ends. */
  lifetime: number;
  runFlags?: string[];
  platform?: string;
  /** Removals under way: the caller waits for them all before it returns. */
  removals: Promise<unknown>[];
}

/**
 * Runs `command` in a container of its own, started from the image for it alone (--network none)
 * and removed after, whatever happened: nothing an earlier check wrote or left running is there,
 * and nothing else writes its exit code or output. `before`: processes that run first in the same
 * container, each to its end (the probe of shell builtins, which leaves nothing behind).
 * `ms`: how long `command` ran.
 */
export async function inFreshContainer(
  run: FreshRun,
  command: string[],
  timeoutMs: number,
  before: { command: string[]; got: (r: RunResult) => void }[] = [],
): Promise<RunResult & { ms: number }> {
  const { engine } = run;
  const container = await engine.startContainer({
    name: `imagesmith-validate-${run.label}-${randomBytes(4).toString('hex')}`,
    image: run.image,
    entrypoint: 'sleep',
    command: [String(run.lifetime)],
    network: 'none',
    runFlags: run.runFlags,
    ...(run.platform ? { platform: run.platform } : {}),
  });
  try {
    for (const b of before)
      b.got(await engine.execContainer(container, { command: b.command, timeoutMs }));
    const started = Date.now();
    const r = await engine.execContainer(container, { command, timeoutMs });
    return { ...r, ms: Date.now() - started };
  } finally {
    // Not awaited here: the next check's container starts meanwhile.
    run.removals.push(engine.removeContainer(container.name));
  }
}

/**
 * Runs `tasks` at most `limit` at a time and waits for every one (so no container outlives the
 * call); the first failure is thrown after. Hand-written rather than p-limit: ten lines, and the
 * tools package has no such dependency to reuse.
 */
export async function allLimited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]!();
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}
