import { Run, type Dockerfile } from 'dockerfile-ast';
import { findPipInstall, parseInstallArgs, requirementPin } from '../pip';
import { runCommands } from '../shell';
import type { LintRule, RuleFinding } from '../types';

/** Unpinned installs make two builds of the same Dockerfile produce different images. */
export const pipUnpinned: LintRule = {
  id: 'pip-unpinned',
  description:
    'pip install must pin every named requirement with ==, or install only from -r files with --require-hashes.',
  check(df: Dockerfile, text: string): RuleFinding[] {
    const lines = text.split(/\r?\n/);
    const findings: RuleFinding[] = [];
    for (const run of df.getInstructions().filter((i) => i instanceof Run)) {
      const line = run.getRange().start.line + 1;
      for (const cmd of runCommands(run, df.getEscapeCharacter(), lines)) {
        const install = findPipInstall(cmd);
        if (!install) continue;
        const args = parseInstallArgs(install.args);
        const unpinned = args.requirements.filter((r) => requirementPin(r) === 'unpinned');
        if (unpinned.length) {
          findings.push({
            line,
            severity: 'error',
            message: `${install.tool === 'uv' ? 'uv pip' : 'pip'} install of unpinned ${unpinned.length === 1 ? 'requirement' : 'requirements'}: ${unpinned.join(', ')}`,
            hint: `Pin exact versions (e.g. ${pinExample(unpinned[0]!)}), or install from a hashed lock file: pip install --require-hashes -r requirements.txt`,
          });
        }
        const files = args.values.get('--requirement') ?? [];
        if (files.length && !args.flags.has('--require-hashes')) {
          findings.push({
            line,
            severity: 'error',
            message: `${install.tool === 'uv' ? 'uv pip' : 'pip'} install -r ${files.join(' -r ')} without --require-hashes: the file's pins are not enforced`,
            hint: 'Lock the file with hashes (uv pip compile --generate-hashes) and add --require-hashes',
          });
        }
      }
    }
    return findings;
  },
};

function pinExample(req: string): string {
  const name = /^[A-Za-z0-9._-]+(\[[^\]]*\])?/.exec(req)?.[0] ?? req;
  return `${name}==<version>`;
}
