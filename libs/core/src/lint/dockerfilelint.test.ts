import { describe, expect, it } from 'vitest';
import { lintDockerfile } from './index';

const dockerfile = (...lines: string[]) => `${lines.join('\n')}\n`;
const fromDfl = (text: string) =>
  lintDockerfile(text, 'D')
    .filter((f) => f.rule.startsWith('dockerfilelint/'))
    .map((f) => [f.line, f.rule]);
const CLEAN = 'FROM debian:12-slim';

describe('dockerfilelint findings surface', () => {
  it('reports apt-get install without --no-install-recommends', () => {
    const text = dockerfile(
      CLEAN,
      'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    );
    expect(fromDfl(text)).toEqual([[2, 'dockerfilelint/consider-no-install-recommends']]);
  });

  it('reports apt-get install without -y as an error', () => {
    const text = dockerfile(CLEAN, 'RUN apt-get install --no-install-recommends curl');
    const found = lintDockerfile(text, 'D').filter(
      (f) => f.rule === 'dockerfilelint/missing-parameter-for-apt-get',
    );
    expect(found.map((f) => [f.line, f.severity])).toEqual([[2, 'error']]);
  });

  it('reports it inside a RUN with cache mounts, on the RUN line', () => {
    const text = dockerfile(
      CLEAN,
      'RUN --mount=type=cache,target=/var/cache/apt \\',
      '    --mount=type=cache,target=/var/lib/apt \\',
      '    apt-get update && apt-get install -y curl',
    );
    expect(fromDfl(text)).toEqual([[2, 'dockerfilelint/consider-no-install-recommends']]);
  });

  it('reports sudo', () => {
    expect(fromDfl(dockerfile(CLEAN, 'RUN sudo make install'))).toEqual([
      [2, 'dockerfilelint/use-of-sudo-is-not-allowed'],
    ]);
  });

  it('reports FROM python:latest once, as image-tag', () => {
    const found = lintDockerfile(dockerfile('FROM python:latest', 'USER 1000'), 'D');
    expect(found.map((f) => [f.line, f.rule])).toEqual([[1, 'image-tag']]);
  });

  it('turns a dockerfilelint crash into one finding instead of throwing', () => {
    const found = lintDockerfile(dockerfile(CLEAN, 'SHELL /bin/bash -c', 'USER 1000'), 'D');
    expect(found.map((f) => [f.line, f.rule])).toEqual([[1, 'dockerfilelint/parse-error']]);
  });
});

describe('dockerfilelint false positives are suppressed', () => {
  it('FROM ${ARG}, FROM <stage> and FROM --platform are not "missing tag"', () => {
    const text = dockerfile(
      'ARG BASE=python:3.11-slim',
      'FROM --platform=$BUILDPLATFORM ${BASE} AS base',
      'FROM base AS final',
    );
    expect(fromDfl(text)).toEqual([]);
  });

  it('apt-get update with lists in a cache mount needs no rm', () => {
    const text = dockerfile(
      CLEAN,
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl',
    );
    expect(fromDfl(text)).toEqual([]);
  });

  it('apk add under a cache mount on /var/cache/apk needs no --no-cache', () => {
    const text = dockerfile(
      'FROM alpine:3.20',
      'RUN --mount=type=cache,target=/var/cache/apk apk add curl',
    );
    expect(fromDfl(text)).toEqual([]);
  });

  it('apk add without --no-cache and no cache mount is still reported', () => {
    expect(fromDfl(dockerfile('FROM alpine:3.20', 'RUN apk add curl'))).toEqual([
      [2, 'dockerfilelint/consider-no-cache-or-update-with-rm-rf-var-cache-apk'],
    ]);
  });

  it('ADD flags are not counted as extra sources', () => {
    expect(fromDfl(dockerfile(CLEAN, 'ADD --chown=1000:1000 app.tar.gz /opt'))).toEqual([]);
  });

  it('HEALTHCHECK --start-period is a valid option', () => {
    const text = dockerfile(
      CLEAN,
      'HEALTHCHECK --interval=30s --start-period=10s CMD curl -f http://localhost/ || exit 1',
    );
    expect(fromDfl(text)).toEqual([]);
  });

  it('EXPOSE of a variable or a port range is valid', () => {
    expect(fromDfl(dockerfile(CLEAN, 'ARG PORT=8000', 'EXPOSE ${PORT} 9000-9010'))).toEqual([]);
  });

  it('EXPOSE of a bad port is still reported', () => {
    expect(fromDfl(dockerfile(CLEAN, 'EXPOSE 99999'))).toEqual([
      [2, 'dockerfilelint/invalid-port-exposed'],
    ]);
  });

  it('lines of a RUN heredoc are not read as instructions', () => {
    const text = dockerfile(CLEAN, 'RUN <<EOT', '  set -e', '  echo hello', 'EOT');
    expect(fromDfl(text)).toEqual([]);
  });

  it('an instruction continued from line 1 is reported on line 1', () => {
    // dockerfilelint itself would say line 2 here.
    expect(fromDfl(dockerfile('from debian:12 \\', '  AS base'))).toEqual([
      [1, 'dockerfilelint/capitalize-dockerfile-instructions'],
    ]);
  });
});
