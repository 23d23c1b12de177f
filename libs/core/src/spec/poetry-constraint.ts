import { validRange } from '@renovatebot/pep440';
import { poetryToPep440, satisfies } from '@imagesmith/lock';

export { poetryToPep440 };

/** True when `version` satisfies the Poetry constraint (the lock library's reading of it). */
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
