import { describe, expect, it } from 'vitest';
import { isIndex, pickPlatform, readImageConfig } from './image-config';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const amd64 = { digest: d('1'), platform: { os: 'linux', architecture: 'amd64' } };
const arm64 = { digest: d('2'), platform: { os: 'linux', architecture: 'arm64' } };
const attestation = {
  digest: d('3'),
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
};

describe('pickPlatform', () => {
  it("picks the host's platform, else the first image; never an attestation", () => {
    expect(pickPlatform([attestation, arm64, amd64], 'linux/amd64')).toBe(amd64);
    expect(pickPlatform([attestation, arm64], 'linux/amd64')).toBe(arm64);
    expect(pickPlatform([attestation], 'linux/amd64')).toBeUndefined();
  });

  it('tells an index from an image manifest', () => {
    expect(isIndex({ manifests: [] }, 'application/json')).toBe(true);
    expect(isIndex({}, 'application/vnd.docker.distribution.manifest.list.v2+json')).toBe(true);
    expect(
      isIndex({ config: { digest: d('1') } }, 'application/vnd.oci.image.manifest.v1+json'),
    ).toBe(false);
  });
});

describe('readImageConfig', () => {
  const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

  it('reads the labels of a single-platform image from its config blob', async () => {
    const got = await readImageConfig(
      'r/app:1',
      async () => ({
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        bytes: bytes({ config: { digest: d('c') } }),
        digest: d('m'),
      }),
      async (digest) =>
        digest === d('c')
          ? bytes({ os: 'linux', architecture: 'arm64', config: { Labels: { a: 'b' } } })
          : undefined,
    );
    expect(got).toEqual({ manifestDigest: d('m'), platform: 'linux/arm64', labels: { a: 'b' } });
  });

  it('is undefined when the tag is gone, and names the reference when the copy is not JSON', async () => {
    expect(
      await readImageConfig(
        'r/app:1',
        async () => undefined,
        async () => undefined,
      ),
    ).toBe(undefined);
    await expect(
      readImageConfig(
        'r/app:1',
        async () => ({ mediaType: 'x', bytes: new TextEncoder().encode('<html>'), digest: d('m') }),
        async () => undefined,
      ),
    ).rejects.toThrow(/a manifest of r\/app:1 that is not JSON; the registry copy is corrupted/);
  });
});
