/** Running commands for the CI leaf benchmark: failing loudly, optionally traced, timed. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NX_ENV, REPO } from '../../testkit/temp-workspace';
import { DOCKER, timed } from '../engine-fixture';
import { TRACE_PRELOAD, VERBOSE } from './settings';

export function sh(
  file: string,
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const r = spawnSync(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(
      `${file} ${argv.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`.slice(-8000),
    );
  if (VERBOSE) process.stdout.write(r.stdout + r.stderr);
  return r.stdout + r.stderr;
}

export function dk(...argv: string[]): string {
  return sh(DOCKER, argv, { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
}

/** Nx in a workspace as CI runs it, optionally traced (BENCH_TRACE) and with extra settings. */
export function nx(
  root: string,
  env: Record<string, string>,
  trace: string | undefined,
  ...argv: string[]
): string {
  const e: NodeJS.ProcessEnv = { ...NX_ENV, ...env };
  if (trace) {
    e.BENCH_TRACE = trace;
    e.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${TRACE_PRELOAD}`.trim();
  }
  return sh(join(REPO, 'node_modules', '.bin', 'nx'), [...argv, '--outputStyle=static'], {
    cwd: root,
    env: e,
  });
}

export function secs(fn: () => unknown): number {
  return timed(fn)[1];
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
