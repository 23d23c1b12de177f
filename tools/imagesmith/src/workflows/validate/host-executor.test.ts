import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsReader } from '@imagesmith/core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { queryNvidiaDriver } from './driver-check';
import { validateOnHost } from './host-executor';
import { hostProcessRunner } from './host-executor-process';
import type { ProcessRunner } from './run-checks';

const SPEC = `description: g
profile: cuda12
profile_options: { cuda: "12.1" }
python: "3.11"
tests:
  imports: { json: "" }
  env: { A: b }
  files: { exist: [/opt] }
  commands:
    - { name: says hi, run: "echo hi there", output: "hi t" }
    - { name: exits 3, run: "echo no >&2; exit 3", exit_code: 3 }
    - { name: wrong output, run: "echo bye", output: "^hi" }
    - { name: gpu visible, run: "nvidia-smi -L", output: "GPU 0", requires: gpu }
`;
const ws = workspaceOf({ g: SPEC });
// The committed profiles' accelerator data; the fixture image has no lock (the cuda option rules).
const reader = fsReader(REPO_ROOT);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** PATH with a fake nvidia-smi that reports `driver` and one GPU. */
function fakeSmiEnv(driver: string): NodeJS.ProcessEnv {
  const dir = temp('fake-smi-');
  writeFileSync(
    join(dir, 'nvidia-smi'),
    `#!/bin/sh\ncase "$1" in\n  --query-gpu=driver_version) echo ${driver} ;;\n  -L) echo "GPU 0: Fake GPU (UUID: GPU-0)" ;;\n  *) exit 9 ;;\nesac\n`,
  );
  chmodSync(join(dir, 'nvidia-smi'), 0o755);
  return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
}

describe('validateOnHost', () => {
  it('runs imports and commands as processes of this host, with the container semantics', async () => {
    const lines: string[] = [];
    const root = temp('host-root-');
    const [sum] = await validateOnHost(root, ws, reader, 'g', {
      hardware: new Set(),
      log: (l) => lines.push(l),
    });
    const by = Object.fromEntries(sum!.cases.map((c) => [c.name, c]));
    expect(by['import json']).toMatchObject({ status: 'passed' });
    expect(by['says hi']).toMatchObject({ status: 'passed' });
    expect(by['exits 3']).toMatchObject({ status: 'passed' });
    expect(by['wrong output']).toMatchObject({
      status: 'failed',
      message: 'output does not match /^hi/: bye',
    });
    expect(by['gpu visible']).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/^needs an NVIDIA GPU, which this host does not have/),
    });
    expect(by['env A=b']).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/describes the built image, not this host/),
    });
    expect(by['/opt exists']).toMatchObject({ status: 'skipped' });
    expect(by['runs as a non-root user']).toMatchObject({ status: 'skipped' });
    expect(sum).toMatchObject({ passed: 3, failed: 1, skipped: 4 });
    expect(lines[0]).toBe('g: contract FAILED on this host (3 passed, 1 failed, 4 skipped)');
    expect(lines).toContain('  FAIL [g] wrong output: output does not match /^hi/: bye');
    expect(readFileSync(join(root, 'dist/junit/g.host.xml'), 'utf8')).toContain('wrong output');
  });

  it('with --requires gpu on a GPU host: the driver check, then only the gpu checks', async () => {
    const env = fakeSmiEnv('580.65.06');
    const lines: string[] = [];
    const [sum] = await validateOnHost(temp('host-root-'), ws, reader, 'g', {
      requires: 'gpu',
      hardware: new Set(['gpu']),
      log: (l) => lines.push(l),
      runner: hostProcessRunner(env),
      query: () => queryNvidiaDriver(env),
    });
    expect(sum!.cases).toEqual([{ name: 'gpu visible', classname: 'g', status: 'passed' }]);
    expect(lines).toEqual([
      "driver check: this host's NVIDIA driver 580.65.06 >= 530.30.02, the minimum of g (CUDA 12.1)",
      'g: contract passed on this host (1 passed, 0 failed, 0 skipped)',
      '  PASS [g] gpu visible',
    ]);
  });

  it('refuses a GPU host whose driver is too old before any check runs', async () => {
    const env = fakeSmiEnv('470.82.01');
    const never: ProcessRunner = () => Promise.reject(new Error('no check may run'));
    await expect(
      validateOnHost(temp('host-root-'), ws, reader, 'g', {
        hardware: new Set(['gpu']),
        log: () => {},
        runner: never,
        query: () => queryNvidiaDriver(env),
      }),
    ).rejects.toThrow(
      /g needs NVIDIA driver >= 530\.30\.02 \(CUDA 12\.1, from the profile option cuda=12\.1 \(the base image's CUDA\)\); this host's NVIDIA driver is 470\.82\.01/,
    );
  });

  it('stops a command at its time limit and kills what it started', async () => {
    const marker = join(temp('host-marker-'), 'left-behind');
    const started = Date.now();
    const r = await hostProcessRunner()(['sh', '-c', `(sleep 1; touch ${marker}) & sleep 30`], 300);
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((done) => setTimeout(done, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a hardware name no profile provides, and says when an image has no such check', async () => {
    const opts = { hardware: new Set<string>(), log: () => {} };
    await expect(
      validateOnHost(temp('host-root-'), ws, reader, 'g', { ...opts, requires: 'gpuu' }),
    ).rejects.toThrow(
      /--requires gpuu: no profile provides that hardware; name one of gpu, neuron/,
    );
    const lines: string[] = [];
    const cpu = workspaceOf({ c: 'description: c\nprofile: cpu\npython: "3.11"\n' });
    const [sum] = await validateOnHost(temp('host-root-'), cpu, reader, 'c', {
      ...opts,
      requires: 'gpu',
      log: (l) => lines.push(l),
    });
    expect(sum).toMatchObject({ passed: 0, failed: 0, skipped: 0 });
    expect(lines).toEqual([
      'driver check: c needs no CUDA driver',
      'c: no check of c or its parents requires gpu',
    ]);
  });
});
