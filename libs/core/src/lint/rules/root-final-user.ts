import { User, type Dockerfile } from 'dockerfile-ast';
import { stageLabel, stagesOf, type Stage } from '../stages';
import type { LintRule, RuleFinding } from '../types';

/** Stages people run, besides the last one, by the names our generator gives them. */
const RUN_STAGES = new Set(['production', 'development']);

interface UserSetting {
  user: string;
  line: number;
  stage: Stage;
}

/** The USER a stage ends with: its own last USER, else the one of the stage it builds FROM. */
function finalUser(stage: Stage | undefined): UserSetting | undefined {
  if (!stage) return undefined;
  const own = stage.instructions.filter((i) => i instanceof User).at(-1);
  if (!own) return finalUser(stage.parent);
  return {
    user: own.getArgumentsContent()?.trim() ?? '',
    line: own.getRange().start.line + 1,
    stage,
  };
}

function isRoot(user: string): boolean {
  // A variable (USER ${APP_UID}) is resolved at build time; we cannot tell, so we trust it.
  if (user.includes('$')) return false;
  const name = user.split(':')[0]!.trim();
  return name === 'root' || name === '0';
}

/** Containers run as their image's final user; root there turns any breakout into host root. */
export const rootFinalUser: LintRule = {
  id: 'root-final-user',
  description:
    'The last stage and the production/development stages must end with a USER that is not root.',
  check(df: Dockerfile): RuleFinding[] {
    const stages = stagesOf(df);
    const checked = stages.filter(
      (s, i) => i === stages.length - 1 || RUN_STAGES.has(s.name ?? ''),
    );
    const hint =
      'End the stage with `USER 1000:1000` (a user created earlier), after the steps that need root';
    const findings: RuleFinding[] = [];
    for (const stage of checked) {
      const fromLine = stage.from.getRange().start.line + 1;
      const u = finalUser(stage);
      if (!u) {
        findings.push({
          line: fromLine,
          severity: 'error',
          message: `${stageLabel(stage)} has no USER instruction, so it runs as the base image's user (usually root)`,
          hint,
        });
      } else if (isRoot(u.user)) {
        const inherited = u.stage !== stage ? ` inherited from ${stageLabel(u.stage)}` : '';
        findings.push({
          line: inherited ? fromLine : u.line,
          severity: 'error',
          message: `${stageLabel(stage)} ends as root (USER ${u.user} at line ${u.line}${inherited})`,
          hint,
        });
      }
    }
    return findings;
  },
};
