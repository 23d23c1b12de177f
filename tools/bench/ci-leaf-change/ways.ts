/** One measurement of one way, imagesmith's or an alternative. */
import { spawnSync } from 'node:child_process';
import { REGISTRY } from '../engine-fixture';
import { bakeEquivalent, floor, makefile } from './alternatives';
import { nx } from './run';
import {
  AFFECTED,
  type Case,
  ENG_ENV,
  LEAF,
  PARENT,
  REG_ENV,
  REMOTE_ENV,
  repos,
  type Sample,
  type WayId,
} from './settings';
import { tracedNx } from './trace';
import type { Workspaces } from './workspaces';

/** The parent's content tag in imagesmith's registry way (what the floor pulls). */
export function parentRef(ws: Workspaces): string {
  void ws;
  const tags = registryTags(`${repos.reg}/${PARENT}`).filter((t) => t.startsWith('ch-'));
  if (tags.length !== 1)
    throw new Error(`expected one content tag of ${PARENT}, found ${tags.join(', ')}`);
  return `${repos.reg}/${PARENT}:${tags[0]}`;
}

function registryTags(ref: string): string[] {
  const name = ref.slice(REGISTRY.length + 1);
  const out = spawnSync('curl', ['-sf', `http://${REGISTRY}/v2/${name}/tags/list`], {
    encoding: 'utf8',
  });
  if (out.status !== 0) return [];
  return ((JSON.parse(out.stdout) as { tags?: string[] }).tags ?? []).sort();
}

export function runWay(way: WayId, ws: Workspaces, c: Case | 'setup', parent: string): Sample {
  switch (way) {
    case 'reg': {
      const before =
        registryTags(`${repos.reg}/${LEAF}`).length + registryTags(`${repos.reg}/${PARENT}`).length;
      const [t, builds, out] = tracedNx(
        `reg-${c}`,
        ws.reg,
        REG_ENV,
        'affected',
        '-t',
        'build',
        ...AFFECTED,
      );
      const after =
        registryTags(`${repos.reg}/${LEAF}`).length + registryTags(`${repos.reg}/${PARENT}`).length;
      return {
        parts: { 'build (pushes)': t },
        total: t,
        builds,
        note: `${after - before} new tags; ${lastLines(out)}`,
      };
    }
    case 'remote': {
      const [t, builds, out] = tracedNx(
        `remote-${c}`,
        ws.remote,
        REMOTE_ENV,
        'affected',
        '-t',
        'build',
        ...AFFECTED,
      );
      return { parts: { 'build (pushes)': t }, total: t, builds, note: lastLines(out) };
    }
    case 'eng': {
      const [b, builds, out] = tracedNx(
        `eng-${c}`,
        ws.eng,
        ENG_ENV,
        'affected',
        '-t',
        'build',
        ...AFFECTED,
      );
      // Set-up pushes once (the floating tag's inline cache for later builds). In the rounds a
      // push would be refused: the pinned tag 1.0-r0 may not move to other content without a
      // revision bump (push.ts, by design), so this way's figure is the build alone.
      if (c === 'setup') nx(ws.eng, ENG_ENV, undefined, 'affected', '-t', 'push', ...AFFECTED);
      return { parts: { build: b }, total: b, builds, note: lastLines(out) };
    }
    case 'cold':
      return makefile(ws.reg, repos.cold, false);
    case 'inline':
      return makefile(ws.reg, repos.inline, true);
    case 'bakeq':
      return bakeEquivalent(ws.reg, repos.bakeq);
    case 'floor':
      return floor(ws.reg, c === 'setup' ? 'b' : c, parent);
  }
}

function lastLines(out: string): string {
  return out
    .split('\n')
    .filter((l) => /built|present|exists|pushed|Successfully|No tasks|Ran target/i.test(l))
    .slice(0, 6)
    .map((l) => l.trim())
    .join(' | ');
}
