import { describe, expect, it } from 'vitest';
import { checkParentConstraints } from './check-parent-constraints';
import type { PyprojectInput } from './render-pyproject';

const child = (
  packages: Record<string, string>,
  devPackages?: Record<string, string>,
): PyprojectInput => ({
  name: 'child',
  description: '',
  python: '3.11',
  packages,
  devPackages,
  sources: [],
  parentPins: { image: 'base', packages: { b: '1.0', torch: '2.3.1+cu121' } },
});

describe('checkParentConstraints', () => {
  it("accepts constraints the parent's versions meet", () => {
    expect(
      checkParentConstraints(child({ b: '^1', torch: '==2.3.1', other: '^9' }), 'child'),
    ).toEqual([]);
  });

  it('reports a conflicting constraint with both images, the package and both versions', () => {
    const [d, ...rest] = checkParentConstraints(child({ b: '^2' }), 'child');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ file: 'images/child/image.yaml', path: 'python_packages.b' });
    expect(d!.message).toBe(
      'b = "^2" in image child conflicts with its parent image base, which locked b 1.0.',
    );
    expect(d!.hint).toContain('imagesmith lock base');
  });

  it('checks the development stage too and reports every problem', () => {
    const ds = checkParentConstraints(
      child({ B: '>=2', torch: 'nonsense' }, { b: '<1' }),
      'child',
      'x.yaml',
    );
    expect(ds.map((d) => d.path)).toEqual([
      'python_packages.B',
      'python_packages.torch',
      'stages.development.python_packages.b',
    ]);
    expect(ds[1]!.message).toContain('not a valid Poetry version constraint');
    expect(ds.every((d) => d.file === 'x.yaml')).toBe(true);
  });

  it('has nothing to check without a parent', () => {
    expect(
      checkParentConstraints({ ...child({ b: '^2' }), parentPins: undefined }, 'child'),
    ).toEqual([]);
  });
});
