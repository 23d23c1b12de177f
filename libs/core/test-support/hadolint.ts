import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { findHadolint } from '../src/lint/hadolint';

const REPO = join(__dirname, '..', '..', '..');

/** Why hadolint cannot run here (with its install hint), or undefined when it can. */
export function hadolintMissing(root: string = REPO): string | undefined {
  try {
    findHadolint(root);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/\s*\n\s*/g, '; ');
  }
}

/**
 * For a test that lints with the real hadolint (a prerequisite tools/setup.sh installs): skips it
 * with the reason where hadolint is missing. Under CI=true it never skips, so a CI machine without
 * hadolint fails instead of passing quietly.
 */
export function needsHadolint(ctx: TestContext, root: string = REPO): void {
  if (process.env.CI === 'true') return;
  const missing = hadolintMissing(root);
  if (missing) ctx.skip(missing);
}
