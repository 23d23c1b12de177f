import { describe, expect, it } from 'vitest';
import type { Container, Engine, ExecRequest } from '@imagesmith/engine';
import { workspaceOf } from '../../../../libs/core/test-support/fixtures';
import { runChecks } from './run-checks';
import { collectChecks } from '@imagesmith/plan';

const SPEC = `description: c
profile: cpu
python: "3.11"
tests:
  commands:
    - { name: one, run: "echo one" }
    - { name: two, run: "echo two" }
  files: { exist: [/data], absent: [/root/.cache] }
  imports: { six: "1.16" }
`;
const limits = { checkSeconds: 5, regexMs: 100 };

/** An engine that records, per container, what ran in it and whether it was removed. */
function recordingEngine(failStart?: (n: number) => boolean) {
  const runs = new Map<string, string[]>();
  const removed: string[] = [];
  let starts = 0;
  const engine = {
    name: 'docker',
    startContainer: async (req: { name: string }) => {
      if (failStart?.(starts++)) throw new Error('cannot start');
      runs.set(req.name, []);
      return { name: req.name, request: req, enter: [] } as unknown as Container;
    },
    execContainer: async (c: Container, req: ExecRequest) => {
      const script = req.command[2]!;
      const what = script.includes('@@file') ? 'probe' : req.command[5]!;
      runs.get(c.name)!.push(what);
      if (what === 'probe')
        return { exitCode: 0, stdout: '@@file 2 1\n@@file 3 0\n@@uid 1000\n', stderr: '' };
      if (what.includes('-I -S')) return { exitCode: 0, stdout: 'noise\n1.16.0\n', stderr: '' };
      return { exitCode: 0, stdout: what.replace('echo ', ''), stderr: '' };
    },
    removeContainer: async (name: string) => {
      removed.push(name);
      return true;
    },
  } as unknown as Engine;
  return { engine, runs, removed };
}

describe('runChecks', () => {
  const checks = collectChecks(workspaceOf({ c: SPEC }), 'c', []);

  it('runs each import and command in a container of its own, the probe first in one of them, and removes them all', async () => {
    const { engine, runs, removed } = recordingEngine();
    const results = await runChecks(engine, 'r/c:1', checks, () => true, {
      variant: 'c',
      limits,
    });
    const inside = [...runs.values()];
    expect(inside).toHaveLength(3);
    // Exactly one check runs after the probe, and the probe never after any check.
    for (const list of inside) expect(list.filter((w) => w !== 'probe')).toHaveLength(1);
    expect(inside.flat().filter((w) => w === 'probe')).toHaveLength(1);
    expect(inside.find((l) => l.includes('probe'))![0]).toBe('probe');
    expect(inside.flat().find((w) => w.includes('-I -S'))).toMatch(/'six'$/);
    expect(removed.sort()).toEqual([...runs.keys()].sort());
    expect(results.files).toEqual(
      new Map([
        [2, true],
        [3, false],
      ]),
    );
    expect(results.uid).toBe(1000);
    expect(results.imports.six).toEqual({ ok: true, version: '1.16.0' });
    expect([...results.commands.values()].map((r) => r.output)).toEqual(['one', 'two']);
  });

  it('runs the probe alone when no check runs code of the image', async () => {
    const { engine, runs } = recordingEngine();
    await runChecks(engine, 'r/c:1', checks, (c) => c.kind.startsWith('file'), {
      variant: 'c',
      limits,
    });
    expect([...runs.values()]).toEqual([['probe']]);
  });

  it('throws a container that cannot start only after every other check ended and was removed', async () => {
    const { engine, runs, removed } = recordingEngine((n) => n === 1);
    await expect(
      runChecks(engine, 'r/c:1', checks, () => true, { variant: 'c', limits }),
    ).rejects.toThrow('cannot start');
    expect(runs.size).toBe(2);
    expect(removed.sort()).toEqual([...runs.keys()].sort());
  });
});
