import { execa } from 'execa';
import { ImagesmithError } from '@imagesmith/core';
import type { ListProjects } from './select-images';

/**
 * Nx's own answer to "which projects match": `nx show projects --json` with `--projects` and/or
 * `--affected --base --head` (https://nx.dev/nx-api/nx/documents/show), run in the workspace with
 * its local nx. The base and head default to NX_BASE / NX_HEAD, as for `nx affected`.
 */
export function nxShowProjects(root: string, env: NodeJS.ProcessEnv = process.env): ListProjects {
  return async ({ projects, affected }) => {
    const args = ['show', 'projects', '--json'];
    if (projects) args.push('--projects', projects);
    if (affected) {
      args.push('--affected');
      const base = affected.base ?? env.NX_BASE;
      const head = affected.head ?? env.NX_HEAD;
      if (base) args.push('--base', base);
      if (head) args.push('--head', head);
    }
    const r = await execa('nx', args, { cwd: root, env, preferLocal: true, reject: false });
    if (r.exitCode !== 0)
      throw new ImagesmithError(
        `\`nx ${args.join(' ')}\` failed (exit code ${r.exitCode}):\n${r.stderr || r.stdout}`,
        {
          hint: affected
            ? 'check that --base/--head (or NX_BASE/NX_HEAD) name commits this clone has (a shallow CI checkout needs fetch-depth: 0)'
            : 'run the same `nx show projects` command to see why',
        },
      );
    const json = r.stdout.slice(r.stdout.indexOf('['));
    return JSON.parse(json) as string[];
  };
}
