import { plural, todayFrom, UsageError } from '@imagesmith/core';
import { generate } from '../../workflows/generate/generate';
import { describeLockProblem, isLockError, type LockProblem } from '@imagesmith/plan';
import { log, type Command } from './command';

export const generateCommand: Command = {
  options: {
    all: {
      type: 'boolean',
      description: 'every image, plus the README catalogue table; writes nothing on any error',
    },
    check: {
      type: 'boolean',
      description: 'write nothing; exit 1 listing the generated files that are out of date',
    },
    quiet: { type: 'boolean', description: 'print only the summary line, not each written file' },
  },
  async run({ root, positionals, values }) {
    if (!values.all && positionals.length === 0)
      throw new UsageError('name the images to generate, or pass --all');
    const result = generate(root, {
      images: values.all ? undefined : positionals,
      check: Boolean(values.check),
      // Read here, once (IMAGESMITH_TODAY=YYYY-MM-DD, else the clock): the end-of-life guard's day.
      today: todayFrom(process.env),
    });
    if (values.check) {
      if (result.drifted.length > 0)
        log(
          `generated files are out of date:\n${result.drifted.map((f) => `  ${f}`).join('\n')}\nrun \`nx sync\` (or \`npm run generate\`) and commit the result`,
        );
      else log(`${plural(result.unchanged.length, 'generated file')} up to date`);
    } else {
      if (!values.quiet) for (const f of result.written) log(`wrote ${f}`);
      log(`${result.written.length} written, ${result.unchanged.length} unchanged`);
    }
    // Last, so it is what a reader sees: generation cannot fix a lock (only Poetry can), so a
    // stale lock fails and an absent one warns.
    for (const line of result.deprecations) log(line);
    // One line each (lint prints the hints too): an allowed image is warned about on every run.
    for (const f of result.endOfLife) log(`warning: ${f.file}:${f.line ?? 1}: ${f.message}`);
    const staleLocks = reportLocks(result.lockProblems);
    return result.drifted.length > 0 || staleLocks ? 1 : 0;
  },
};

/** Prints each lock problem; true when one is an error (stale, or not installable), unlike an absent lock. */
function reportLocks(problems: LockProblem[]): boolean {
  for (const p of problems)
    log(`${isLockError(p) ? 'error' : 'warning'}: ${describeLockProblem(p)}`);
  return problems.some(isLockError);
}
