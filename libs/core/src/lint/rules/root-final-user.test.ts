import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { rootFinalUser } from './root-final-user';

// The rule on its own (no hadolint needed); lint.test.ts covers how lintDockerfile combines them.
const hits = (...lines: string[]) => {
  const text = lines.join('\n');
  return rootFinalUser.check(DockerfileParser.parse(text), text).map((f) => f.line);
};

describe('root-final-user', () => {
  it('flags a last stage without any USER', () => {
    expect(hits('FROM python:3.11-slim', 'RUN true')).toEqual([1]);
  });

  it('flags a last stage whose last USER is root, on that USER', () => {
    expect(hits('FROM python:3.11-slim', 'USER 1000', 'USER root', 'RUN true')).toEqual([3]);
  });

  it('flags USER 0 and USER 0:0 like root', () => {
    expect(hits('FROM python:3.11-slim', 'USER 0:0')).toEqual([2]);
  });

  it('flags a production stage that is not the last one', () => {
    expect(
      hits(
        'FROM python:3.11-slim AS production',
        'USER root',
        'FROM production AS test',
        'USER 1000',
      ),
    ).toEqual([2]);
  });

  it('flags a stage inheriting root from its parent stage, on its FROM', () => {
    expect(
      hits('FROM python:3.11-slim AS base', 'USER root', 'FROM base AS final', 'RUN true'),
    ).toEqual([3]);
  });

  it('accepts a non-root USER inherited from the parent stage', () => {
    expect(
      hits('FROM python:3.11-slim AS base', 'USER 1000:1000', 'FROM base AS final', 'RUN true'),
    ).toEqual([]);
  });

  it('accepts root in earlier stages that are not production or development', () => {
    expect(
      hits('FROM python:3.11-slim AS builder', 'USER root', 'FROM python:3.11-slim', 'USER app'),
    ).toEqual([]);
  });

  it('accepts switching to root and back in development', () => {
    expect(
      hits('FROM python:3.11-slim AS development', 'USER root', 'RUN true', 'USER 1000:1000'),
    ).toEqual([]);
  });

  it('trusts a USER taken from a variable', () => {
    expect(hits('FROM python:3.11-slim', 'ARG APP_UID=1000', 'USER ${APP_UID}')).toEqual([]);
  });
});
