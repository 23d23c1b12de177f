export { lintDockerfile, type LintOptions } from './lint';
export type { LintFinding, LintRule, RuleFinding, Severity } from './types';
export { RULES } from './rules';
