import { Run, type Dockerfile } from 'dockerfile-ast';
import { findPipInstall, parseInstallArgs, type PipInstall } from '../pip';
import { cacheMountTargets, runCommands } from '../shell';
import { envBefore, stageOf, stagesOf } from '../stages';
import type { LintRule, RuleFinding } from '../types';

/** How each installer turns its download cache off, and where the cache lives by default. */
const CACHE = {
  pip: {
    flags: ['--no-cache-dir'],
    env: 'PIP_NO_CACHE_DIR',
    dir: /\/\.cache(\/pip)?$/,
    home: '/root/.cache/pip',
  },
  uv: {
    flags: ['--no-cache'],
    env: 'UV_NO_CACHE',
    dir: /\/\.cache(\/uv)?$/,
    home: '/root/.cache/uv',
  },
};

/** Without either, pip's download cache is baked into the layer: dead weight in every image. */
export const pipNoCacheDir: LintRule = {
  id: 'pip-no-cache-dir',
  description:
    'pip install must either run under a cache mount on its cache dir (preferred) or pass --no-cache-dir.',
  check(df: Dockerfile, text: string): RuleFinding[] {
    const lines = text.split(/\r?\n/);
    const stages = stagesOf(df);
    const findings: RuleFinding[] = [];
    for (const run of df.getInstructions().filter((i) => i instanceof Run)) {
      const start = run.getRange().start.line;
      const mounts = cacheMountTargets(run);
      const envSet = (name: string) => envBefore(stageOf(stages, run), name, start) !== undefined;
      for (const cmd of runCommands(run, df.getEscapeCharacter(), lines)) {
        const install = findPipInstall(cmd);
        if (!install || cacheHandled(install, mounts, envSet)) continue;
        const c = CACHE[install.tool];
        findings.push({
          line: start + 1,
          severity: 'warning',
          message: `${install.tool === 'uv' ? 'uv pip' : 'pip'} install keeps its download cache in the image layer`,
          hint: `Add --mount=type=cache,target=${c.home} to the RUN (reuses downloads across builds), or pass ${c.flags[0]}`,
        });
      }
    }
    return findings;
  },
};

function cacheHandled(
  install: PipInstall,
  mounts: string[],
  envSet: (name: string) => boolean,
): boolean {
  const c = CACHE[install.tool];
  const args = parseInstallArgs(install.args);
  if (c.flags.some((f) => args.flags.has(f))) return true;
  // The variable disables the cache whatever its value (pip keeps that for backwards compatibility).
  if (envSet(c.env) || install.prefix.some((w) => w.startsWith(`${c.env}=`))) return true;
  const explicit = args.values.get('--cache-dir')?.at(-1)?.replace(/\/+$/, '');
  return mounts.some((t) =>
    explicit ? explicit === t || explicit.startsWith(`${t}/`) : c.dir.test(t),
  );
}
