import { randomBytes } from 'node:crypto';
import { EngineError, type Engine, type RunResult } from '@imagesmith/engine';

export interface FreshRun {
  engine: Engine;
  image: string;
  /** Part of the container's name: the variant and platform being validated. */
  label: string;
  runFlags?: string[];
  platform?: string;
  /** Removals under way: the caller waits for them all before it returns. */
  removals: Promise<unknown>[];
}

/**
 * Runs `command` in a container of its own, started from the image for it alone (--network none)
 * with one engine call (`docker run --name`, `buildah from --name` + `run`) and removed by name
 * after, whatever happened (a run stopped at `timeoutMs` included): nothing an earlier check wrote
 * or left running is there, and nothing else writes its exit code or output. The removal is not
 * awaited (kept: `docker run --rm` would wait for it), so the next check's container starts
 * meanwhile. `ms`: how long the run took, the container's start included.
 * Throws EngineError when the engine could not start the container (exit 125 with its own error:
 * the command's own output goes to stdout, see validate-script.ts).
 */
export async function inFreshContainer(
  run: FreshRun,
  command: string[],
  timeoutMs: number,
): Promise<RunResult & { ms: number }> {
  const { engine } = run;
  const name = `imagesmith-validate-${run.label}-${randomBytes(4).toString('hex')}`;
  const started = Date.now();
  let r: RunResult;
  try {
    r = await engine.run({
      name,
      keep: true,
      image: run.image,
      entrypoint: command[0],
      command: command.slice(1),
      network: 'none',
      runFlags: run.runFlags,
      timeoutMs,
      ...(run.platform ? { platform: run.platform } : {}),
    });
  } finally {
    run.removals.push(engine.removeContainer(name));
  }
  const ms = Date.now() - started;
  if (r.exitCode === 125 && r.stderr.trim() !== '')
    throw new EngineError(
      `${engine.name} could not start a container of ${run.image} (exit code 125):\n${r.stderr.trim()}\nWhat to do: check that ${run.image} exists locally and its run flags (${(run.runFlags ?? []).join(' ') || 'none'}) work on this host`,
      engine.name,
    );
  return { ...r, ms };
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
