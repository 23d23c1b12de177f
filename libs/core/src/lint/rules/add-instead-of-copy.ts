import type { Dockerfile } from 'dockerfile-ast';
import { instructionArgs } from '../shell';
import type { LintRule, RuleFinding } from '../types';

/** Sources for which ADD does something COPY cannot: fetch a URL or git repo, unpack a local tar. */
const URL = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;
const TAR = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;

/** ADD on a plain local file hides auto-extraction semantics; COPY says what it does. */
export const addInsteadOfCopy: LintRule = {
  id: 'add-instead-of-copy',
  description: 'ADD of a local path that is neither a URL nor a tar archive should be COPY.',
  check(df: Dockerfile): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const add of df.getInstructions().filter((i) => i.getKeyword() === 'ADD')) {
      const args = instructionArgs(add);
      if (args.length < 2) continue;
      const dest = args.at(-1)!;
      // Variables and heredocs (<<EOF) can be anything; we judge only literal paths.
      const local = args
        .slice(0, -1)
        .filter((s) => !URL.test(s) && !TAR.test(s) && !s.includes('$') && !s.startsWith('<<'));
      if (!local.length) continue;
      findings.push({
        line: add.getRange().start.line + 1,
        severity: 'warning',
        message: `ADD of local path ${local.join(', ')}: ADD only adds value for URLs and tar archives`,
        hint: `Use COPY instead: COPY ${local.join(' ')} ${dest}`,
      });
    }
    return findings;
  },
};
