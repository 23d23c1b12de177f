import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// tools/gpu/contract.sh as CI runs it: on a copy of the workspace's committed files with no
// node_modules (what travels to a GPU node), with only the single-file CLI bundle, against a fake
// nvidia-smi. No GPU here, so the GPU checks must be reported skipped with the reason; the driver
// check is exercised through IMAGESMITH_HARDWARE=gpu and a fake driver version.
const REPO = join(__dirname, '..');
const NODE_DIR = dirname(process.execPath);
let ws: string;
let fakes: string;
let bundle: string;

/** Writes an executable `name` into the fakes folder. */
const fake = (dir: string, name: string, script: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, name), 0o755);
};

beforeAll(() => {
  const top = mkdtempSync(join(tmpdir(), 'gpu-contract-'));
  ws = join(top, 'ws');
  for (const part of ['images', 'profiles', 'templates', 'tools/gpu', 'base-digests.json'])
    cpSync(join(REPO, part), join(ws, part), { recursive: true });
  bundle = join(top, 'imagesmith.cjs');
  require(join(REPO, 'tools/imagesmith/bundle.cjs')).buildBundle('src/cli/main.ts', bundle);
  fakes = join(top, 'fakes');
  fake(
    join(fakes, 'old-driver'),
    'nvidia-smi',
    'case "$1" in --query-gpu=driver_version) echo 470.82.01 ;; -L) echo "GPU 0: Fake" ;; *) exit 9 ;; esac',
  );
  // A GPU host's Python with torch, faked: the driver check refuses before any check runs it.
  fake(join(fakes, 'old-driver'), 'python3', 'echo "2.9.0 13.0"');
  fake(join(fakes, 'no-torch'), 'nvidia-smi', 'echo 580.65.06');
  fake(
    join(fakes, 'no-torch'),
    'python3',
    'echo "ModuleNotFoundError: No module named \'torch\'" >&2; exit 1',
  );
}, 120_000);
afterAll(() => rmSync(dirname(ws), { recursive: true, force: true }));

function contract(fakeDir: string | undefined, env: NodeJS.ProcessEnv = {}, args: string[] = []) {
  const PATH = [...(fakeDir ? [join(fakes, fakeDir)] : []), NODE_DIR, '/usr/bin', '/bin'].join(':');
  const r = spawnSync(join(ws, 'tools/gpu/contract.sh'), args, {
    cwd: ws,
    encoding: 'utf8',
    env: { PATH, HOME: ws, IMAGESMITH_BUNDLE: bundle, IMAGESMITH_HARDWARE: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tools/gpu/contract.sh', () => {
  it('on a host without a GPU: every cuda12 image, its gpu checks and driver check skipped with the reason', () => {
    const r = contract('old-driver');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^host: no NVIDIA GPU \(no \/dev\/nvidia0/);
    for (const image of [
      'gpu-base',
      'gpu-train',
      'kubeflow-torch-gpu',
      'vessl-cuda',
      'vessl-torch',
    ])
      expect(r.out).toContain(`== ${image}: exit 0`);
    expect(r.out).toContain(
      'SKIP [gpu-base] nvidia-smi sees a GPU: needs an NVIDIA GPU, which this host does not have',
    );
    expect(r.out).toContain(
      'driver check: skipped, this host has no NVIDIA GPU (no /dev/nvidia0; IMAGESMITH_HARDWARE=gpu says it has one); gpu-train needs NVIDIA driver >= 530.30.02 (CUDA 12.1, from nvidia-cuda-runtime-cu12 12.1.105 in images/gpu-train/poetry.lock)',
    );
    expect(r.out).not.toMatch(/PASS|FAIL/);
  });

  it('on a GPU host whose driver is too old: refuses each image, naming both versions', () => {
    const r = contract('old-driver', { IMAGESMITH_HARDWARE: 'gpu' }, ['gpu-train', 'gpu-base']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('host: NVIDIA GPU present;');
    expect(r.err).toContain(
      "gpu-train needs NVIDIA driver >= 530.30.02 (CUDA 12.1, from nvidia-cuda-runtime-cu12 12.1.105 in images/gpu-train/poetry.lock); this host's NVIDIA driver is 470.82.01",
    );
    expect(r.err).toContain('gpu-base needs NVIDIA driver >= 530.30.02');
    expect(r.out).not.toMatch(/PASS|SKIP/);
  });

  it('says what it needs and exits 3 when it is missing', () => {
    const noSmi = contract(undefined);
    expect(noSmi.code).toBe(3);
    expect(noSmi.err).toMatch(/needs nvidia-smi on PATH \(it comes with the NVIDIA driver\)/);
    const noTorch = contract('no-torch', { IMAGESMITH_HARDWARE: 'gpu' });
    expect(noTorch.code).toBe(3);
    expect(noTorch.err).toMatch(
      /needs Python with torch on this GPU host: .*No module named 'torch'/,
    );
    const noBundle = contract('old-driver', { IMAGESMITH_BUNDLE: join(ws, 'nothing.cjs') });
    expect(noBundle.code).toBe(3);
    expect(noBundle.err).toMatch(
      /needs the CLI bundle .*nothing\.cjs: run `node tools\/gpu\/build-bundle\.cjs`/,
    );
  });

  it('an unknown image is a usage error of the CLI (exit 2)', () => {
    const r = contract('old-driver', {}, ['no-such-image']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no-such-image/);
  });
});
