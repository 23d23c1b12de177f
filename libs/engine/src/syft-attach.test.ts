import { describe, expect, it } from 'vitest';
import { atDigest, attachArgv, readPushedImage } from './syft-attach';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('readPushedImage', () => {
  it('lists each platform manifest of an index and which ones BuildKit attested', () => {
    const index = {
      manifests: [
        { digest: d('a'), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: d('b'), platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        {
          digest: d('c'),
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: {
            'vnd.docker.reference.type': 'attestation-manifest',
            'vnd.docker.reference.digest': d('b'),
          },
        },
      ],
    };
    expect(
      readPushedImage('127.0.0.1:5000/a/app:ch-1', d('0'), JSON.stringify(index), 'linux/amd64'),
    ).toEqual({
      subjects: [
        { platform: 'linux/amd64', ref: `127.0.0.1:5000/a/app@${d('a')}` },
        { platform: 'linux/arm/v7', ref: `127.0.0.1:5000/a/app@${d('b')}` },
      ],
      attested: [d('b')],
    });
  });

  it('takes a single manifest as one subject of the given platform, unattested', () => {
    const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] };
    expect(
      readPushedImage('r.example/app:1', d('e'), JSON.stringify(manifest), 'linux/arm64'),
    ).toEqual({
      subjects: [{ platform: 'linux/arm64', ref: `r.example/app@${d('e')}` }],
      attested: [],
    });
  });
});

describe('oras argv', () => {
  it('attaches the SPDX file as a referrer, over plain HTTP only for this machine', () => {
    expect(attachArgv(`127.0.0.1:5000/app@${d('a')}`, 'sbom.spdx.json')).toEqual([
      'attach',
      '--plain-http',
      '--artifact-type',
      'application/spdx+json',
      `127.0.0.1:5000/app@${d('a')}`,
      'sbom.spdx.json:application/spdx+json',
    ]);
    expect(attachArgv(`ghcr.io/acme/app@${d('a')}`, 's.json')).not.toContain('--plain-http');
    expect(atDigest('localhost:5000/a/b:tag', d('f'))).toBe(`localhost:5000/a/b@${d('f')}`);
  });
});
