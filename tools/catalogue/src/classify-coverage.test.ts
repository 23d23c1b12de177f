import { describe, expect, it } from 'vitest';
import {
  classifyCoverage,
  failedParent,
  heavyPackagesIn,
  renderCoverageTable,
  type CoverageFacts,
} from './classify-coverage';

const root = (over: Partial<CoverageFacts> = {}): CoverageFacts => ({
  image: 'mlrun',
  baseRef: '127.0.0.1:5000/library/python:3.11-slim-bookworm',
  baseAvailable: true,
  locked: true,
  vendorIndexes: [],
  ...over,
});
const child = (over: Partial<CoverageFacts> = {}): CoverageFacts => ({
  image: 'ml-base',
  parent: 'mlrun',
  baseAvailable: false,
  locked: true,
  vendorIndexes: [],
  ...over,
});

describe('classifyCoverage', () => {
  it('builds a locked image whose base is in the registry', () => {
    expect(classifyCoverage([root()])[0]).toMatchObject({ status: 'build' });
  });

  it('says which base is missing', () => {
    const [c] = classifyCoverage([root({ baseAvailable: false })]);
    expect(c).toEqual({
      image: 'mlrun',
      status: 'locked only',
      why: 'base 127.0.0.1:5000/library/python:3.11-slim-bookworm not available here',
    });
  });

  it('does not build on a stand-in with another Python', () => {
    const [c] = classifyCoverage([root({ python: '3.10', basePython: '3.11' })]);
    expect(c).toMatchObject({ status: 'locked only' });
    expect(c?.why).toMatch(/has Python 3.11, the image needs 3.10$/);
  });

  it('builds a child when its catalogue parent is built', () => {
    expect(classifyCoverage([root(), child()])[1]).toMatchObject({ status: 'build' });
  });

  it('does not build a child whose parent is not built', () => {
    const [, c] = classifyCoverage([root({ baseAvailable: false }), child()]);
    expect(c).toMatchObject({ status: 'locked only', why: 'parent mlrun is not built here' });
  });

  it('reports an unlocked image', () => {
    expect(classifyCoverage([root({ locked: false })])[0]).toMatchObject({
      status: 'not locked',
    });
  });

  it('names the vendor index an image needs, locked or not', () => {
    const idx = ['https://download.pytorch.org/whl/cpu'];
    const [a, b] = classifyCoverage([
      root({ vendorIndexes: idx }),
      root({ image: 'x', locked: false, vendorIndexes: idx }),
    ]);
    expect(a).toMatchObject({ status: 'needs vendor index', why: `packages from ${idx[0]}` });
    expect(b?.why).toBe(`not locked: packages from ${idx[0]}`);
  });

  it('does not build an image whose lock pins a package too heavy for CI, and says which', () => {
    const [, c] = classifyCoverage([root(), child({ heavy: ['torch 2.3.1'] })]);
    expect(c).toMatchObject({ image: 'ml-base', status: 'locked only' });
    expect(c?.why).toMatch(
      /^too heavy for CI: torch 2\.3\.1 \(PyPI's Linux torch is the CUDA build: 3\.1 GB/,
    );
  });

  it('leaves a skipped image out with its reason', () => {
    const [c] = classifyCoverage([root({ skipped: 'too slow for CI' })]);
    expect(c).toMatchObject({ status: 'locked only', why: 'skipped: too slow for CI' });
  });
});

describe('heavyPackagesIn', () => {
  it('picks the heavy packages of a lock, by name, not version', () => {
    expect(heavyPackagesIn(['numpy 1.26.4', 'torch 2.3.1', 'torchvision 0.18.1'])).toEqual([
      'torch 2.3.1',
    ]);
    expect(heavyPackagesIn(['numpy 1.26.4'])).toEqual([]);
  });
});

describe('failedParent', () => {
  it('names the failed parent of a child', () => {
    expect(failedParent([root(), child()], 'ml-base', new Set(['mlrun']))).toBe('mlrun');
    expect(failedParent([root(), child()], 'ml-base', new Set())).toBeUndefined();
  });
});

describe('renderCoverageTable', () => {
  it('renders one row per image', () => {
    const table = renderCoverageTable([{ image: 'a', status: 'build', why: 'x | y' }]);
    expect(table.split('\n')).toEqual([
      '| image | status | why |',
      '| --- | --- | --- |',
      '| a | build | x \\| y |',
    ]);
  });
});
