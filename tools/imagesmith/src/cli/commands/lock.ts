import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '@imagesmith/core';
import { formatChanges, lockImage } from '../../workflows/lock/lock';
import { refreshLocks } from '../../workflows/lock/refresh';
import { renderRefreshSummary } from '../../workflows/lock/refresh-summary';
import { isVerbose, stdoutOutput, VERBOSE_OPTION } from '../../workflows/shared/output';
import { countOutcomes, renderOutcomeTable } from '../../workflows/shared/outcome-table';
import { log, type Command } from './command';
import { SELECTION_OPTIONS, selectedImages } from './image-selection';

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
    ...SELECTION_OPTIONS,
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
  async run(input) {
    const { values } = input;
    const images = await selectedImages(input);
    if (images?.length === 0) {
      log('no image selected (none affected): nothing to refresh');
      if (typeof values.summary === 'string')
        writeFileSync(resolve(values.summary), renderRefreshSummary([], []));
      return 0;
    }
    const { results, outcomes } = await refreshLocks(input.root, {
      update: Boolean(values.update),
      images,
    });
    if (typeof values.summary === 'string')
      writeFileSync(resolve(values.summary), renderRefreshSummary(results, outcomes));
    log(renderOutcomeTable('image', outcomes));
    log(`images: ${countOutcomes(outcomes)}`);
    // Skipped images (an index this machine cannot reach) are reported, not an error.
    return outcomes.some((o) => o.state === 'failed') ? 1 : 0;
  },
};
