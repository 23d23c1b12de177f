import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempWorkspace, removeWorkspace, REPO } from '../tools/testkit/temp-workspace';

const CLI = join(REPO, 'tools/imagesmith/bin/imagesmith.cjs');
const SPEC = 'description: old python\nprofile: cpu\npython: "3.9"\n';
let root: string;

function cli(today: string, ...args: string[]): { code: number; out: string } {
  const env = { ...process.env, IMAGESMITH_TODAY: today };
  try {
    const out = execFileSync('node', [CLI, ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
      env,
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

const readme = () => readFileSync(join(root, 'images/old/README.md'), 'utf8');

beforeAll(() => {
  root = createTempWorkspace({ old: SPEC });
});
afterAll(() => removeWorkspace(root));

describe('an image on Python 3.9 (end of life 2025-10-31)', () => {
  it('only warns within 180 days of the end: generate and lint pass', () => {
    const g = cli('2025-06-01', 'generate', '--all');
    expect(g.code).toBe(0);
    expect(g.out).toMatch(
      /warning: images\/old\/image.yaml:3: `python: "3.9"` in images\/old\/image.yaml reaches end of life on 2025-10-31, in 152 days \(python.org/,
    );
    const l = cli('2025-06-01', 'lint', 'old');
    expect(l.out).toMatch(/images\/old\/image.yaml:3: warning \[end-of-life\] `python: "3.9"`/);
    expect(l.out).not.toMatch(/error \[end-of-life\]/);
    expect(l.code).toBe(0);
  });

  it('fails lint and generate after it, naming the spec file and field, and writes nothing', () => {
    const before = readme();
    const l = cli('2026-12-07', 'lint', 'old');
    expect(l.code).toBe(1);
    expect(l.out).toContain(
      'images/old/image.yaml:3: error [end-of-life] `python: "3.9"` in images/old/image.yaml reached end of life on 2025-10-31 (python.org',
    );
    expect(l.out).toMatch(/move to 3.11 or add allow_eol: <reason>/);
    expect(l.out).toMatch(/1 Dockerfile linted, 0 findings, end of life: 1 error, 0 warnings/);
    const g = cli('2026-12-07', 'generate', '--all');
    expect(g.code).toBe(1);
    expect(g.out).toMatch(
      /images\/old\/image.yaml:3:\d+: python: .*reached end of life on 2025-10-31/,
    );
    expect(readme()).toBe(before);
  });

  it('passes with allow_eol, showing the reason; the README shows the date on any day', () => {
    writeFileSync(join(root, 'images/old/image.yaml'), `${SPEC}allow_eol: vendor SDK needs 3.9\n`);
    const g = cli('2026-12-07', 'generate', '--all');
    expect(g.code).toBe(0);
    expect(g.out).toMatch(/allowed by allow_eol: "vendor SDK needs 3.9"/);
    const l = cli('2026-12-07', 'lint', 'old');
    expect(l.code).toBe(0);
    expect(l.out).toMatch(/warning \[end-of-life\] .*allowed by allow_eol: "vendor SDK needs 3.9"/);
    expect(readme()).toContain(
      'End of life: 2025-10-31 (Python 3.9), allowed: vendor SDK needs 3.9',
    );
    // Generated files never depend on the day: another day, nothing to regenerate.
    expect(cli('2025-01-01', 'generate', '--all', '--check').code).toBe(0);
  });

  it('lint --eol-report lists it with the move; a bad IMAGESMITH_TODAY is a usage error', () => {
    const r = cli('2026-12-07', 'lint', '--eol-report');
    expect(r.code).toBe(0);
    expect(r.out).toContain('End of life (on 2026-12-07, looking 180 days ahead):');
    expect(r.out).toContain(
      '- `old`: Python 3.9 ended 2025-10-31 (`python` in images/old/image.yaml)',
    );
    const bad = cli('12/07/2026', 'lint');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/IMAGESMITH_TODAY="12\/07\/2026" is not a date/);
    expect(cli('2026-12-07', 'lint', '--eol-report', 'old').code).toBe(2);
  });
});
