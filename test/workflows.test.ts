/**
 * Every GitHub Actions workflow passes actionlint (.ci/actionlint.sh installs v1.7.12 with Go when
 * missing). Needs Go; outside CI a machine without it skips with the reason.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../tools/testkit/temp-workspace';

const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

describe('.github/workflows', () => {
  it('pass actionlint', (ctx) => {
    if (!hasGo && process.env.CI !== 'true')
      ctx.skip('go is not on PATH (actionlint installs with it)');
    const r = spawnSync('bash', [join(REPO, '.ci/actionlint.sh')], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^v1\.7\.12$/m);
  }, 300_000);
});
