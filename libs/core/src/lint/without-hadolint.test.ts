/**
 * A machine without hadolint (no `bash tools/setup.sh` yet) runs the rule tests and skips only the
 * tests that need hadolint, each with the reason; under CI=true those run and fail instead.
 * IMAGESMITH_HADOLINT pointing nowhere is how findHadolint sees a missing hadolint.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../../../..');
const out = mkdtempSync(join(tmpdir(), 'imagesmith-no-hadolint-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Report {
  testResults: {
    name: string;
    assertionResults: { title: string; status: string; meta?: unknown }[];
  }[];
}

/** The lint tests' results and printed output, run in a vitest of their own without hadolint. */
function runWithoutHadolint(ci: boolean): Report & { stdout: string } {
  const file = join(out, `${ci}.json`);
  const env = { ...process.env, IMAGESMITH_HADOLINT: '/nonexistent/hadolint', CI: String(ci) };
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--project=unit',
      '--reporter=json',
      `--outputFile.json=${file}`,
      '--reporter=verbose',
      'libs/core/src/lint/rules',
      'libs/core/src/lint/lint.test.ts',
    ],
    { cwd: REPO, env, encoding: 'utf8' },
  );
  expect(r.error).toBeUndefined();
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as Report), stdout: r.stdout };
}

const results = (report: Report, path: string) =>
  report.testResults.find((f) => f.name.endsWith(path))!.assertionResults;

describe('without hadolint', () => {
  it('runs every rule test and skips the hadolint ones with the reason', () => {
    const report = runWithoutHadolint(false);
    for (const rule of ['pip-unpinned', 'root-final-user', 'production-last']) {
      const tests = results(report, `rules/${rule}.test.ts`);
      expect(tests.length).toBeGreaterThan(1);
      expect(tests.filter((t) => t.status !== 'passed')).toEqual([]);
    }
    const lint = results(report, 'lint/lint.test.ts');
    expect(lint.filter((t) => t.status === 'failed')).toEqual([]);
    const skipped = lint.filter((t) => t.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(3);
    // The verbose reporter prints each skip's note: the reason and what to run.
    for (const t of skipped) {
      const line = report.stdout.split('\n').find((l) => l.includes(t.title));
      expect(line).toMatch(/IMAGESMITH_HADOLINT is \/nonexistent\/hadolint.*tools\/setup\.sh/);
    }
  }, 120_000);

  it('fails the hadolint tests under CI=true instead of skipping them', () => {
    const lint = results(runWithoutHadolint(true), 'lint/lint.test.ts');
    expect(lint.filter((t) => t.status === 'skipped')).toEqual([]);
    expect(lint.filter((t) => t.status === 'failed').length).toBeGreaterThan(3);
  }, 120_000);
});
