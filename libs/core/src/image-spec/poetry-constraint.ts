import { satisfies as pep440Satisfies, validRange } from '@renovatebot/pep440';
import { ConstraintError } from '../errors';

// One clause: an optional operator, then a version ("1.2", "1.2.*", "2.3.1+cu121").
const CLAUSE = /(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([^\s,<>=!~^|]+)/g;

/**
 * Translate a Poetry version constraint into a PEP 440 specifier ("" means any version).
 * Poetry's caret and tilde have no PEP 440 spelling; their bounds follow
 * https://python-poetry.org/docs/dependency-specification/#caret-requirements
 * (`^0.2.3` is `>=0.2.3,<0.3.0`, `~1.2` is `>=1.2,<1.3`). Poetry's "or" (`||`) has no
 * PEP 440 form either: `satisfies` handles it, this throws.
 */
export function poetryToPep440(constraint: string): string {
  const text = constraint.trim();
  if (text.includes('|')) {
    throw new ConstraintError(
      `The constraint "${constraint}" uses "||", which PEP 440 cannot express.`,
      {
        hint: 'Check each alternative on its own, or use satisfies(), which understands "||".',
      },
    );
  }
  if (text === '' || text === '*') return '';
  const specs: string[] = [];
  let consumed = '';
  for (const m of text.matchAll(CLAUSE)) {
    consumed += m[0];
    specs.push(...clause(m[1] ?? '', m[2]!, constraint));
  }
  if (consumed.replace(/[\s,]/g, '') !== text.replace(/[\s,]/g, '')) invalid(constraint);
  return specs.join(',');
}

/** Whether `version` (a locked version, pre-release or local label allowed) meets a Poetry constraint. */
export function satisfies(version: string, poetryConstraint: string): boolean {
  return poetryConstraint.split(/\|\|?/).some((alternative) => {
    const spec = poetryToPep440(alternative);
    // A locked version is a fact, not a candidate: pre-releases count as in range.
    return spec === '' || pep440Satisfies(version, spec, { prereleases: true });
  });
}

function clause(op: string, version: string, constraint: string): string[] {
  if (version === '*') return op === '' || op === '==' || op === '=' ? [] : invalid(constraint);
  if (!/^\d/.test(version)) return invalid(constraint);
  if (op === '^' || op === '~') {
    const release = /^(\d+(?:\.\d+)*)/.exec(version)?.[1];
    if (!release) return invalid(constraint);
    const parts = release.split('.').map(Number);
    return [`>=${version}`, `<${op === '^' ? caretUpper(parts) : tildeUpper(parts)}`];
  }
  if (op === '' || op === '=') return [`==${version}`];
  return [`${op}${version}`];
}

// Poetry's Version.next_breaking(): bump the first non-zero part (or the last given one).
function caretUpper(parts: number[]): string {
  const i = parts.findIndex((p) => p !== 0);
  const at = i === -1 || i >= parts.length ? parts.length - 1 : i;
  return bump(parts, Math.min(at, 2));
}

// `~1` allows the next major; `~1.2` and `~1.2.3` only the next minor.
function tildeUpper(parts: number[]): string {
  return bump(parts, parts.length === 1 ? 0 : 1);
}

function bump(parts: number[], at: number): string {
  const out = parts.map((p, i) => (i < at ? p : i === at ? p + 1 : 0));
  return out.join('.');
}

function invalid(constraint: string): never {
  throw new ConstraintError(`"${constraint}" is not a valid Poetry version constraint.`, {
    hint: 'Use forms like "^2.3", "~2.3", "==2.3.1", ">=1,<2" or "*" (https://python-poetry.org/docs/dependency-specification/).',
  });
}

/** Like `satisfies`, but false (not an error) for a constraint that cannot be read. */
export function satisfiesConstraint(version: string, constraint: string): boolean {
  try {
    return satisfies(version, constraint);
  } catch {
    return false;
  }
}

/** True when the constraint is something Poetry understands (each `||` alternative valid PEP 440 once translated). */
export function isValidConstraint(constraint: string): boolean {
  try {
    return constraint.split(/\|\|?/).every((alternative) => {
      const range = poetryToPep440(alternative);
      return range === '' || validRange(range) !== null;
    });
  } catch {
    return false;
  }
}
