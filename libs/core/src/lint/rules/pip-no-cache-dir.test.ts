import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../index';

const hits = (...lines: string[]) =>
  lintDockerfile([...lines, 'USER 1000'].join('\n'), 'D')
    .filter((f) => f.rule === 'pip-no-cache-dir')
    .map((f) => f.line);
const linesOf = (...lines: string[]) => hits('FROM python:3.11-slim', ...lines);

describe('pip-no-cache-dir', () => {
  it('flags pip install with neither --no-cache-dir nor a cache mount', () => {
    expect(linesOf('RUN pip install numpy==1.26.4')).toEqual([2]);
  });

  it('flags a cache mount on some other directory', () => {
    expect(
      linesOf('RUN --mount=type=cache,target=/var/cache/apt pip install numpy==1.26.4'),
    ).toEqual([2]);
  });

  it('flags a bind mount on the pip cache dir', () => {
    expect(linesOf('RUN --mount=target=/root/.cache/pip pip install numpy==1.26.4')).toEqual([2]);
  });

  it('flags uv pip install without --no-cache or a mount on its cache', () => {
    expect(linesOf('RUN uv pip install numpy==1.26.4')).toEqual([2]);
  });

  it('accepts --no-cache-dir', () => {
    expect(linesOf('RUN pip install --no-cache-dir numpy==1.26.4')).toEqual([]);
  });

  it('accepts a cache mount on /root/.cache/pip instead', () => {
    expect(
      linesOf('RUN --mount=type=cache,target=/root/.cache/pip pip install numpy==1.26.4'),
    ).toEqual([]);
  });

  it('accepts a cache mount on an explicit --cache-dir', () => {
    expect(
      linesOf(
        'RUN --mount=type=cache,dst=/pipcache/ pip install --cache-dir /pipcache numpy==1.26.4',
      ),
    ).toEqual([]);
  });

  it('accepts PIP_NO_CACHE_DIR set inline', () => {
    expect(linesOf('RUN PIP_NO_CACHE_DIR=1 pip install numpy==1.26.4')).toEqual([]);
  });

  it('accepts PIP_NO_CACHE_DIR inherited by ENV from the parent stage', () => {
    expect(
      hits(
        'FROM python:3.11-slim AS base',
        'ENV PIP_NO_CACHE_DIR=1',
        'FROM base AS app',
        'RUN pip install numpy==1.26.4',
      ),
    ).toEqual([]);
  });

  it('does not take ENV from an unrelated stage', () => {
    expect(
      hits(
        'FROM python:3.11-slim AS base',
        'ENV PIP_NO_CACHE_DIR=1',
        'FROM python:3.11-slim AS app',
        'RUN pip install numpy==1.26.4',
      ),
    ).toEqual([4]);
  });
});
