import { spawnSync } from 'node:child_process';

/**
 * Why a test that runs real Poetry skips here: Poetry is not on PATH. Undefined when it is, and
 * always under CI=true, where a missing Poetry must fail the run instead of skipping it.
 */
export function poetrySkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CI === 'true') return undefined;
  const found = spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status === 0;
  return found ? undefined : "poetry is not on PATH (pip install 'poetry>=2,<3')";
}
