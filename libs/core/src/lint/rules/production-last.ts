import type { Dockerfile } from 'dockerfile-ast';
import { stagesOf } from '../stages';
import type { LintRule, RuleFinding } from '../types';

/**
 * A build without --target builds the last stage: that must be production, so nobody ships the
 * development stage (its tools, its dev dependencies) by leaving --target out.
 */
export const productionLast: LintRule = {
  id: 'production-last',
  description: 'A stage named production must be the last stage (the default build target).',
  check(df: Dockerfile): RuleFinding[] {
    const stages = stagesOf(df);
    const production = stages.find((s) => s.name === 'production');
    const last = stages.at(-1);
    if (!production || !last || production === last) return [];
    return [
      {
        line: production.from.getRange().start.line + 1,
        severity: 'error',
        message: `stage 'production' is not the last stage, so a build without --target builds ${last.name ? `'${last.name}'` : 'another stage'}`,
        hint: 'Move the production stage to the end of the Dockerfile (FROM runtime AS production)',
      },
    ];
  },
};
