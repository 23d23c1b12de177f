import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfiles, resolveProfile, type ImageVariant } from '@imagesmith/core';
import { renderPyproject } from '@imagesmith/lock';
import { pyprojectInput } from './plan-pyproject';

const { profiles } = loadProfiles(resolve(__dirname, '../../..'));

function pyproject(
  profile: string,
  options: Record<string, string>,
  packages: Record<string, string>,
) {
  const p = profiles.get(profile);
  if (!p) throw new Error(`no profile ${profile}`);
  const v = {
    name: 'img',
    python: '3.10',
    spec: { description: 'x', profile, python_packages: packages },
    profile: resolveProfile(p, options),
  } as unknown as ImageVariant;
  return renderPyproject(pyprojectInput(v, undefined));
}

describe('pyproject.toml sources for torch', () => {
  it('locks torch 2.3.1 on CUDA 12.1 from PyPI and declares no vendor source', () => {
    const text = pyproject('cuda12', { cuda: '12.1' }, { torch: '2.3.1', torchvision: '0.18.1' });
    expect(text).toContain('torch = "2.3.1"\n');
    expect(text).toContain('torchvision = "0.18.1"\n');
    expect(text).not.toContain('download.pytorch.org');
  });

  it('keeps the cu121 vendor source for torch 2.5.1 on CUDA 12.1', () => {
    const text = pyproject('cuda12', { cuda: '12.1' }, { torch: '2.5.1' });
    expect(text).toContain('torch = { version = "2.5.1", source = "pytorch-cu121" }');
    expect(text).toContain('url = "https://download.pytorch.org/whl/cu121"');
  });

  it('keeps the CPU wheel index on the cpu profile', () => {
    const text = pyproject('cpu', {}, { torch: '2.3.1' });
    expect(text).toContain('torch = { version = "2.3.1", source = "pytorch-cpu" }');
    expect(text).toContain('url = "https://download.pytorch.org/whl/cpu"');
  });
});
