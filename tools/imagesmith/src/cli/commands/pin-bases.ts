import { appendFileSync } from 'node:fs';
import { plural } from '@imagesmith/core';
import { describeBaseChanges, pinBases } from '../../workflows/pin-bases/pin-bases';
import { log, type Command } from './command';

export const pinBasesCommand: Command = {
  options: {
    summary: {
      type: 'string',
      value: 'file',
      description: 'append the changed digests (markdown) to this file, e.g. the refresh PR body',
    },
  },
  async run({ root, values }) {
    const result = await pinBases(root);
    const lines = describeBaseChanges(result);
    for (const line of lines) log(line);
    if (result.written.length > 0) log(`${plural(result.written.length, 'file')} regenerated`);
    if (typeof values.summary === 'string')
      appendFileSync(values.summary, `\n## Base images\n\n${lines.join('\n')}\n`);
    return 0;
  },
};
