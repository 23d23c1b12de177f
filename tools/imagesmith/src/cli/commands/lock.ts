import { plural, UsageError } from '@imagesmith/core';
import { formatChanges, lockImage, refreshLocks } from '../../workflows/lock';
import { isVerbose, stdoutOutput, VERBOSE_OPTION } from '../../workflows/output';
import { log, type Command } from './command';

export const lockCommand: Command = {
  options: {
    update: {
      type: 'boolean',
      description: 'take the newest versions the constraints allow, not the locked ones',
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
  },
  async run({ root, positionals, values }) {
    const { failed } = await refreshLocks(root, {
      update: Boolean(values.update),
      images: positionals.length ? positionals : undefined,
    });
    log(
      `${failed.size === 0 ? 'all locks refreshed' : `${plural(failed.size, 'image')} could not be locked`}`,
    );
    return failed.size === 0 ? 0 : 1;
  },
};
