import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../profiles/load-profiles';
import { resolveProfile } from '../profiles/resolve-profile';
import type { ImageSpec } from '../image-spec/types';
import { packagesFromPypiBuilds } from './pypi-builds';
import { sourcesUsedBy } from './render-context';

// The workspace's own profiles: the releases listed under pypi_builds are facts read from PyPI.
const { profiles } = loadProfiles(resolve(__dirname, '../../../..'));

function variant(
  profile: string,
  options: Record<string, string>,
  packages: Record<string, string>,
) {
  const p = profiles.get(profile);
  if (!p) throw new Error(`no profile ${profile}`);
  const spec = { description: 'x', profile, python_packages: packages } as ImageSpec;
  return { spec, profile: resolveProfile(p, options) };
}

describe('sources for torch on the cuda12 profile', () => {
  it('takes torch 2.3.1 on CUDA 12.1 from PyPI: no vendor source at all', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '2.3.1', numpy: '^1.26' });
    expect(packagesFromPypiBuilds(v)).toEqual(new Set(['torch']));
    expect(sourcesUsedBy(v)).toEqual([]);
  });

  it('takes torchvision 0.18.1 with torch ==2.3.1 from PyPI too', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '==2.3.1', torchvision: '0.18.1' });
    expect(sourcesUsedBy(v)).toEqual([]);
  });

  it('takes torch 2.2.0 on CUDA 12.1 from PyPI as well: PyPI 2.1.0-2.4.1 are cu121 builds', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '2.2.0' });
    expect(sourcesUsedBy(v)).toEqual([]);
  });

  it('keeps the cu121 vendor source for torch 2.5.1 on CUDA 12.1 (PyPI 2.5.1 is cu124)', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '2.5.1' });
    expect(sourcesUsedBy(v).map((s) => [s.name, s.packages])).toEqual([
      ['pytorch-cu121', ['torch', 'torchvision', 'torchaudio']],
    ]);
  });

  it('keeps the vendor source for a range, which PyPI might resolve to another CUDA build', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '^2.3' });
    expect(sourcesUsedBy(v).map((s) => s.name)).toEqual(['pytorch-cu121']);
  });

  it('keeps the vendor source, for the other packages only, when one package is not a PyPI build', () => {
    const v = variant('cuda12', { cuda: '12.1' }, { torch: '2.3.1', torchvision: '0.17.2' });
    expect(sourcesUsedBy(v).map((s) => [s.name, s.packages])).toEqual([
      ['pytorch-cu121', ['torchvision', 'torchaudio']],
    ]);
  });

  it('keeps the cu124 vendor source for torch 2.4.1 on CUDA 12.4 (PyPI 2.4.1 is cu121)', () => {
    const v = variant('cuda12', { cuda: '12.4' }, { torch: '2.4.1' });
    expect(sourcesUsedBy(v).map((s) => s.name)).toEqual(['pytorch-cu124']);
  });
});

describe('sources on the cpu profile', () => {
  it('is unchanged: the CPU wheel index serves torch', () => {
    const cpu = profiles.get('cpu');
    if (!cpu) throw new Error('no cpu profile');
    const v = variant('cpu', {}, { torch: '2.3.1' });
    expect(packagesFromPypiBuilds(v)).toEqual(new Set());
    expect(sourcesUsedBy(v)).toEqual(resolveProfile(cpu).package_sources);
  });
});
