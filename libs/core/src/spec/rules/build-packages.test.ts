import { describe, expect, it } from 'vitest';
import { check } from '../../test-support/fixtures';

const parent = 'description: p\nprofile: cpu\npython: "3.11"\n';

describe('build-packages rule', () => {
  it('accepts build_packages on an image with a builder stage (an external base)', () => {
    expect(check({ p: `${parent}build_packages: [build-essential]\n` }).diagnostics).toEqual([]);
  });

  it('rejects build tools on a catalogue child, which installs into the runtime stage', () => {
    const [d] = check({
      p: parent,
      c: 'description: c\nprofile: cpu\nbase: p\nbuild_packages: [build-essential]\n',
    }).diagnostics;
    expect(d).toMatchObject({ file: 'images/c/image.yaml', line: 4, path: 'build_packages' });
    expect(d?.message).toMatch(/needs a builder stage/);
  });

  it('accepts an empty list on a catalogue child (pure-Python sdists need no tools)', () => {
    const c = 'description: c\nprofile: cpu\nbase: p\nbuild_packages: []\n';
    expect(check({ p: parent, c }).diagnostics).toEqual([]);
  });
});
