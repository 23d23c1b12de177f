import { UsageError } from '@imagesmith/core';
import { gcImage, gcRegistry } from '../../workflows/gc/gc';
import { planImage } from '../../workflows/promote/workspace-plans';
import { log, type Command } from './command';

/** `--keep N`: a whole number, 0 or more; required, so no default silently deletes. */
export function keepCount(value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (value === undefined)
    throw new UsageError(
      'gc needs --keep N: how many of the newest unreferenced content tags to keep, e.g. `imagesmith gc python-base --keep 5`',
    );
  if (!/^\d+$/.test(text))
    throw new UsageError(`--keep must be a whole number (0 or more), not "${String(value)}"`);
  return Number(text);
}

export const gcCommand: Command = {
  options: {
    keep: {
      type: 'string',
      value: 'N',
      description:
        'keep the N newest content (ch-) tags besides those a pinned or floating tag names (required)',
    },
    delete: {
      type: 'boolean',
      description: 'delete them in the registry (without it gc only lists what it would delete)',
    },
  },
  async run({ root, positionals, values }) {
    if (positionals.length !== 1)
      throw new UsageError(
        'name exactly one image to gc, e.g. `imagesmith gc python-base --keep 5`',
      );
    const keep = keepCount(values.keep);
    const work = planImage(root, positionals[0]!);
    await gcImage(work, { keep, delete: values.delete === true }, gcRegistry(work), log);
    return 0;
  },
};
