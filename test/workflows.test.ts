/**
 * Every GitHub Actions workflow passes actionlint (.ci/actionlint.sh installs v1.7.12 with Go when
 * missing). Needs Go; outside CI a machine without it skips with the reason. Every Nx run the
 * workflows and tools/setup.sh make streams its output (issue #16).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  it('run Nx with an output style that streams, without a second project name before lines', () => {
    const files = [
      ...readdirSync(join(REPO, '.github/workflows')).map((f) => `.github/workflows/${f}`),
      'tools/setup.sh',
    ];
    const runs = files.flatMap((file) =>
      readFileSync(join(REPO, file), 'utf8')
        .split('\n')
        .filter((line) => /\bnpx nx (?:affected|run-many|run) /.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(runs.length).toBeGreaterThanOrEqual(3);
    // static holds each task's output until it ends (a two-minute build shows nothing meanwhile).
    for (const run of runs) expect(run).toMatch(/ --outputStyle=stream-without-prefixes(?: |$)/);
  });

  it('use an output style this Nx accepts', () => {
    const r = spawnSync(join(REPO, 'node_modules/.bin/nx'), ['run-many', '--help'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
    expect(`${r.stdout}${r.stderr}`).toMatch(/choices: [^\]]*"stream-without-prefixes"/);
  }, 60_000);
});
