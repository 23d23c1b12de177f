import { describe, expect, it } from 'vitest';
import type { Engine, RunRequest, RunResult } from '@imagesmith/engine';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
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

/**
 * An engine that records, per container (by the name validate gives it), what ran in it, and what
 * was removed by name. `answer` replaces the result of one run (by its order of start).
 */
function recordingEngine(answer?: (n: number, what: string) => RunResult | undefined) {
  const runs = new Map<string, string[]>();
  const requests: RunRequest[] = [];
  const removed: string[] = [];
  let n = 0;
  const engine = {
    name: 'docker',
    run: async (req: RunRequest) => {
      requests.push(req);
      const argv = [req.entrypoint!, ...req.command];
      const what = argv[2]!.includes('@@file') ? 'probe' : argv[5]!;
      runs.set(req.name!, [...(runs.get(req.name!) ?? []), what]);
      const replaced = answer?.(n++, what);
      if (replaced) return replaced;
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
  return { engine, runs, requests, removed };
}

describe('runChecks', () => {
  const checks = collectChecks(workspaceOf({ c: SPEC }), 'c', []);

  it('runs each import, each command and the probe in a named container of its own, one run each', async () => {
    const { engine, runs, requests, removed } = recordingEngine();
    const results = await runChecks(engine, 'r/c:1', checks, () => true, {
      variant: 'c',
      limits,
    });
    expect([...runs.values()].map((l) => l.length)).toEqual([1, 1, 1, 1]);
    const ran = [...runs.values()].flat();
    expect(ran.filter((w) => !w.includes('-I -S')).sort()).toEqual([
      'echo one',
      'echo two',
      'probe',
    ]);
    expect(ran.find((w) => w.includes('-I -S'))).toMatch(/'six'$/);
    for (const r of requests) {
      expect(r).toMatchObject({ image: 'r/c:1', network: 'none', entrypoint: 'sh', keep: true });
      expect(r.name).toMatch(/^imagesmith-validate-c-[0-9a-f]{8}$/);
    }
    // Every container is removed by name after its run (kept, so the run does not wait for it).
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

  it('removes by name the container of a run stopped at its time limit, and says the check timed out', async () => {
    const { engine, runs, removed } = recordingEngine((_, what) =>
      what === 'echo two' ? { exitCode: 124, stdout: '', stderr: '', timedOut: true } : undefined,
    );
    const results = await runChecks(engine, 'r/c:1', checks, (c) => c.kind === 'command', {
      variant: 'c',
      limits,
    });
    const hung = [...runs].find(([, what]) => what[0] === 'echo two')![0];
    expect(removed).toContain(hung);
    expect([...results.commands.values()].map((r) => r.timedOutAfter)).toEqual([undefined, 5]);
  });

  it('keeps a command exiting 125 on its own a result; throws one the engine could not start after every other ended', async () => {
    const own = recordingEngine((_, what) =>
      what === 'echo one' ? { exitCode: 125, stdout: 'x', stderr: '' } : undefined,
    );
    const results = await runChecks(own.engine, 'r/c:1', checks, (c) => c.kind === 'command', {
      variant: 'c',
      limits,
    });
    expect([...results.commands.values()].map((r) => r.code)).toEqual([125, 0]);
    const { engine, runs, removed } = recordingEngine((n) =>
      n === 1
        ? { exitCode: 125, stdout: '', stderr: 'docker: Error response from daemon: no GPU' }
        : undefined,
    );
    await expect(
      runChecks(engine, 'r/c:1', checks, () => true, { variant: 'c', limits }),
    ).rejects.toThrow(/docker could not start a container of r\/c:1 .*\n.*no GPU\nWhat to do: /);
    expect(runs.size).toBe(4);
    // The one that could not start is removed by name too (docker may have created it).
    expect(removed.sort()).toEqual([...runs.keys()].sort());
  });
});
