import { satisfies as pep440Satisfies, validRange } from '@renovatebot/pep440';

/**
 * Poetry constraints (https://python-poetry.org/docs/dependency-specification/) as PEP 440 ranges.
 * Poetry adds ^ and ~ and bare versions on top of PEP 440; the rest passes through.
 */
export function poetryToPep440(constraint: string): string {
  return constraint
    .split(',')
    .map((part) => convertOne(part.trim()))
    .filter((p) => p !== '')
    .join(',');
}

function convertOne(part: string): string {
  if (part === '*' || part === '') return '';
  if (part.startsWith('^')) return caret(part.slice(1));
  if (part.startsWith('~') && !part.startsWith('~=')) return tilde(part.slice(1));
  if (/^[0-9]/.test(part)) return part.includes('*') ? `==${part}` : `==${part}`;
  return part;
}

function nums(v: string): number[] {
  return v.split('.').map((n) => Number.parseInt(n, 10));
}

function caret(v: string): string {
  const n = nums(v);
  const idx = n.findIndex((x) => x !== 0);
  const bumpAt = idx === -1 ? n.length - 1 : Math.min(idx, n.length - 1);
  const upper = n.slice(0, bumpAt + 1);
  upper[bumpAt] = (upper[bumpAt] ?? 0) + 1;
  return `>=${v},<${upper.join('.')}`;
}

function tilde(v: string): string {
  const n = nums(v);
  const upper = n.length === 1 ? [(n[0] ?? 0) + 1] : [n[0] ?? 0, (n[1] ?? 0) + 1];
  return `>=${v},<${upper.join('.')}`;
}

/** True when `version` satisfies the Poetry constraint. */
export function satisfiesConstraint(version: string, constraint: string): boolean {
  const range = poetryToPep440(constraint);
  return range === '' || pep440Satisfies(version, range);
}

/** True when the constraint is something Poetry and PEP 440 understand. */
export function isValidConstraint(constraint: string): boolean {
  const range = poetryToPep440(constraint);
  return range === '' || validRange(range);
}
