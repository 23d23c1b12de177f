import type { Diagnostic } from '../../errors';
import { isValidConstraint } from '../poetry-constraint';
import { at, type Rule, type RuleContext } from './rule';
import type { StageSpec } from '../types';

// Formats narrow enough that a value can never close a quote or start a new instruction.
const APT_PACKAGE = /^[a-z0-9][a-z0-9.+-]*(=[A-Za-z0-9.+:~_-]+)?$/;
const PY_PACKAGE =
  /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(\[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\])?$/;
const CONSTRAINT_CHARS = /^[0-9A-Za-z.*^~<>=!, +-]+$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9._/@+-]*$/;

function packages(
  ctx: RuleContext,
  where: (string | number)[],
  stage: StageSpec | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  (stage?.system_packages ?? []).forEach((p, i) => {
    if (!APT_PACKAGE.test(p))
      out.push(
        at(
          ctx,
          [...where, 'system_packages', i],
          `"${p}" is not a valid apt package name`,
          'use a Debian/Ubuntu package name, optionally pinned as name=version (e.g. curl or curl=7.88.1-10)',
        ),
      );
  });
  for (const [name, constraint] of Object.entries(stage?.python_packages ?? {})) {
    if (!PY_PACKAGE.test(name))
      out.push(
        at(
          ctx,
          [...where, 'python_packages', name],
          `"${name}" is not a valid Python package name`,
          'use the PyPI name, with extras in brackets if needed (e.g. neuron-cc[tensorflow])',
          true,
        ),
      );
    else if (!CONSTRAINT_CHARS.test(constraint) || !isValidConstraint(constraint))
      out.push(
        at(
          ctx,
          [...where, 'python_packages', name],
          `"${constraint}" is not a valid version constraint`,
          'use a Poetry constraint: 2.3.1, ^2.3, ~2.3.1, >=1.0,<2.0 or *',
        ),
      );
  }
  for (const [i, cmd] of (stage?.commands ?? []).entries()) {
    // A trailing backslash would continue the RUN line into whatever the generator writes next.
    // A leading dash would be read as a RUN flag (--mount, --network, --security).
    if (/^\s*-/.test(cmd))
      out.push(
        at(
          ctx,
          [...where, 'commands', i],
          'starts with a dash',
          'start the command with the program to run; RUN flags cannot be set from a spec',
        ),
      );
    if (/\\\s*$/.test(cmd))
      out.push(
        at(
          ctx,
          [...where, 'commands', i],
          'ends with a backslash',
          'remove the trailing backslash; each list entry is one complete command',
        ),
      );
  }
  for (const key of Object.keys(stage?.env ?? {})) {
    if (!ENV_KEY.test(key))
      out.push(
        at(
          ctx,
          [...where, 'env', key],
          `"${key}" is not a valid environment variable name`,
          'use letters, digits and underscores, not starting with a digit',
          true,
        ),
      );
  }
  return out;
}

export const fieldFormats: Rule = {
  id: 'field-formats',
  check(ctx) {
    const s = ctx.spec;
    const out = [...packages(ctx, [], s)];
    for (const stage of ['development', 'production'] as const)
      out.push(...packages(ctx, ['stages', stage], s.stages?.[stage]));
    for (const key of Object.keys(s.labels ?? {})) {
      if (!LABEL_KEY.test(key))
        out.push(
          at(
            ctx,
            ['labels', key],
            `"${key}" is not a valid label key`,
            'use lowercase reverse-DNS style keys such as com.example.team',
            true,
          ),
        );
    }
    if (s.workdir !== undefined && !PATH.test(s.workdir))
      out.push(
        at(
          ctx,
          ['workdir'],
          `"${s.workdir}" is not a plain absolute path`,
          'use an absolute path of letters, digits and . _ - / (e.g. /workspace)',
        ),
      );
    for (const key of ['exist', 'absent'] as const) {
      (s.tests?.files?.[key] ?? []).forEach((p, i) => {
        if (!PATH.test(p))
          out.push(
            at(
              ctx,
              ['tests', 'files', key, i],
              `"${p}" is not a plain absolute path`,
              'use an absolute path of letters, digits and . _ - /',
            ),
          );
      });
    }
    return out;
  },
};
