import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { pipUnpinned } from './pip-unpinned';

// The rule on its own (no hadolint needed); lint.test.ts covers how lintDockerfile combines them.
const linesOf = (...run: string[]) => {
  const text = ['FROM python:3.11-slim', ...run, 'USER 1000'].join('\n');
  return pipUnpinned.check(DockerfileParser.parse(text), text).map((f) => f.line);
};

describe('pip-unpinned', () => {
  it('flags a bare requirement', () => {
    expect(linesOf('RUN pip install --no-cache-dir numpy')).toEqual([2]);
  });

  it('flags a range such as numpy>=1', () => {
    expect(linesOf('RUN pip install --no-cache-dir "numpy>=1"')).toEqual([2]);
  });

  it('flags a wildcard ==1.*', () => {
    expect(linesOf('RUN pip install --no-cache-dir numpy==1.*')).toEqual([2]);
  });

  it('flags python -m pip, pip3 and uv pip install', () => {
    expect(
      linesOf(
        'RUN python3 -m pip install --no-cache-dir numpy',
        'RUN /usr/bin/pip3 install --no-cache-dir numpy',
        'RUN uv pip install --no-cache numpy',
      ),
    ).toEqual([2, 3, 4]);
  });

  it('flags an unpinned pip upgrade', () => {
    expect(linesOf('RUN pip install --no-cache-dir --upgrade pip')).toEqual([2]);
  });

  it('flags a pip install later in a && chain, on the RUN line', () => {
    expect(linesOf('RUN echo start \\', '  && pip install --no-cache-dir torch')).toEqual([2]);
  });

  it('flags -r without --require-hashes', () => {
    expect(linesOf('RUN pip install --no-cache-dir -r requirements.txt')).toEqual([2]);
  });

  it('accepts == pins, extras, markers and pins from variables', () => {
    expect(
      linesOf(
        'RUN pip install --no-cache-dir pip==24.2 "uvicorn[standard]==0.30.1" ' +
          '"numpy==1.26.4; python_version<\'3.13\'" torch==${TORCH_VERSION}',
      ),
    ).toEqual([]);
  });

  it('accepts -r with --require-hashes', () => {
    expect(
      linesOf('RUN pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt'),
    ).toEqual([]);
  });

  it('accepts local paths, wheels and URLs, and option values', () => {
    expect(
      linesOf(
        'RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cu121 . /tmp/x.whl ' +
          'git+https://github.com/o/r@abc123',
      ),
    ).toEqual([]);
  });

  it('ignores pip commands other than install', () => {
    expect(linesOf('RUN pip download numpy && pip --version')).toEqual([]);
  });
});
