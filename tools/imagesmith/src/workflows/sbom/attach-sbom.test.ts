import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachSboms, type PushedRef, type SbomDeps } from './attach-sbom';

const hex = (c: string) => c.repeat(64);
const INDEX = `sha256:${hex('0')}`;
const AMD = `sha256:${hex('a')}`;
const ARM = `sha256:${hex('b')}`;
const REPO = '127.0.0.1:5000/team/app';

/** A BuildKit index: two platforms, provenance for amd64 only. */
const index = JSON.stringify({
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: AMD, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: ARM, platform: { os: 'linux', architecture: 'arm64' } },
    {
      digest: `sha256:${hex('c')}`,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': AMD,
      },
    },
  ],
});

function fakes(env: NodeJS.ProcessEnv, manifest = index, syft: string | null = '/x/syft') {
  const calls: string[][] = [];
  const deps: SbomDeps = {
    env,
    findSyft: () =>
      syft ? { path: syft } : { problem: 'syft is not installed: install syft v1.57.2' },
    scan: async (bin, source, file) => {
      calls.push(['scan', bin, source]);
      writeFileSync(file, JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: [{}, {}, {}] }));
    },
    fetchManifest: async (ref) => {
      calls.push(['fetch', ref]);
      return manifest;
    },
    attest: async (ref, predicate, key) => {
      calls.push(['attest', ref, predicate.type, key.setting]);
    },
    attachReferrer: async (subject) => {
      calls.push(['referrer', subject]);
    },
  };
  return { deps, calls };
}

const pushed: PushedRef = {
  variant: 'app',
  ref: `${REPO}:ch-123`,
  digest: INDEX,
  platform: 'linux/amd64',
  engine: 'docker',
  root: '/ws',
};

describe('attachSboms', () => {
  it('scans each platform manifest from the registry and attests its SPDX SBOM with the workspace key', async () => {
    const { deps, calls } = fakes({ COSIGN_KEY: '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----' });
    const lines = await attachSboms(pushed, () => undefined, deps);
    expect(calls).toEqual([
      ['fetch', `${REPO}@${INDEX}`],
      ['scan', '/x/syft', `registry:${REPO}@${AMD}`],
      ['attest', `${REPO}@${AMD}`, 'spdxjson', 'COSIGN_KEY'],
      ['scan', '/x/syft', `registry:${REPO}@${ARM}`],
      ['attest', `${REPO}@${ARM}`, 'spdxjson', 'COSIGN_KEY'],
    ]);
    expect(lines[0]).toContain('linux/amd64');
    expect(lines[0]).toContain('SLSA provenance (BuildKit)');
    expect(lines[0]).toContain(
      'SPDX SBOM of 3 packages attached as a signed attestation (COSIGN_KEY)',
    );
    expect(lines[1]).toContain('linux/arm64');
    expect(lines[1]).toContain('no provenance');
  });

  it('without a key attaches it as an OCI referrer, and never calls cosign', async () => {
    const { deps, calls } = fakes({});
    const lines = await attachSboms(pushed, () => undefined, deps);
    expect(calls.filter((c) => c[0] === 'attest')).toEqual([]);
    expect(calls.filter((c) => c[0] === 'referrer')).toEqual([
      ['referrer', `${REPO}@${AMD}`],
      ['referrer', `${REPO}@${ARM}`],
    ]);
    expect(lines[0]).toContain('attached as an OCI referrer, unsigned (no signing key)');
  });

  it('says that buildah cannot attest, and still attaches the SBOM to its single manifest', async () => {
    const single = JSON.stringify({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      layers: [],
    });
    const { deps, calls } = fakes({}, single);
    const lines = await attachSboms({ ...pushed, engine: 'buildah' }, () => undefined, deps);
    expect(calls.at(-1)).toEqual(['referrer', `${REPO}@${INDEX}`]);
    expect(lines).toEqual([
      expect.stringContaining('no provenance (buildah cannot attest') as string,
    ]);
  });

  it('without syft says what to install and attaches nothing; under CI=true it fails', async () => {
    const { deps, calls } = fakes({}, index, null);
    const logged: string[] = [];
    await attachSboms(pushed, (l) => logged.push(l), deps);
    expect(logged).toEqual([
      `app: no SBOM attached to ${REPO}:ch-123: syft is not installed: install syft v1.57.2`,
    ]);
    expect(calls).toEqual([]);
    const ci = fakes({ CI: 'true' }, index, null);
    await expect(attachSboms(pushed, () => undefined, ci.deps)).rejects.toThrow(
      /syft is not installed/,
    );
  });
});
