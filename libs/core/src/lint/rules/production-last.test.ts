import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { productionLast } from './production-last';

const check = (...lines: string[]) => {
  const text = lines.join('\n');
  return productionLast.check(DockerfileParser.parse(text), text);
};

describe('production-last', () => {
  it('flags a production stage followed by another, on its FROM, naming the last stage', () => {
    const [f, ...rest] = check(
      'FROM python:3.11-slim AS production',
      'USER 1000',
      'FROM production AS development',
    );
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ line: 1, severity: 'error' });
    expect(f!.message).toMatch(/builds 'development'/);
  });

  it('accepts production as the last stage, and a Dockerfile without one', () => {
    expect(check('FROM python:3.11-slim AS base', 'FROM base AS production')).toEqual([]);
    expect(check('FROM python:3.11-slim AS base', 'FROM base')).toEqual([]);
  });
});
