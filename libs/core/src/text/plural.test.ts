import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect(plural(1, 'Dockerfile')).toBe('1 Dockerfile');
  });

  it('uses the plural for zero and for many', () => {
    expect(plural(0, 'finding')).toBe('0 findings');
    expect(plural(2, 'finding')).toBe('2 findings');
  });

  it('takes an irregular plural', () => {
    expect(plural(1, 'index', 'indexes')).toBe('1 index');
    expect(plural(3, 'index', 'indexes')).toBe('3 indexes');
  });
});
