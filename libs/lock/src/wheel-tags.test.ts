import { describe, expect, it } from 'vitest';
import { isSdist, wheelMatches } from './wheel-tags';

const amd64 = { python: '3.11', arch: 'x86_64', glibc: '2.36' };
const arm64 = { python: '3.11', arch: 'aarch64', glibc: '2.36' };

describe('wheelMatches', () => {
  it.each([
    ['numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', amd64, true],
    ['numpy-1.26.4-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl', amd64, false],
    ['numpy-1.26.4-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl', arm64, true],
    ['numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', amd64, false],
    ['numpy-1.26.4-cp311-cp311-musllinux_1_1_x86_64.whl', amd64, false],
    ['numpy-1.26.4-cp311-cp311-macosx_11_0_arm64.whl', arm64, false],
    ['numpy-1.26.4-cp311-cp311-win_amd64.whl', amd64, false],
    ['torch-2.0.1-cp311-cp311-manylinux1_x86_64.whl', amd64, true],
    ['torch-2.0.1-cp311-cp311-manylinux1_x86_64.whl', arm64, false],
    ['grpcio_tools-1.30.0-cp38-cp38-manylinux2010_x86_64.whl', amd64, false],
    ['cryptography-42.0.5-cp39-abi3-manylinux_2_28_x86_64.whl', amd64, true],
    ['cryptography-42.0.5-cp37-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64.whl', arm64, true],
    ['future_pkg-1.0-cp312-abi3-manylinux_2_17_x86_64.whl', amd64, false],
    ['six-1.16.0-py2.py3-none-any.whl', amd64, true],
    ['requests-2.31.0-py3-none-any.whl', arm64, true],
    ['legacy-1.0-py2-none-any.whl', amd64, false],
    ['tool-1.0-py3-none-manylinux_2_17_x86_64.whl', amd64, true],
    ['tool-1.0-cp311-none-any.whl', amd64, true],
    ['mod-1.0-cp311-abi3-any.whl', amd64, false],
    ['grpcio_tools-1.30.0.tar.gz', amd64, false],
  ])('%s on %o: %s', (file, target, expected) => {
    expect(wheelMatches(file, target)).toBe(expected);
  });

  it('needs a base glibc at least as new as the manylinux tag', () => {
    const file = 'ray-2.9.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    expect(wheelMatches(file, { ...amd64, glibc: '2.35' })).toBe(true);
    expect(wheelMatches(file, { ...amd64, glibc: '2.27' })).toBe(false);
    expect(
      wheelMatches('x-1-cp311-cp311-manylinux2014_x86_64.whl', { ...amd64, glibc: '2.12' }),
    ).toBe(false);
  });
});

describe('isSdist', () => {
  it('knows sdists from wheels', () => {
    expect(isSdist('grpcio-tools-1.30.0.tar.gz')).toBe(true);
    expect(isSdist('pkg-1.0.zip')).toBe(true);
    expect(isSdist('six-1.16.0-py2.py3-none-any.whl')).toBe(false);
  });
});
