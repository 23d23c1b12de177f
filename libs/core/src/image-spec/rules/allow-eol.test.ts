import { describe, expect, it } from 'vitest';
import { check } from '../../../test-support/fixtures';

const ok = `description: demo
profile: cpu
python: "3.11"
`;

describe('allow_eol', () => {
  it('accepts a one-line reason', () => {
    expect(
      check({ demo: `${ok}allow_eol: MLRun 1.6 supports Python 3.9 only\n` }).diagnostics,
    ).toEqual([]);
  });

  it('rejects a blank reason at its line', () => {
    const [d] = check({ demo: `${ok}allow_eol: "  "\n` }).diagnostics;
    expect(d).toMatchObject({
      file: 'images/demo/image.yaml',
      path: 'allow_eol',
      line: 4,
      message: 'is blank',
    });
  });

  it('rejects a non-string and an empty string through the schema', () => {
    expect(check({ demo: `${ok}allow_eol: true\n` }).diagnostics[0]).toMatchObject({
      path: 'allow_eol',
    });
    expect(check({ demo: `${ok}allow_eol: ""\n` }).diagnostics[0]).toMatchObject({
      path: 'allow_eol',
    });
  });
});
