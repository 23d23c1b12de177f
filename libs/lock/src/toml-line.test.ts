import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { tomlKey, tomlLine } from './toml-line';

describe('tomlLine', () => {
  it('writes bare keys, basic strings, booleans and inline tables as pyproject.toml has them', () => {
    expect(tomlLine('name', 'acme-base')).toBe('name = "acme-base"');
    expect(tomlLine('package-mode', false)).toBe('package-mode = false');
    expect(tomlLine('description', 'say "hi" \\ bye\n\tend')).toBe(
      'description = "say \\"hi\\" \\\\ bye\\n\\tend"',
    );
    expect(tomlLine('torch', { version: '2.3.1', source: 'pytorch-cu121' })).toBe(
      'torch = { version = "2.3.1", source = "pytorch-cu121" }',
    );
    expect(
      tomlLine('appnope', { version: '==1.0.0', markers: 'platform_system == "Darwin"' }),
    ).toBe(`appnope = { version = "==1.0.0", markers = 'platform_system == "Darwin"' }`);
    expect(tomlLine('x', { markers: `a == "b" and c == 'd'` })).toBe(
      `x = { markers = "a == \\"b\\" and c == 'd'" }`,
    );
    expect(tomlLine('x', {})).toBe('x = {}');
  });

  it('quotes a key that is not bare', () => {
    expect(tomlKey('zope.interface')).toBe('"zope.interface"');
    expect(tomlKey('a_b-C9')).toBe('a_b-C9');
  });

  // @iarna/toml dropped all but the first of several control characters ("\u0001a\u0002" became
  // "\u0001a") and wrote control characters into literal strings: every string must read back.
  it('reads back as the same key and value, whatever the characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.oneof(fc.string({ unit: 'binary' }), fc.boolean()),
        fc.dictionary(fc.string(), fc.string({ unit: 'binary' })),
        (key, value, table) => {
          expect(parse(tomlLine(key, value))).toEqual({ [key]: value });
          expect(parse(tomlLine(key, table))).toEqual({ [key]: table });
        },
      ),
      { numRuns: 200 },
    );
  });
});
