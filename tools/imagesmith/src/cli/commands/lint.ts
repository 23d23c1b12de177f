import { plural } from '@imagesmith/core';
import { lintImages } from '../../workflows/generate/lint';
import { log, type Command } from './command';

export const lintCommand: Command = {
  options: {},
  async run({ root, positionals }) {
    const { files, findings, warnings } = lintImages(root, positionals);
    for (const w of warnings) log(`warning: ${w}`);
    for (const f of findings)
      log(`${f.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message}\n    hint: ${f.hint}`);
    log(`${plural(files, 'Dockerfile')} linted, ${plural(findings.length, 'finding')}`);
    return findings.some((f) => f.severity === 'error') || findings.length > 0 ? 1 : 0;
  },
};
