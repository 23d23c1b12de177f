import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './fixtures';

const on = (value: string | undefined) => /^(1|true|yes)$/i.test(value ?? '');

/**
 * The text `actual` must equal: the committed golden file at `path`. Compare with
 * `expect(actual).toBe(goldenText(path, actual))`.
 *
 * Golden files live in a golden/ folder beside their test. The rule: a golden file is written only
 * when someone asks for it, and never in CI.
 * - UPDATE_GOLDEN=1 (not in CI): writes `actual` to `path` (creating or rewriting it); review the
 *   diff and commit it like any other change.
 * - A missing golden fails, locally and under CI=true alike, naming the command that creates it.
 *   Writing it on the spot would let a new case pass on its first run with nobody reading the
 *   output, and would let a CI checkout that lost a golden file pass.
 * - UPDATE_GOLDEN=1 under CI=true fails: CI only checks golden files, it never writes them.
 */
export function goldenText(
  path: string,
  actual: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const shown = relative(REPO_ROOT, path);
  const update = `UPDATE_GOLDEN=1 npx vitest run ${relative(REPO_ROOT, `${path}/../..`)}`;
  if (on(env.UPDATE_GOLDEN)) {
    if (on(env.CI))
      throw new Error(
        `UPDATE_GOLDEN=1 is refused under CI=true: CI checks golden files and never writes them. Run \`${update}\` locally and commit ${shown}.`,
      );
    writeFileSync(path, actual);
    return actual;
  }
  if (!existsSync(path))
    throw new Error(
      `golden file ${shown} does not exist: run \`${update}\` to create it, review it, and commit it.`,
    );
  return readFileSync(path, 'utf8');
}
