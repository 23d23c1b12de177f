import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../index';

const INSTALL = 'apt-get install -y --no-install-recommends curl';
const hits = (...lines: string[]) =>
  lintDockerfile(['FROM debian:12-slim', ...lines, 'USER 1000'].join('\n'), 'D')
    .filter((f) => f.rule === 'apt-lists-cleanup')
    .map((f) => f.line);

describe('apt-lists-cleanup', () => {
  it('flags apt-get update without removing the lists', () => {
    expect(hits(`RUN apt-get update && ${INSTALL}`)).toEqual([2]);
  });

  it('flags lists removed only in a later RUN', () => {
    expect(hits(`RUN apt-get update && ${INSTALL}`, 'RUN rm -rf /var/lib/apt/lists/*')).toEqual([
      2,
    ]);
  });

  it('flags a cache mount on /var/cache/apt alone', () => {
    expect(
      hits(`RUN --mount=type=cache,target=/var/cache/apt apt-get update && ${INSTALL}`),
    ).toEqual([2]);
  });

  it('accepts rm -rf /var/lib/apt/lists/* in the same RUN', () => {
    expect(
      hits(`RUN apt-get update \\`, `  && ${INSTALL} \\`, '  && rm -rf /var/lib/apt/lists/*'),
    ).toEqual([]);
  });

  it('accepts a cache mount on /var/lib/apt instead', () => {
    expect(
      hits(
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
        `    apt-get update && ${INSTALL}`,
      ),
    ).toEqual([]);
  });

  it('ignores RUNs without apt-get update', () => {
    expect(hits('RUN echo "apt-get update is elsewhere"')).toEqual([]);
  });
});
