import { plural, todayFrom, UsageError } from '@imagesmith/core';
import { eolReport, lintImages } from '../../workflows/generate/lint';
import { log, type Command } from './command';

export const lintCommand: Command = {
  options: {
    'eol-report': {
      type: 'boolean',
      description:
        'print only what ends within 180 days (Python, OS, CUDA, SDK) for every image, with the move to make; exit 0',
    },
  },
  async run({ root, positionals, values }) {
    // Today's date is read here, once: IMAGESMITH_TODAY=YYYY-MM-DD, else the clock.
    const today = todayFrom(process.env);
    if (values['eol-report']) {
      if (positionals.length > 0)
        throw new UsageError('--eol-report covers the whole catalogue: name no images');
      process.stdout.write(eolReport(root, today));
      return 0;
    }
    const { files, findings, warnings, endOfLife } = lintImages(root, positionals, { today });
    for (const w of warnings) log(`warning: ${w}`);
    for (const f of findings)
      log(`${f.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message}\n    hint: ${f.hint}`);
    for (const f of endOfLife)
      log(
        `${f.file}:${f.line ?? 1}: ${f.severity} [end-of-life] ${f.message}\n    hint: ${f.hint}`,
      );
    const ended = endOfLife.filter((f) => f.severity === 'error').length;
    log(
      `${plural(files, 'Dockerfile')} linted, ${plural(findings.length, 'finding')}` +
        (endOfLife.length
          ? `, end of life: ${plural(ended, 'error')}, ${plural(endOfLife.length - ended, 'warning')}`
          : ''),
    );
    return findings.length > 0 || ended > 0 ? 1 : 0;
  },
};
