import { describe, expect, it } from 'vitest';
import { checkInstallable } from './check-installable';
import { markerApplies } from './marker-applies';
import { parseLock } from './parse-lock';

const LOCK = `[[package]]
name = "grpcio-tools"
version = "1.30.0"
groups = ["main"]
files = [
    {file = "grpcio_tools-1.30.0-cp38-cp38-manylinux2010_x86_64.whl", hash = "sha256:01"},
    {file = "grpcio_tools-1.30.0-cp38-cp38-win_amd64.whl", hash = "sha256:02"},
    {file = "grpcio-tools-1.30.0.tar.gz", hash = "sha256:03"},
]

[[package]]
name = "numpy"
version = "1.26.4"
groups = ["main"]
files = [
    {file = "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:11"},
]

[[package]]
name = "colorama"
version = "0.4.6"
groups = ["dev"]
markers = "sys_platform == \\"win32\\""
files = [
    {file = "colorama-0.4.6.tar.gz", hash = "sha256:21"},
]

[[package]]
name = "pure"
version = "1.0"
groups = ["dev"]
files = [
    {file = "pure-1.0.tar.gz", hash = "sha256:31"},
]

[metadata]
lock-version = "2.1"
python-versions = "~3.11"
content-hash = "x"
`;

const pkgs = parseLock(LOCK);
const amd64 = { platform: 'linux/amd64', python: '3.11', arch: 'x86_64', glibc: '2.36' };
const arm64 = { platform: 'linux/arm64', python: '3.11', arch: 'aarch64', glibc: '2.36' };

describe('checkInstallable', () => {
  it('names each package and platform without a matching wheel', () => {
    const found = checkInstallable(pkgs, {
      groups: ['main'],
      platforms: [amd64, arm64],
      canBuild: false,
    });
    expect(found.map((u) => `${u.package} ${u.version} ${u.platform}`)).toEqual([
      'grpcio-tools 1.30.0 linux/amd64',
      'grpcio-tools 1.30.0 linux/arm64',
      'numpy 1.26.4 linux/arm64',
    ]);
    expect(found[0]).toMatchObject({
      sdistOnly: true,
      files: 'wheels for cp38 (manylinux2010_x86_64, win_amd64) and an sdist',
    });
    expect(found[2]?.sdistOnly).toBe(false);
  });

  it('accepts an sdist when the image has build tools, never a missing wheel without one', () => {
    const found = checkInstallable(pkgs, {
      groups: ['main'],
      platforms: [amd64, arm64],
      canBuild: true,
    });
    expect(found.map((u) => u.package)).toEqual(['numpy']);
  });

  it('checks the dev group only when asked, skipping packages whose markers exclude Linux', () => {
    expect(checkInstallable(pkgs, { groups: ['main'], platforms: [], canBuild: false })).toEqual(
      [],
    );
    const dev = checkInstallable(pkgs, { groups: ['dev'], platforms: [amd64], canBuild: false });
    expect(dev.map((u) => u.package)).toEqual(['pure']);
  });
});

describe('markerApplies', () => {
  const env = { python: '3.11', arch: 'x86_64' };
  it.each([
    ['sys_platform == "win32"', false],
    ['sys_platform == "win32" or platform_system == "Windows"', false],
    ['sys_platform != "win32" and sys_platform != "emscripten"', true],
    ['platform_system == "Darwin"', false],
    ['python_version < "3.10"', false],
    ['python_version >= "3.9" and platform_machine == "x86_64"', true],
    ['(os_name == "nt") or implementation_name != "PyPy"', true],
    ['extra == "gpu"', true],
  ])('%s: %s', (marker, expected) => {
    expect(markerApplies(marker, env)).toBe(expected);
  });
});

describe('checkInstallable on a catalogue child', () => {
  it('skips packages its parent installed at the same version (checked there)', () => {
    const parent = pkgs.filter((p) => p.name === 'grpcio-tools');
    const found = checkInstallable(pkgs, {
      groups: ['main'],
      platforms: [amd64],
      canBuild: false,
      installedByParent: parent,
    });
    expect(found).toEqual([]);
    const other = parent.map((p) => ({ ...p, version: '1.29.0' }));
    expect(
      checkInstallable(pkgs, {
        groups: ['main'],
        platforms: [amd64],
        canBuild: false,
        installedByParent: other,
      }),
    ).toHaveLength(1);
  });
});
