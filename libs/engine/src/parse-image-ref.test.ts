import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import {
  isLoopbackRegistry,
  parseImageRef,
  registryLocation,
  registryOf,
  repositoryName,
  tagOf,
  withTag,
} from './parse-image-ref';

describe('parseImageRef', () => {
  it.each([
    ['python', { repository: 'python' }],
    ['python:3.11-slim', { repository: 'python', tag: '3.11-slim' }],
    ['library/python:3.11', { repository: 'library/python', tag: '3.11' }],
    [
      '127.0.0.1:5000/library/python:3.11-slim-bookworm',
      { registry: '127.0.0.1:5000', repository: 'library/python', tag: '3.11-slim-bookworm' },
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/a/b/c:v1', { registry: 'localhost:5000', repository: 'a/b/c', tag: 'v1' }],
    ['ghcr.io/org/img', { registry: 'ghcr.io', repository: 'org/img' }],
    [
      'nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04',
      { repository: 'nvidia/cuda', tag: '12.1.1-cudnn8-runtime-ubuntu22.04' },
    ],
    [
      'quay.io/x/y:1@sha256:' + 'a'.repeat(64),
      { registry: 'quay.io', repository: 'x/y', tag: '1', digest: 'sha256:' + 'a'.repeat(64) },
    ],
    ['x/y@sha256:' + 'b'.repeat(64), { repository: 'x/y', digest: 'sha256:' + 'b'.repeat(64) }],
    ['[::1]:5000/img:t', { registry: '[::1]:5000', repository: 'img', tag: 't' }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it.each(['', ' python', 'Python:3', 'a//b', 'img:', 'img:bad tag', 'img@sha256:xyz', ':tag'])(
    'rejects %j with advice',
    (ref) => {
      expect(() => parseImageRef(ref)).toThrow(EngineError);
      expect(() => parseImageRef(ref)).toThrow(/Use \[registry/);
    },
  );

  it('tells loopback registries apart', () => {
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('127.1.2.3')).toBe(true);
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('128.0.0.1:5000')).toBe(false);
    expect(isLoopbackRegistry('registry.example.com')).toBe(false);
    expect(isLoopbackRegistry(undefined)).toBe(false);
    expect(registryOf('127.0.0.1:5000/a:b')).toBe('127.0.0.1:5000');
    expect(registryOf('python:3')).toBeUndefined();
  });
});

describe('registry coordinates of a reference', () => {
  it('fills in what docker fills in: docker.io, library/, latest', () => {
    expect(registryLocation('python')).toEqual({
      registry: 'docker.io',
      repository: 'library/python',
      reference: 'latest',
    });
    expect(registryLocation('nvidia/cuda:12.1')).toMatchObject({ repository: 'nvidia/cuda' });
    expect(registryLocation(`127.0.0.1:5000/ns/app:1@sha256:${'a'.repeat(64)}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'ns/app',
      reference: `sha256:${'a'.repeat(64)}`,
    });
  });

  it('splits repository and tag where a port has a colon too', () => {
    const ref = 'localhost:5000/ns/base:1.0-r3';
    expect(repositoryName(ref)).toBe('localhost:5000/ns/base');
    expect(tagOf(ref)).toBe('1.0-r3');
    expect(tagOf('localhost:5000/ns/base')).toBe('latest');
    expect(withTag(ref, 'buildcache')).toBe('localhost:5000/ns/base:buildcache');
  });
});
