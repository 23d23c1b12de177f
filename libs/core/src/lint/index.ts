export { lintDockerfile, type LintOptions } from './lint';
export type { LintFinding, LintRule, RuleFinding, Severity } from './types';
export { RULES } from './rules';
export { findHadolint, HadolintError, HADOLINT_VERSION, HADOLINT_VENV_BIN } from './hadolint';
