import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plural, UsageError } from '@imagesmith/core';
import { formatChanges, lockImage, refreshLocks } from '../../workflows/lock/lock';
import { renderRefreshSummary } from '../../workflows/lock/refresh-summary';
import { isVerbose, stdoutOutput, VERBOSE_OPTION } from '../../workflows/shared/output';
import { log, type Command } from './command';

export const lockCommand: Command = {
  options: {
    update: {
      type: 'boolean',
      description: 'take the newest versions the constraints allow, not the locked ones',
    },
    force: {
      type: 'boolean',
      description: 'run Poetry even when poetry.lock is up to date with pyproject.toml',
    },
    verbose: VERBOSE_OPTION,
  },
  async run({ root, positionals, values }) {
    if (positionals.length !== 1)
      throw new UsageError(
        'name exactly one image to lock, e.g. `imagesmith lock python-base` (use `refresh` for all)',
      );
    const output = stdoutOutput(isVerbose(values));
    for (const r of await lockImage(root, positionals[0]!, {
      update: Boolean(values.update),
      force: Boolean(values.force),
      output,
    }))
      log(formatChanges(r));
    return 0;
  },
};

export const refreshCommand: Command = {
  options: {
    update: {
      type: 'boolean',
      description: 'take the newest versions the constraints allow, not the locked ones',
    },
    summary: {
      type: 'string',
      value: 'file',
      description: 'also write the per-image changes as Markdown (the refresh pull request body)',
    },
  },
  async run({ root, positionals, values }) {
    const { results, failed } = await refreshLocks(root, {
      update: Boolean(values.update),
      images: positionals.length ? positionals : undefined,
    });
    if (typeof values.summary === 'string')
      writeFileSync(resolve(values.summary), renderRefreshSummary(results, failed));
    log(
      `${failed.size === 0 ? 'all locks refreshed' : `${plural(failed.size, 'image')} could not be locked`}`,
    );
    return failed.size === 0 ? 0 : 1;
  },
};
