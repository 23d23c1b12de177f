import { describe, expect, it } from 'vitest';
import { capDiagnostics, excerpt } from './excerpt';
import { parseYamlDocument } from './parse-document';

const problems = (text: string) => parseYamlDocument(text, 'f.yaml').diagnostics;

describe('YAML a spec cannot hold', () => {
  it.each([
    ['a: !!binary aGk=', 1, 13, 'a', 'the tag !!binary is not supported'],
    ['a:\n  - !!timestamp 2001-12-14', 2, 17, 'a[0]', 'the tag !!timestamp is not supported'],
    ['a: {b: !local x}', 1, 15, 'a.b', 'the tag !local is not supported'],
    ['a:\n  <<: {b: 1}', 2, 3, 'a.<<', 'merge keys (<<) are not supported'],
    ['a: *x', 1, 4, 'a', 'alias *x has no anchor &x before it'],
    ['a: &x [1, *x]', 1, 11, 'a[1]', 'alias *x is inside the value it refers to'],
    ['a: {[b]: c}', 1, 5, 'a', 'a key is a list, a map or an alias'],
    ['a: .nan', 1, 4, 'a', '.nan is not a finite number'],
    ['a: [-.inf]', 1, 5, 'a[0]', '-.inf is not a finite number'],
    ['a: {b: 1e400}', 1, 8, 'a.b', '1e400 is not a finite number'],
    [
      'a: ["\\uD800"]',
      1,
      5,
      'a[0]',
      'contains half of a UTF-16 surrogate pair (an escape such as \\uD800 alone)',
    ],
    [
      'a: {"\\uDC00x": 1}',
      1,
      5,
      'a.\uDC00x',
      'contains half of a UTF-16 surrogate pair (an escape such as \\uD800 alone)',
    ],
  ])('%j: line %i col %i, %s', (text, line, column, path, message) => {
    expect(problems(text)).toEqual([expect.objectContaining({ line, column, path, message })]);
  });

  it('keeps !!str, quoted merge keys and aliases of an earlier anchor', () => {
    const { doc, diagnostics } = parseYamlDocument(
      'a: !!str 3.10\n"<<": 1\nb: &x [1]\nc: *x\n',
      'f.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(doc?.value).toEqual({ a: '3.10', '<<': 1, b: [1], c: [1] });
  });

  it('turns an alias bomb into one diagnostic at the first alias', () => {
    const rows = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 5; i++) rows.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`)}]`);
    expect(problems(rows.join('\n'))).toEqual([
      expect.objectContaining({
        line: 2,
        message: 'its aliases (*name) expand to too many values',
      }),
    ]);
  });
});

describe('how much of an input a message quotes', () => {
  it('cuts a long text with an ellipsis', () => {
    expect(excerpt('x'.repeat(100), 10)).toBe('xxxxxxx...');
    expect(excerpt('short', 10)).toBe('short');
  });

  it('shows at most a number of problems per file and sums up the rest', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ file: 'a', path: '', message: `m${i}` }));
    const other = { file: 'b', path: '', message: 'b0' };
    const capped = capDiagnostics([...many, other], 2);
    expect(capped.map((d) => `${d.file}:${d.message}`)).toEqual([
      'a:m0',
      'a:m1',
      'a:3 more problems not shown',
      'b:b0',
    ]);
  });
});
