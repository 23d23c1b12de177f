import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from './index';

const dockerfile = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A clean start (tagged base, non-root user), so findings come only from the lines a test adds. */
const CLEAN = ['FROM python:3.11-slim', 'USER 1000'];

describe('lintDockerfile', () => {
  it('finds nothing in a Dockerfile as `imagesmith generate` writes it', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'generated.Dockerfile'), 'utf8');
    expect(lintDockerfile(text, 'images/demo/Dockerfile')).toEqual([]);
  });

  it('sorts findings by line, then rule id, and names the file', () => {
    const text = dockerfile('FROM python', 'RUN pip install numpy', 'USER root');
    const found = lintDockerfile(text, 'x/Dockerfile');
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [1, 'image-tag'],
      [2, 'pip-no-cache-dir'],
      [2, 'pip-unpinned'],
      [3, 'root-final-user'],
    ]);
    expect(new Set(found.map((f) => f.file))).toEqual(new Set(['x/Dockerfile']));
  });

  it('gives every finding a message and a hint', () => {
    const found = lintDockerfile(dockerfile(...CLEAN, 'RUN pip install numpy'), 'D');
    expect(found).not.toEqual([]);
    for (const f of found) expect(f.message && f.hint).toBeTruthy();
  });

  it('drops rules listed in options.ignore everywhere', () => {
    const text = dockerfile(...CLEAN, 'RUN pip install numpy', 'RUN pip install pandas');
    const found = lintDockerfile(text, 'D', { ignore: ['pip-no-cache-dir'] });
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [3, 'pip-unpinned'],
      [4, 'pip-unpinned'],
    ]);
  });
});

describe('# imagesmith-lint-ignore', () => {
  const rulesOn = (text: string, line: number) =>
    lintDockerfile(text, 'D')
      .filter((f) => f.line === line)
      .map((f) => f.rule);

  it('suppresses the named rule for the instruction directly below', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore pip-unpinned',
      'RUN pip install numpy',
    );
    expect(rulesOn(text, 4)).toEqual(['pip-no-cache-dir']);
  });

  it('suppresses only that instruction, not later ones', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore pip-unpinned',
      'RUN pip install --no-cache-dir numpy',
      'RUN pip install --no-cache-dir pandas',
    );
    expect(lintDockerfile(text, 'D').map((f) => [f.line, f.rule])).toEqual([[5, 'pip-unpinned']]);
  });

  it('accepts several rules, stacked comments and a -- reason', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore pip-unpinned, pip-no-cache-dir -- numpy comes from the base image index',
      'RUN pip install numpy',
      '# imagesmith-lint-ignore pip-unpinned',
      '# imagesmith-lint-ignore pip-no-cache-dir',
      'RUN pip install pandas',
    );
    expect(lintDockerfile(text, 'D')).toEqual([]);
  });

  it('applies to dockerfilelint rules too', () => {
    const text = dockerfile(
      'FROM debian:12',
      '# imagesmith-lint-ignore dockerfilelint/consider-no-install-recommends',
      'RUN apt-get update && apt-get install -y vim && rm -rf /var/lib/apt/lists/*',
      'USER 1000',
    );
    expect(lintDockerfile(text, 'D')).toEqual([]);
  });

  it('does not apply across a blank line', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore pip-unpinned',
      '',
      'RUN pip install --no-cache-dir numpy',
    );
    expect(rulesOn(text, 5)).toEqual(['pip-unpinned']);
  });

  it('does not apply to other rules on the same instruction', () => {
    const text = dockerfile(
      ...CLEAN,
      '# imagesmith-lint-ignore image-tag',
      'RUN pip install --no-cache-dir numpy',
    );
    expect(rulesOn(text, 4)).toEqual(['pip-unpinned']);
  });
});
