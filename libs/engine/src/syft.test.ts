import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  exportForSyft,
  findSyft,
  localImageSource,
  SYFT_VERSION,
  syftEnv,
  syftScanArgv,
} from './syft';
import type { Exec } from './exec';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'syft-test-'));
  dirs.push(d);
  return d;
};
const tool = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('findSyft', () => {
  const none = () => undefined;

  it('takes IMAGESMITH_SYFT first, and refuses one that is not executable', () => {
    const bin = tool(join(tmp(), 'my-syft'));
    expect(findSyft({ IMAGESMITH_SYFT: bin }, () => '/usr/bin/syft')).toEqual({ path: bin });
    const bad = findSyft({ IMAGESMITH_SYFT: '/nowhere/syft' }, () => '/usr/bin/syft');
    expect(bad.path).toBeUndefined();
    expect(bad.problem).toContain('IMAGESMITH_SYFT=/nowhere/syft is not an executable file');
  });

  it('then PATH, then the tool cache of .ci/build-go-tools.sh', () => {
    expect(findSyft({}, (c) => (c === 'syft' ? '/usr/bin/syft' : undefined))).toEqual({
      path: '/usr/bin/syft',
    });
    const cache = tmp();
    const cached = tool(join(cache, `syft-${SYFT_VERSION}`, 'syft'));
    expect(findSyft({ IMAGESMITH_TOOL_CACHE: cache }, none)).toEqual({ path: cached });
  });

  it('says what to install when there is none', () => {
    const got = findSyft({ IMAGESMITH_TOOL_CACHE: tmp() }, none);
    expect(got.path).toBeUndefined();
    expect(got.problem).toContain('syft is not installed');
    expect(got.problem).toContain(`go install github.com/anchore/syft/cmd/syft@${SYFT_VERSION}`);
    expect(got.problem).toContain('IMAGESMITH_SYFT');
  });
});

describe('syft argv', () => {
  it('scans a local image from its engine, writing each requested format to its file', () => {
    expect(localImageSource('docker', 'r/app:1', '/t/a.tar')).toBe('docker:r/app:1');
    expect(localImageSource('podman', 'r/app:1', '/t/a.tar')).toBe('podman:r/app:1');
    expect(localImageSource('buildah', 'r/app:1', '/t/a.tar')).toBe('oci-archive:/t/a.tar');
    expect(
      syftScanArgv(
        'registry:127.0.0.1:5000/app@sha256:ab',
        { 'spdx-json': '/t/s.json' },
        'linux/arm64',
      ),
    ).toEqual([
      'scan',
      'registry:127.0.0.1:5000/app@sha256:ab',
      '--quiet',
      '--platform',
      'linux/arm64',
      '-o',
      'spdx-json=/t/s.json',
    ]);
  });

  it('reads registries on this machine over plain HTTP, others over TLS', () => {
    expect(syftEnv('registry:127.0.0.1:5000/app:1', {}).SYFT_REGISTRY_INSECURE_USE_HTTP).toBe(
      'true',
    );
    expect(syftEnv('registry:localhost/app:1', {}).SYFT_REGISTRY_INSECURE_USE_HTTP).toBe('true');
    expect(
      syftEnv('registry:ghcr.io/acme/app:1', {}).SYFT_REGISTRY_INSECURE_USE_HTTP,
    ).toBeUndefined();
    expect(syftEnv('docker:app:1', { PATH: '/bin' })).toMatchObject({ PATH: '/bin' });
  });

  it('exports a buildah image as an OCI archive, and nothing for docker', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (file, args) => {
      calls.push([file, ...args]);
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    await exportForSyft({ name: 'docker', binary: '/usr/bin/docker' }, 'a:1', '/t/a.tar', {}, exec);
    expect(calls).toEqual([]);
    await exportForSyft(
      { name: 'buildah', binary: '/usr/bin/buildah' },
      'a:1',
      '/t/a.tar',
      {},
      exec,
    );
    expect(calls).toEqual([
      ['/usr/bin/buildah', '--storage-driver', 'overlay', 'push', 'a:1', 'oci-archive:/t/a.tar'],
    ]);
  });
});
