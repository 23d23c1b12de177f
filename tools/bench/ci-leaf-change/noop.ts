/** The no-op case: nothing changed since the last commit CI built; imagesmith vs Nx without the plugin. */
import { execFileSync } from 'node:child_process';
import { DOCKER } from '../engine-fixture';
import { freshCheckout } from './fresh-runner';
import { nx, secs } from './run';
import { ours, REG_ENV } from './settings';
import { tracedNx } from './trace';
import type { Workspaces } from './workspaces';

function containersStarted(since: string, until: string): number {
  const out = execFileSync(
    DOCKER,
    [
      'events',
      '--since',
      since,
      '--until',
      until,
      '--filter',
      'type=container',
      '--filter',
      'event=start',
      '--format',
      '{{.Actor.Attributes.image}}',
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => ours(l)).length;
}

const engineNow = () =>
  execFileSync(DOCKER, ['info', '--format', '{{.SystemTime}}'], { encoding: 'utf8' }).trim();

export type NoopRuns = Record<
  'imagesmith' | 'nx',
  { secs: number; builds: number; containers: number; tasks: string }[]
>;

/** One round of the no-op, imagesmith and Nx alone in alternating order. */
export function noopRound(ws: Workspaces, round: number, noop: NoopRuns): void {
  for (const which of round % 2
    ? (['nx', 'imagesmith'] as const)
    : (['imagesmith', 'nx'] as const)) {
    const root = which === 'imagesmith' ? ws.reg : ws.floorNx;
    freshCheckout(root);
    const since = engineNow();
    const [t, builds, out] =
      which === 'imagesmith'
        ? tracedNx(
            'noop',
            root,
            REG_ENV,
            'affected',
            '-t',
            'build,validate',
            '--base=HEAD',
            '--head=HEAD',
          )
        : [
            secs(() =>
              nx(
                root,
                {},
                undefined,
                'affected',
                '-t',
                'build,validate',
                '--base=HEAD',
                '--head=HEAD',
              ),
            ),
            0,
            '',
          ];
    const containers = containersStarted(since, engineNow());
    const tasks = /No tasks were run|Successfully ran[^\n]*/i.exec(out)?.[0] ?? '';
    noop[which].push({ secs: t, builds, containers, tasks });
    console.log(
      `round ${round + 1} no-op ${which.padEnd(10)} ${t.toFixed(2)}s; ${builds} builds, ${containers} containers ${tasks}`,
    );
  }
}
