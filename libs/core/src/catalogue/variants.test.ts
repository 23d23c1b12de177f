import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { workspaceOf } from '../../test-support/fixtures';
import { topologicalOrder } from './topological-order';
import { parentVariant, resolveVariants } from './variants';

const ws = workspaceOf({
  root: 'description: root\nprofile: cpu\npython: "3.10"\n',
  mid: 'description: mid\nprofile: cpu\nbase: root\n',
  leaf: 'description: leaf\nprofile: cpu\nbase: mid\n',
  alone: 'description: alone\nprofile: cpu\npython: "3.12"\n',
});

describe('parentVariant', () => {
  it('is the first variant of the nearest catalogue parent', () => {
    const [leaf] = resolveVariants(ws, 'leaf');
    expect(leaf!.ancestors).toEqual(['mid', 'root']);
    expect(parentVariant(ws, leaf!)?.name).toBe('mid');
    expect(parentVariant(ws, resolveVariants(ws, 'mid')[0]!)?.name).toBe('root');
  });

  it('is undefined on an external base', () => {
    expect(parentVariant(ws, resolveVariants(ws, 'alone')[0]!)).toBeUndefined();
  });
});

describe('resolveVariants', () => {
  it('gives a child its parent variant as FROM and the parent Python', () => {
    const [mid] = resolveVariants(ws, 'mid');
    expect(mid!.from).toEqual({ kind: 'catalogue', image: 'root' });
    expect(mid!.python).toBe('3.10');
  });

  it('rejects an unknown image as a usage error', () => {
    expect(() => resolveVariants(ws, 'mdi')).toThrow(UsageError);
  });
});

describe('topologicalOrder', () => {
  it('puts parents before children, then sorts by name', () => {
    expect(topologicalOrder(ws)).toEqual(['alone', 'root', 'mid', 'leaf']);
  });
});
