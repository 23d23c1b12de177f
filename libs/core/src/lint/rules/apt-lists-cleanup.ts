import { Run, type Dockerfile } from 'dockerfile-ast';
import { basename, cacheMountTargets, runCommands } from '../shell';
import type { LintRule, RuleFinding } from '../types';

/** Cache mounts that keep apt's package lists out of the layer. */
const LIST_MOUNTS = new Set(['/var/lib/apt', '/var/lib/apt/lists']);

/** The words of a command after inline VAR=value assignments and sudo. */
function program(cmd: string[]): string[] {
  const start = cmd.findIndex((w) => !/^\w+=/.test(w) && w !== 'sudo');
  return start < 0 ? [] : cmd.slice(start);
}

function isAptUpdate(cmd: string[]): boolean {
  const [exe, ...rest] = program(cmd);
  return (
    ['apt-get', 'apt'].includes(basename(exe ?? '')) &&
    rest.find((w) => !w.startsWith('-')) === 'update'
  );
}

function removesLists(cmd: string[]): boolean {
  const [exe, ...rest] = program(cmd);
  const recursive = rest.some((w) => w === '--recursive' || /^-[a-zA-Z]*[rR]/.test(w));
  return (
    basename(exe ?? '') === 'rm' &&
    recursive &&
    rest.some((w) => /^\/var\/lib\/apt\/lists\/?\*?$/.test(w))
  );
}

/**
 * apt-get update downloads ~40 MB of package lists; left in the layer they bloat every image.
 * Replaces dockerfilelint's check, which does not know cache mounts.
 */
export const aptListsCleanup: LintRule = {
  id: 'apt-lists-cleanup',
  description:
    'A RUN with apt-get update must remove /var/lib/apt/lists/* afterwards or keep the lists in a cache mount on /var/lib/apt.',
  check(df: Dockerfile, text: string): RuleFinding[] {
    const lines = text.split(/\r?\n/);
    const findings: RuleFinding[] = [];
    for (const run of df.getInstructions().filter((i) => i instanceof Run)) {
      if (cacheMountTargets(run).some((t) => LIST_MOUNTS.has(t))) continue;
      const cmds = runCommands(run, df.getEscapeCharacter(), lines);
      const update = cmds.findIndex(isAptUpdate);
      if (update < 0 || cmds.slice(update + 1).some(removesLists)) continue;
      findings.push({
        line: run.getRange().start.line + 1,
        severity: 'warning',
        message: 'apt-get update leaves its package lists in the image layer',
        hint: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or add --mount=type=cache,target=/var/lib/apt,sharing=locked',
      });
    }
    return findings;
  },
};
