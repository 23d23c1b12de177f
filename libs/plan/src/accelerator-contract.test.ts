import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsReader, SpecError } from '@imagesmith/core';
import type { LockedPackage } from '@imagesmith/lock';
import { describe, expect, it } from 'vitest';
import {
  acceleratorContract,
  acceleratorLabels,
  compareVersions,
  hostDriverText,
} from './accelerator-contract';
import { parseAcceleratorData, readAcceleratorData } from './accelerator-data';
import { planImageFiles } from './plan-generation';
import { workspaceOf } from '../../../libs/core/test-support/fixtures';

const root = join(__dirname, '..', '..', '..');
const committed = (profile: string) => {
  const file = `profiles/${profile}/accelerator.yaml`;
  return parseAcceleratorData(readFileSync(join(root, file), 'utf8'), file);
};
const pkg = (name: string, version: string): LockedPackage => ({
  name,
  version,
  groups: ['main'],
  files: [],
});
const variant = (options: Record<string, string> = {}) =>
  ({ outDir: 'images/x', profile: { options } }) as unknown as Parameters<
    typeof acceleratorContract
  >[0];

describe('acceleratorContract', () => {
  it('reads the CUDA of the runtime wheel the lock holds (torch 2.3.1 pulls CUDA 12.1)', () => {
    const lock = [pkg('torch', '2.3.1'), pkg('nvidia-cuda-runtime-cu12', '12.1.105')];
    const c = acceleratorContract(variant({ cuda: '12.4' }), lock, committed('cuda12'));
    expect(c).toMatchObject({
      kind: 'cuda',
      cuda: '12.1',
      minDriver: '530.30.02',
      minorCompat: '525.60.13',
      from: 'nvidia-cuda-runtime-cu12 12.1.105 in images/x/poetry.lock',
    });
    expect(acceleratorLabels(c)).toEqual({
      'dev.imagesmith.cuda': '12.1',
      'dev.imagesmith.min-driver': '530.30.02',
    });
    expect(hostDriverText(c)).toBe('NVIDIA >= 530.30.02 (CUDA 12.1)');
  });

  it("falls back to the profile's cuda option when no runtime wheel is locked", () => {
    const c = acceleratorContract(
      variant({ cuda: '12.4' }),
      [pkg('numpy', '1.26.4')],
      committed('cuda12'),
    );
    expect(c).toMatchObject({ cuda: '12.4', minDriver: '550.54.14' });
    expect(
      acceleratorContract(variant({ cuda: '11.8' }), undefined, committed('cuda12')),
    ).toMatchObject({
      minDriver: '520.61.05',
      minorCompat: '450.80.02',
    });
  });

  it('names the data file and the missing row for a CUDA it has no driver for', () => {
    const data = committed('cuda12');
    expect(() =>
      acceleratorContract(variant(), [pkg('nvidia-cuda-runtime-cu12', '12.7.1')], data),
    ).toThrow(SpecError);
    expect(() =>
      acceleratorContract(variant(), [pkg('nvidia-cuda-runtime-cu12', '12.7.1')], data),
    ).toThrow(/profiles\/cuda12\/accelerator\.yaml: drivers\.12\.7: CUDA 12\.7/);
  });

  it('gives the Neuron runtime and driver of the inf1 profile, and nothing for cpu', () => {
    const c = acceleratorContract(variant(), undefined, committed('neuron-inf1'));
    expect(acceleratorLabels(c)).toEqual({
      'dev.imagesmith.neuron-runtime': '2',
      'dev.imagesmith.min-driver': '2.0',
    });
    expect(hostDriverText(c)).toBe('aws-neuronx-dkms 2.0-2.24.* (Neuron Runtime 2.x)');
    expect(acceleratorContract(variant(), [], undefined)).toBeUndefined();
    expect(acceleratorLabels(undefined)).toEqual({});
  });
});

describe('parseAcceleratorData', () => {
  it('reports every bad field with its line', () => {
    const text =
      "kind: cuda\nsource: x\nruntime_packages: [a]\ndrivers:\n  '12.1': { min_driver: 530 }\n  twelve: { min_driver: 'x.y' }\n";
    try {
      parseAcceleratorData(text, 'profiles/p/accelerator.yaml');
      expect.unreachable();
    } catch (e) {
      const d = (e as SpecError).diagnostics;
      expect(d.map((x) => x.path)).toEqual([
        'drivers.12.1.min_driver',
        'drivers.twelve',
        'drivers.twelve.min_driver',
      ]);
      expect(d[0]).toMatchObject({ line: 5 });
    }
  });

  it('refuses an unknown kind', () => {
    expect(() => parseAcceleratorData('kind: rocm\nsource: x\n', 'f.yaml')).toThrow(
      /f\.yaml:1:7: kind: unknown accelerator kind "rocm"/,
    );
  });
});

describe('compareVersions', () => {
  it('compares driver versions by number', () => {
    expect(compareVersions('570.26', '570.124.06')).toBeLessThan(0);
    expect(compareVersions('535.104.05', '530.30.02')).toBeGreaterThan(0);
    expect(compareVersions('530.30.02', '530.30.2')).toBe(0);
  });
});

describe('generated files', () => {
  it('label the Dockerfile with the CUDA of the locked runtime wheel and its minimum driver', () => {
    const ws = workspaceOf({
      g: 'description: g\nprofile: cuda12\nprofile_options: { cuda: "12.4" }\npython: "3.11"\n',
    });
    const lock = readFileSync(join(root, 'images/gpu-train/poetry.lock'), 'utf8');
    const files = planImageFiles(
      {
        ws,
        locks: new Map([['images/g', lock]]),
        repository: 'ghcr.io/acme',
        accelerators: readAcceleratorData(ws.profiles.keys(), fsReader(root)),
      },
      ['g'],
    );
    const dockerfile = files.find((f) => f.path === 'images/g/Dockerfile')!.content;
    expect(dockerfile).toContain('dev.imagesmith.cuda="12.1" \\');
    expect(dockerfile).toContain('dev.imagesmith.min-driver="530.30.02" \\');
  });
});
