import { DockerfileParser } from 'dockerfile-ast';
import { hadolintFindings } from './hadolint';
import { inlineIgnores } from './ignore';
import { RULES } from './rules';
import type { LintFinding } from './types';

export interface LintOptions {
  /** Rule ids to skip everywhere, e.g. 'pip-unpinned' or 'DL3008'. */
  ignore?: string[];
  /** The workspace root: where .hadolint.yaml and the tools venv's hadolint are (default: cwd). */
  root?: string;
}

/**
 * Lints one Dockerfile with hadolint (the workspace's .hadolint.yaml) and imagesmith's own rules;
 * findings sorted by line, then rule.
 */
export function lintDockerfile(
  text: string,
  file: string,
  options: LintOptions = {},
): LintFinding[] {
  const df = DockerfileParser.parse(text);
  const findings: LintFinding[] = [
    ...hadolintFindings(text, options.root ?? process.cwd()).map((f) => ({ file, ...f })),
    ...RULES.flatMap((rule) => rule.check(df, text).map((f) => ({ file, rule: rule.id, ...f }))),
  ];
  const everywhere = new Set(options.ignore ?? []);
  const inline = inlineIgnores(df, text);
  return findings
    .filter((f) => !everywhere.has(f.rule) && !inline.get(f.line)?.has(f.rule))
    .sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
