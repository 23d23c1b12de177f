import { DockerfileParser } from 'dockerfile-ast';
import { dockerfilelintFindings } from './dockerfilelint';
import { inlineIgnores } from './ignore';
import { RULES } from './rules';
import type { LintFinding } from './types';

export interface LintOptions {
  /** Rule ids to skip everywhere, e.g. 'pip-no-cache-dir' or 'dockerfilelint/use-of-sudo-is-not-allowed'. */
  ignore?: string[];
}

/** Lints one Dockerfile with dockerfilelint and our rules; findings sorted by line, then rule. */
export function lintDockerfile(
  text: string,
  file: string,
  options: LintOptions = {},
): LintFinding[] {
  const df = DockerfileParser.parse(text);
  const findings: LintFinding[] = [
    ...dockerfilelintFindings(df, text).map((f) => ({ file, ...f })),
    ...RULES.flatMap((rule) => rule.check(df, text).map((f) => ({ file, rule: rule.id, ...f }))),
  ];
  const everywhere = new Set(options.ignore ?? []);
  const inline = inlineIgnores(df, text);
  return findings
    .filter((f) => !everywhere.has(f.rule) && !inline.get(f.line)?.has(f.rule))
    .sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
