import { describe, expect, it } from 'vitest';
import { EngineError, type Engine } from '@imagesmith/engine';
import { renderJunit } from './junit';
import { runChecks } from './run-checks';
import type { Check } from '@imagesmith/plan';
import {
  cacheFileName,
  onPlatform,
  requireRunnable,
  validatePlatforms,
} from './validate-platforms';

/** An engine that runs every platform in `can` and records what it was asked to start. */
function engineRunning(can: string[] | null) {
  const started: Record<string, unknown>[] = [];
  const engine = {
    name: 'docker',
    platforms: async () => can,
    run: async (req: Record<string, unknown>) => {
      started.push(req);
      return { exitCode: 0, stdout: '@@uid 1000\n', stderr: '' };
    },
    removeContainer: async () => true,
  } as unknown as Engine;
  return { engine, started };
}

describe('validate on every platform of a multi-platform image', () => {
  it('runs each platform of a multi-platform spec, normalized; one or none: the engine default', () => {
    expect(validatePlatforms(['linux/amd64', 'linux/aarch64', 'linux/arm64/v8'])).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(validatePlatforms(['linux/arm64'])).toEqual([]);
    expect(validatePlatforms(undefined)).toEqual([]);
  });

  it('names the platform in every check and in the JUnit report', () => {
    const cases = onPlatform(
      [
        { name: 'uname', classname: 'mp', status: 'passed' },
        { name: 'size', classname: 'mp', status: 'failed', message: 'too big' },
      ],
      'linux/arm64',
    );
    expect(cases.map((c) => c.name)).toEqual(['uname on linux/arm64', 'size on linux/arm64']);
    expect(renderJunit('validate mp', cases)).toContain(
      '<testcase classname="mp" name="size on linux/arm64">',
    );
  });

  it('keeps a cache file per platform, and the single-platform file as before', () => {
    expect(cacheFileName('linux/arm64')).toBe('validate-cache-linux-arm64.json');
    expect(cacheFileName('linux/arm/v7')).toBe('validate-cache-linux-arm-v7.json');
    expect(cacheFileName()).toBe('validate-cache.json');
  });

  it('refuses a platform the engine cannot run, by name and with the spec field, before any container', async () => {
    const { engine, started } = engineRunning(['linux/amd64', 'linux/arm64']);
    const run = requireRunnable(engine, 'mp', 'mp', ['linux/amd64', 'linux/riscv64']);
    await expect(run).rejects.toThrow(EngineError);
    await expect(run).rejects.toThrow(
      /mp: the docker engine cannot run linux\/riscv64 .*images\/mp\/image\.yaml `platforms`/,
    );
    expect(started).toEqual([]);
    await expect(requireRunnable(engine, 'mp', 'mp', ['linux/arm64'])).resolves.toBeUndefined();
    // An engine that cannot tell is left to say so itself.
    await expect(
      requireRunnable(engineRunning(null).engine, 'mp', 'mp', ['linux/riscv64']),
    ).resolves.toBeUndefined();
  });

  it('starts the container of the requested platform, and none named without one', async () => {
    const { engine, started } = engineRunning(['linux/amd64', 'linux/arm64']);
    const checks: Check[] = [
      { id: 'mp/non-root', kind: 'non-root', name: 'runs as a non-root user', from: 'mp' },
    ];
    const limits = { checkSeconds: 5, regexMs: 100 };
    await runChecks(engine, 'r/mp:1', checks, () => true, {
      variant: 'mp',
      limits,
      platform: 'linux/arm64',
    });
    await runChecks(engine, 'r/mp:1', checks, () => true, { variant: 'mp', limits });
    expect(started[0]).toMatchObject({ image: 'r/mp:1', platform: 'linux/arm64' });
    expect(String(started[0]!.name)).toMatch(/^imagesmith-validate-mp-arm64-[0-9a-f]{8}$/);
    expect(started[1]).not.toHaveProperty('platform');
    expect(String(started[1]!.name)).toMatch(/^imagesmith-validate-mp-[0-9a-f]{8}$/);
  });
});
