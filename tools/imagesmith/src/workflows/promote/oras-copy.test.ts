import { describe, expect, it } from 'vitest';
import { attachmentTags, copyWithAttachments, orasCopyArgv } from './oras-copy';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('orasCopyArgv', () => {
  it('plain http only for loopback registries', () => {
    expect(
      orasCopyArgv(`127.0.0.1:5000/ws/app@sha256:${A}`, 'registry.example/prod/app:1'),
    ).toEqual([
      'cp',
      '-r',
      '--from-plain-http',
      `127.0.0.1:5000/ws/app@sha256:${A}`,
      'registry.example/prod/app:1',
    ]);
    expect(orasCopyArgv('registry.example/a:1', 'localhost:5001/b:1')).toEqual([
      'cp',
      '-r',
      '--to-plain-http',
      'registry.example/a:1',
      'localhost:5001/b:1',
    ]);
  });
});

describe('orasCopyArgv with a login file', () => {
  it("passes buildah/podman's auth file, a path, never a secret", () => {
    expect(orasCopyArgv('registry.example/a:1', 'registry.example/b:1', '/run/auth.json')).toEqual([
      'cp',
      '-r',
      '--registry-config',
      '/run/auth.json',
      'registry.example/a:1',
      'registry.example/b:1',
    ]);
  });
});

describe('attachmentTags', () => {
  it("keeps the graph's signature, attestation and SBOM tags only", () => {
    expect(
      attachmentTags(
        [
          `sha256-${A}.sig`,
          `sha256-${A}.att`,
          `sha256-${B}.sbom`,
          `sha256-${C}.sig`,
          'ch-1',
          `sha256-${A}`,
        ],
        [`sha256:${A}`, `sha256:${B}`],
      ),
    ).toEqual([`sha256-${A}.sig`, `sha256-${A}.att`, `sha256-${B}.sbom`]);
  });
});

describe('copyWithAttachments', () => {
  it('copies the graph by digest first, then the attachments of the index and its manifests', async () => {
    const calls: string[][] = [];
    const run = async (args: string[]) => {
      calls.push(args);
      return args[0] === 'manifest'
        ? JSON.stringify({ manifests: [{ digest: `sha256:${B}` }] })
        : '';
    };
    const src = `127.0.0.1:5000/ws/app@sha256:${A}`;
    const copied = await copyWithAttachments(
      src,
      '127.0.0.1:5001/prod/app:ch-1',
      async () => [`sha256-${B}.att`, `sha256-${A}.sig`, `sha256-${C}.sig`],
      {},
      run,
    );
    expect(copied).toEqual([`sha256-${B}.att`, `sha256-${A}.sig`]);
    expect(calls.map((c) => c.slice(0, 2).concat(c.slice(-2)))).toEqual([
      ['cp', '-r', src, '127.0.0.1:5001/prod/app:ch-1'],
      ['manifest', 'fetch', '--plain-http', src],
      [
        'cp',
        '-r',
        `127.0.0.1:5000/ws/app:sha256-${B}.att`,
        `127.0.0.1:5001/prod/app:sha256-${B}.att`,
      ],
      [
        'cp',
        '-r',
        `127.0.0.1:5000/ws/app:sha256-${A}.sig`,
        `127.0.0.1:5001/prod/app:sha256-${A}.sig`,
      ],
    ]);
  });
});
