import { describe, expect, it } from 'vitest';
import { ConstraintError } from '../errors';
import {
  isValidConstraint,
  poetryToPep440,
  satisfies,
  satisfiesConstraint,
} from './poetry-constraint';

describe('poetryToPep440', () => {
  // Bounds from https://python-poetry.org/docs/dependency-specification/
  it.each([
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2,<2.0'],
    ['^1', '>=1,<2'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['^2.3.1+cu121', '>=2.3.1+cu121,<3.0.0'],
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1.2', '>=1.2,<1.3'],
    ['~1', '>=1,<2'],
    ['~=1.2', '~=1.2'],
    ['==2.3.1', '==2.3.1'],
    ['2.3.1', '==2.3.1'],
    ['1.2.*', '==1.2.*'],
    ['>=1,<2', '>=1,<2'],
    ['>= 1.2, < 2', '>=1.2,<2'],
    ['>=1.2 <2', '>=1.2,<2'],
    ['!=1.5', '!=1.5'],
    ['*', ''],
    ['', ''],
  ])('%s -> %s', (poetry, pep440) => {
    expect(poetryToPep440(poetry)).toBe(pep440);
  });

  it.each(['^', 'latest', '>=x', '^*'])('rejects %j with a hint', (bad) => {
    expect(() => poetryToPep440(bad)).toThrow(ConstraintError);
    expect(() => poetryToPep440(bad)).toThrow(/hint: Use forms like/);
  });

  it('refuses "||", which PEP 440 cannot say', () => {
    expect(() => poetryToPep440('^1 || ^2')).toThrow(/satisfies\(\)/);
  });
});

describe('satisfies', () => {
  it.each([
    ['1.0', '^1', true],
    ['2.0', '^1', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2', true],
    ['1.3', '~1.2', false],
    ['1.0', '*', true],
    ['1.0', '>=1,<2', true],
    ['2.3.1+cu121', '==2.3.1', true],
    ['2.3.1+cu121', '^2.3', true],
    ['2.1rc1', '^2', true],
    ['1.5', '^1 || ^3', true],
    ['3.1', '^1 || ^3', true],
    ['2.0', '^1 || ^3', false],
    ['1.0', '!=1.0', false],
  ])('%s meets %s: %s', (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });
});

describe('satisfiesConstraint and isValidConstraint', () => {
  it('answer false instead of throwing for an unreadable constraint', () => {
    expect(satisfiesConstraint('1.0', 'latest')).toBe(false);
    expect(isValidConstraint('latest')).toBe(false);
  });

  it('accept every "||" alternative Poetry accepts', () => {
    expect(satisfiesConstraint('3.1', '^1 || ^3')).toBe(true);
    expect(isValidConstraint('^1 || ^3')).toBe(true);
    expect(isValidConstraint('^1 || latest')).toBe(false);
  });
});
