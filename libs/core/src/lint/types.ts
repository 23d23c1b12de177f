import type { Dockerfile } from 'dockerfile-ast';

export type Severity = 'error' | 'warning';

/** One problem in a Dockerfile. `line` is 1-based and always the first line of the instruction. */
export interface LintFinding {
  file: string;
  line: number;
  rule: string;
  severity: Severity;
  message: string;
  /** What to write instead. */
  hint: string;
}

/** What a rule reports; lintDockerfile stamps on `file` and `rule`. */
export type RuleFinding = Omit<LintFinding, 'file' | 'rule'>;

export interface LintRule {
  id: string;
  description: string;
  check(dockerfile: Dockerfile, text: string): RuleFinding[];
}
