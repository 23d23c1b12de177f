import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../index';

const hits = (...lines: string[]) =>
  lintDockerfile(['FROM python:3.11-slim', ...lines, 'USER 1000'].join('\n'), 'D')
    .filter((f) => f.rule === 'add-instead-of-copy')
    .map((f) => f.line);

describe('add-instead-of-copy', () => {
  it('flags ADD of a local file', () => {
    expect(hits('ADD app.py /app/')).toEqual([2]);
  });

  it('flags ADD with flags and exec form', () => {
    expect(
      hits('ADD --chown=1000:1000 src/ /app/src/', 'ADD ["config.yaml", "/etc/app/"]'),
    ).toEqual([2, 3]);
  });

  it('accepts a URL and a git repository', () => {
    expect(
      hits('ADD https://example.com/model.bin /models/', 'ADD git@github.com:o/r.git /src'),
    ).toEqual([]);
  });

  it('accepts a local tar archive, which ADD unpacks', () => {
    expect(hits('ADD --chown=1000:1000 weights.tar.gz /opt/weights/')).toEqual([]);
  });

  it('leaves COPY alone', () => {
    expect(hits('COPY app.py /app/')).toEqual([]);
  });
});
