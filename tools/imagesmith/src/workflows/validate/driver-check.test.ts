import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImagesmithError } from '@imagesmith/core';
import type { AcceleratorContract } from '@imagesmith/plan';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDriver, queryNvidiaDriver } from './driver-check';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder holding a fake `nvidia-smi` that prints `out` (one line per GPU) and exits `code`. */
function fakeSmi(out: string, code = 0): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'fake-smi-'));
  dirs.push(dir);
  const file = join(dir, 'nvidia-smi');
  writeFileSync(
    file,
    `#!/bin/sh\n[ "$1" = --query-gpu=driver_version ] && [ "$2" = --format=csv,noheader ] || { echo "unexpected: $*" >&2; exit 9; }\nprintf '${out}'\nexit ${code}\n`,
  );
  chmodSync(file, 0o755);
  return { PATH: `${dir}:/usr/bin:/bin` };
}

const cuda121: AcceleratorContract = {
  kind: 'cuda',
  cuda: '12.1',
  from: 'nvidia-cuda-runtime-cu12 12.1.105 in images/gpu-train/poetry.lock',
  minDriver: '530.30.02',
  minorCompat: '525.60.13',
  source: 'https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html',
};
const gpu = new Set(['gpu']);

describe('checkDriver with a fake nvidia-smi on PATH', () => {
  it('refuses a driver below the minimum, naming both versions and the image', async () => {
    const env = fakeSmi('470.82.01\\n');
    const run = checkDriver('gpu-train', cuda121, gpu, () => queryNvidiaDriver(env));
    await expect(run).rejects.toThrow(ImagesmithError);
    await expect(run).rejects.toThrow(
      /gpu-train needs NVIDIA driver >= 530\.30\.02 \(CUDA 12\.1, from nvidia-cuda-runtime-cu12 12\.1\.105 in images\/gpu-train\/poetry\.lock\); this host's NVIDIA driver is 470\.82\.01\n  hint: upgrade/,
    );
  });

  it('names minor version compatibility for a driver between its floor and the minimum', async () => {
    const env = fakeSmi('525.85.12\\n');
    await expect(
      checkDriver('gpu-train', cuda121, gpu, () => queryNvidiaDriver(env)),
    ).rejects.toThrow(/driver is 525\.85\.12 \(525\.85\.12 is at least 525\.60\.13/);
  });

  it('passes a newer driver, judging a multi-GPU host by its oldest answer', async () => {
    const ok = await checkDriver('gpu-train', cuda121, gpu, () =>
      queryNvidiaDriver(fakeSmi('580.65.06\\n580.65.06\\n')),
    );
    expect(ok).toEqual({
      status: 'passed',
      message:
        "driver check: this host's NVIDIA driver 580.65.06 >= 530.30.02, the minimum of gpu-train (CUDA 12.1)",
    });
    await expect(
      checkDriver('gpu-train', cuda121, gpu, () =>
        queryNvidiaDriver(fakeSmi('580.65.06\\n520.61.05\\n')),
      ),
    ).rejects.toThrow(/driver is 520\.61\.05/);
  });

  it('says so when a GPU host has no nvidia-smi, or one that fails', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-smi-'));
    dirs.push(empty);
    await expect(
      checkDriver('gpu-train', cuda121, gpu, () => queryNvidiaDriver({ PATH: empty })),
    ).rejects.toThrow(/this GPU host has no nvidia-smi on PATH/);
    await expect(
      checkDriver('gpu-train', cuda121, gpu, () =>
        queryNvidiaDriver(
          fakeSmi(
            'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver\\n',
            9,
          ),
        ),
      ),
    ).rejects.toThrow(/did not give a driver version \(exit code 9\): NVIDIA-SMI has failed/);
  });

  it('asks nothing on a host without a GPU or for an image without CUDA', async () => {
    const never = () => Promise.reject(new Error('nvidia-smi must not be run'));
    expect(await checkDriver('gpu-train', cuda121, new Set(), never)).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(
        /this host has no NVIDIA GPU.*needs NVIDIA driver >= 530\.30\.02/,
      ),
    });
    expect(await checkDriver('python-base', undefined, gpu, never)).toMatchObject({
      status: 'skipped',
    });
  });
});
