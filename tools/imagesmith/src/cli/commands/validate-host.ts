import { loadWorkspace, plural, UsageError } from '@imagesmith/core';
import { diskReader } from '../../shared/builtin-assets';
import { validateOnHost } from '../../workflows/validate/host-executor';
import { detectHardware } from '../../workflows/validate/validate';
import { log } from './command';

/** `validate --executor host [--requires hw]`, checked: a usage error names the option. Pure. */
export function hostExecutorOptions(values: Record<string, unknown>): {
  host: boolean;
  requires?: string;
} {
  const executor = values.executor as string | undefined;
  const requires = values.requires as string | undefined;
  if (executor !== undefined && !['container', 'host'].includes(executor))
    throw new UsageError(
      `--executor must be container or host, not "${executor}" (or leave it out: container)`,
    );
  if (requires !== undefined && !/^[a-z0-9-]+$/.test(requires))
    throw new UsageError(
      `--requires needs a hardware name such as gpu or neuron, not "${requires}"`,
    );
  if (requires !== undefined && executor !== 'host')
    throw new UsageError('--requires works with --executor host; add it, or leave --requires out');
  return { host: executor === 'host', ...(requires ? { requires } : {}) };
}

/** The host executor's command: loads only the image and its ancestors, runs, sums variants. */
export async function validateOnHostCommand(
  root: string,
  image: string,
  requires: string | undefined,
  verbose: boolean,
): Promise<number> {
  const reader = diskReader(root);
  const ws = loadWorkspace(root, reader, { only: [image] });
  const summaries = await validateOnHost(root, ws, reader, image, {
    requires,
    hardware: detectHardware(),
    log,
    verbose,
  });
  const total = (k: 'passed' | 'failed' | 'skipped') => summaries.reduce((n, x) => n + x[k], 0);
  if (summaries.length > 1)
    log(
      `${plural(summaries.length, 'variant')}: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`,
    );
  return total('failed') > 0 ? 1 : 0;
}
