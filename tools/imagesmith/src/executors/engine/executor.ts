import { run } from '../../cli/main';
import { captured } from './capture-output';
import { nxLinePrefix, withoutLinePrefix } from './nx-prefix';
import type { EngineExecutorOptions } from './schema';
import { taskOrder, type BatchGraph } from './task-order';

interface Context {
  root: string;
}

interface TaskResult {
  success: boolean;
  terminalOutput: string;
  startTime?: number;
  endTime?: number;
  status?: 'success' | 'failure' | 'skipped';
}

/** The CLI's argv for one task; `--verbose` and other command-line extras pass through. */
export function commandLine(o: EngineExecutorOptions, extra: unknown): string[] {
  const argv: string[] = [o.command, o.image];
  if (o.command === 'build' && o.stage) argv.push('--stage', o.stage);
  if (Array.isArray(extra)) argv.push(...extra.filter((a): a is string => typeof a === 'string'));
  return argv;
}

function extras(options: Record<string, unknown>): unknown {
  return options.__unparsed__ ?? options.__overrides_unparsed__;
}

/**
 * One task, as Nx runs it without batching (--batch=false): the CLI in this process. Where Nx names
 * the project before each line or above the output, the image's own name is not written again.
 */
export default async function engineExecutor(
  options: EngineExecutorOptions & Record<string, unknown>,
  context: Context,
): Promise<{ success: boolean }> {
  const go = () => run(commandLine(options, extras(options)), context.root);
  const prefix = nxLinePrefix();
  const code = prefix ? await withoutLinePrefix(prefix, go) : await go();
  return { success: code === 0 };
}

/**
 * Every build and validate task of one Nx run in this one process, in dependency order: no Node
 * start, bundle load or engine detection per image (the engine is found once per process, see
 * engine-context.ts). A task whose dependency in the batch failed is reported skipped. Results
 * are yielded as each task ends, so Nx shows them as they come.
 */
export async function* engineBatch(
  graph: BatchGraph,
  inputs: Record<string, EngineExecutorOptions & Record<string, unknown>>,
  overrides: Record<string, unknown>,
  context: Context,
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const ok = new Map<string, boolean>();
  for (const id of taskOrder(graph)) {
    const failed = (graph.dependencies[id] ?? []).find((d) => ok.get(d) === false);
    if (failed) {
      ok.set(id, false);
      yield {
        task: id,
        result: {
          success: false,
          status: 'skipped',
          terminalOutput: `not run: ${failed} failed\n`,
        },
      };
      continue;
    }
    const options = inputs[id]!;
    const startTime = Date.now();
    const { code, output } = await captured(() =>
      run(commandLine(options, extras(options) ?? extras(overrides)), context.root),
    );
    ok.set(id, code === 0);
    yield {
      task: id,
      result: { success: code === 0, terminalOutput: output, startTime, endTime: Date.now() },
    };
  }
}
