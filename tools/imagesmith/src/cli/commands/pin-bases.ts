import { appendFileSync } from 'node:fs';
import { plural } from '@imagesmith/core';
import { describeBaseChanges, pinBases } from '../../workflows/pin-bases/pin-bases';
import { countOutcomes, renderOutcomeTable } from '../../workflows/shared/outcome-table';
import { log, type Command } from './command';
import { SELECTION_OPTIONS, selectedImages } from './image-selection';

export const pinBasesCommand: Command = {
  options: {
    ...SELECTION_OPTIONS,
    summary: {
      type: 'string',
      value: 'file',
      description: 'append the changed digests (markdown) to this file, e.g. the refresh PR body',
    },
  },
  async run(input) {
    const { values } = input;
    const images = await selectedImages(input);
    if (images?.length === 0) {
      log('no image selected (none affected): nothing to pin');
      return 0;
    }
    const result = await pinBases(input.root, { images });
    for (const image of result.noExternalBase)
      log(`${image}: built FROM a catalogue image, no external base of its own to pin`);
    if (result.outcomes.length > 0) log(renderOutcomeTable('base tag', result.outcomes));
    log(`base tags: ${countOutcomes(result.outcomes)}`);
    if (result.written.length > 0) log(`${plural(result.written.length, 'file')} regenerated`);
    if (typeof values.summary === 'string')
      appendFileSync(
        values.summary,
        `\n## Base images\n\n${describeBaseChanges(result).join('\n')}\n`,
      );
    // A skip (unreachable registry, a tag the mirror lacks) is reported, not an error.
    return result.outcomes.some((o) => o.state === 'failed') ? 1 : 0;
  },
};
