import { allowEol } from './allow-eol';
import { baseReference } from './base-reference';
import { copiedFiles } from './copied-files';
import { deprecation } from './deprecation';
import { fieldFormats } from './field-formats';
import { outputPatterns } from './output-patterns';
import { profileSupport } from './profile-support';
import { pythonVersion } from './python-version';
import type { Rule } from './rule';
import { safeStrings } from './safe-strings';

/** Pass two: named semantic rules, run in this order on every schema-valid spec. */
export const specRules: Rule[] = [
  safeStrings,
  fieldFormats,
  outputPatterns,
  pythonVersion,
  profileSupport,
  baseReference,
  deprecation,
  copiedFiles,
  allowEol,
];
export type { Rule, RuleContext } from './rule';
