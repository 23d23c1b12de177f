import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { needsHadolint } from '../../test-support/hadolint';
import { findHadolint } from './hadolint';

/** The real hadolint and shellcheck over every committed generated Dockerfile and golden file. */
const REPO = join(__dirname, '../../../..');

function dockerfiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'Dockerfile') out.push(join(dir, e.name));
    }
  };
  walk(join(REPO, 'images'));
  const golden = join(REPO, 'libs/core/src/render/golden');
  for (const f of readdirSync(golden)) if (f.endsWith('.Dockerfile')) out.push(join(golden, f));
  return out.sort();
}

const SHELLCHECK = '/usr/bin/shellcheck';
const ci = process.env.CI === 'true';

describe('generated Dockerfiles', () => {
  const files = dockerfiles();

  // Counts that hold in any workspace (a fork with three images too): the golden files are the tool's.
  it('are found (images and golden files)', () => {
    const golden = files.filter((f) => f.endsWith('.Dockerfile'));
    expect(golden.length).toBeGreaterThanOrEqual(3);
    expect(files.length).toBeGreaterThan(golden.length);
  });

  it('pass hadolint with the committed .hadolint.yaml', (ctx) => {
    needsHadolint(ctx, REPO);
    const r = spawnSync(
      findHadolint(REPO),
      ['--config', join(REPO, '.hadolint.yaml'), '--no-color', ...files],
      { encoding: 'utf8' },
    );
    expect(r.stdout.split(REPO + '/').join('')).toBe('');
    expect(r.status).toBe(0);
  });

  // shellcheck is a Debian package tools/setup.sh installs: skipped with the reason elsewhere,
  // never in CI.
  it('have RUN commands that pass shellcheck', (ctx) => {
    if (!existsSync(SHELLCHECK) && !ci)
      ctx.skip(`${SHELLCHECK} is not installed (run bash tools/setup.sh)`);
    const problems: string[] = [];
    let runs = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const ins of DockerfileParser.parse(text).getInstructions()) {
        if (ins.getKeyword() !== 'RUN') continue;
        // The shell command: the instruction's arguments without BuildKit's --mount flags, line
        // continuations kept (bash -o pipefail -c is the SHELL of every generated Dockerfile).
        const args = ins.getRawArgumentsContent() ?? '';
        const script = args.replace(/^(\s*--[a-z]+=\S+\s*(\\\n)?\s*)+/, '');
        runs += 1;
        try {
          execFileSync(SHELLCHECK, ['--shell=bash', '--format=gcc', '-'], {
            input: `set -o pipefail\n${script}\n`,
            encoding: 'utf8',
          });
        } catch (e) {
          const line = ins.getRange().start.line + 1;
          problems.push(`${relative(REPO, file)}:${line}: ${(e as { stdout: string }).stdout}`);
        }
      }
    }
    expect(runs).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
