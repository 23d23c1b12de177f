import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace, resolveVariants } from '@imagesmith/core';
import { checkLockAgreement, parseLock } from '@imagesmith/lock';
import { generate } from '../tools/imagesmith/src/workflows/generate';
import { lintImages } from '../tools/imagesmith/src/workflows/lint';

const ROOT = join(__dirname, '..');
const ws = loadWorkspace(ROOT);
const lockOf = (outDir: string) =>
  existsSync(join(ROOT, outDir, 'poetry.lock'))
    ? parseLock(readFileSync(join(ROOT, outDir, 'poetry.lock'), 'utf8'))
    : undefined;

describe('the committed catalogue', () => {
  it("has the seeds' images", () => {
    const expected = [
      'python-base',
      'gpu-base',
      'gpu-train',
      'neuron-compile',
      'neuron-inference',
      'fastapi-serve',
      'kubeflow-jupyter',
      'kubeflow-torch-cpu',
      'kubeflow-torch-gpu',
      'kubeflow-torch-inf',
      'kubeflow-data-science',
      'dask-base',
      'mlrun',
      'ml-base',
      'ml-models',
      'ml-models-gpu',
      'vessl-python',
      'vessl-cuda',
      'vessl-torch',
    ];
    expect([...ws.specs.keys()].sort()).toEqual(expected.sort());
    expect(resolveVariants(ws, 'vessl-python').map((v) => v.python)).toEqual([
      '3.9',
      '3.10',
      '3.11',
    ]);
  });

  it('keeps the core-images base relations', () => {
    const base = (n: string) => ws.specs.get(n)!.spec.base;
    expect(base('gpu-train')).toBe('python-base');
    expect(base('kubeflow-torch-cpu')).toBe('kubeflow-jupyter');
    expect(base('kubeflow-torch-gpu')).toBe('gpu-base');
    expect(base('kubeflow-data-science')).toBe('kubeflow-torch-cpu');
    expect(base('gpu-base')).toMatch(/^nvidia\/cuda:12\./);
  });

  it('is generated: regenerating changes no file', () => {
    expect(generate(ROOT, { check: true }).drifted).toEqual([]);
  });

  it('lints clean', () => {
    expect(lintImages(ROOT).findings).toEqual([]);
  });

  it('has parents and children agreeing on every shared locked package', () => {
    let pairs = 0;
    for (const image of ws.specs.keys()) {
      for (const v of resolveVariants(ws, image)) {
        if (v.from.kind !== 'catalogue') continue;
        const parent = resolveVariants(ws, v.ancestors[0]!)[0]!;
        const [child, mine] = [lockOf(v.outDir), lockOf(parent.outDir)];
        if (!child || !mine) continue;
        pairs += 1;
        expect(
          checkLockAgreement({ image: parent.name, pkgs: mine }, { image: v.name, pkgs: child }),
        ).toEqual([]);
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('installs only hash-checked, locked packages in every Dockerfile', () => {
    for (const image of ws.specs.keys()) {
      for (const v of resolveVariants(ws, image)) {
        const dockerfile = readFileSync(join(ROOT, v.outDir, 'Dockerfile'), 'utf8');
        for (const line of dockerfile.split('\n').filter((l) => /pip install/.test(l))) {
          expect(line).toMatch(/--require-hashes --no-deps -r \/tmp\/requirements(-dev)?\.txt/);
        }
        if (lockOf(v.outDir))
          expect(readFileSync(join(ROOT, v.outDir, 'requirements.txt'), 'utf8')).toMatch(
            /--hash=sha256:/,
          );
      }
    }
  });
});
