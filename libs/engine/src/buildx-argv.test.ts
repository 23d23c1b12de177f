import { describe, expect, it } from 'vitest';
import { buildxArgv, metadataDigest, type BuildxContext } from './buildx-argv';
import { parseBuilder } from './buildx-builder';
import type { BuildRequest } from './types';

const ctx: BuildxContext = {
  iidfile: '/tmp/x/iid',
  metadataFile: '/tmp/x/meta.json',
  driver: 'docker',
  cacheExport: true,
  attest: true,
};
const base: BuildRequest = {
  contextDir: '/ctx',
  dockerfile: '/ctx/Dockerfile',
  tags: ['127.0.0.1:5000/app:1', '127.0.0.1:5000/app:latest'],
};
const after = (argv: string[], flag: string) => argv.filter((_, i) => argv[i - 1] === flag);

describe('buildxArgv', () => {
  it('builds with buildx, loading into the engine by default', () => {
    const argv = buildxArgv(
      {
        ...base,
        target: 'runtime',
        buildArgs: { PY: '3.11' },
        labels: { 'org.opencontainers.image.title': 'app' },
        secrets: [
          { id: 'pip', env: 'PIP_TOKEN' },
          { id: 'netrc', src: '/home/u/.netrc' },
        ],
      },
      ctx,
    );
    expect(argv.slice(0, 4)).toEqual(['buildx', 'build', '--progress', 'plain']);
    expect(after(argv, '--network')).toEqual(['host']);
    expect(after(argv, '-t')).toEqual(base.tags);
    expect(after(argv, '--secret')).toEqual([
      'id=pip,env=PIP_TOKEN',
      'id=netrc,src=/home/u/.netrc',
    ]);
    expect(argv).toContain('--load');
    expect(argv).not.toContain('--push');
    expect(after(argv, '--attest')).toEqual(['type=provenance,mode=max']);
    expect(argv).toContain('--sbom=false');
    expect(argv.slice(-5)).toEqual([
      '--iidfile',
      '/tmp/x/iid',
      '--metadata-file',
      '/tmp/x/meta.json',
      '/ctx',
    ]);
  });

  it('attests SLSA provenance (max mode) only where the image keeps it, never by buildx default', () => {
    const registry = buildxArgv({ ...base, output: 'registry' }, { ...ctx, driver: 'remote' });
    expect(after(registry, '--attest')).toEqual(['type=provenance,mode=max']);
    expect(registry).not.toContain('--provenance=false');
    // The classic image store drops attestations on load: none asked, and buildx's own default off.
    const classic = buildxArgv(base, { ...ctx, attest: false });
    expect(classic).not.toContain('--attest');
    expect(classic).toContain('--provenance=false');
    expect(classic).toContain('--sbom=false');
  });

  it('names the builder when one is set', () => {
    expect(after(buildxArgv(base, { ...ctx, builder: 'fleet' }), '--builder')).toEqual(['fleet']);
    expect(buildxArgv(base, ctx)).not.toContain('--builder');
  });

  it('reads and writes registry caches (mode=max), writing only where the builder can', () => {
    const req = {
      ...base,
      cacheFrom: ['r/app:buildcache', 'r/base:buildcache'],
      cacheTo: 'r/app:buildcache',
    };
    const argv = buildxArgv(req, ctx);
    expect(after(argv, '--cache-from')).toEqual([
      'type=registry,ref=r/app:buildcache',
      'type=registry,ref=r/base:buildcache',
    ]);
    expect(after(argv, '--cache-to')).toEqual([
      'type=registry,ref=r/app:buildcache,mode=max,ignore-error=true',
    ]);
    expect(buildxArgv(req, { ...ctx, cacheExport: false })).not.toContain('--cache-to');
  });

  it('pushes straight to the registry for registry output, rewriting timestamps off the docker driver', () => {
    const req: BuildRequest = { ...base, output: 'registry', sourceDateEpoch: 1700000000 };
    const remote = buildxArgv(req, { ...ctx, driver: 'remote' });
    expect(after(remote, '--output')).toEqual(['type=image,push=true,rewrite-timestamp=true']);
    expect(remote).not.toContain('--load');
    expect(remote).toContain('SOURCE_DATE_EPOCH=1700000000');
    // moby's image store refuses rewrite-timestamp ("conflicts with unpack"): no source date there,
    // nor for builds into the engine (it would only defeat the pip step's layer cache).
    expect(after(buildxArgv(req, ctx), '--output')).toEqual(['type=image,push=true']);
    expect(buildxArgv(req, ctx).join(' ')).not.toContain('SOURCE_DATE_EPOCH');
    expect(
      buildxArgv({ ...req, output: 'engine' }, { ...ctx, driver: 'remote' }).join(' '),
    ).not.toContain('SOURCE_DATE_EPOCH');
  });

  it('passes every platform as one multi-platform build', () => {
    const argv = buildxArgv(
      { ...base, platforms: ['linux/amd64', 'linux/aarch64', 'linux/arm64/v8'] },
      ctx,
    );
    expect(after(argv, '--platform')).toEqual(['linux/amd64,linux/arm64']);
  });

  it('honours network none/default', () => {
    expect(after(buildxArgv({ ...base, network: 'none' }, ctx), '--network')).toEqual(['none']);
    expect(buildxArgv({ ...base, network: 'default' }, ctx)).not.toContain('--network');
  });
});

describe('metadataDigest', () => {
  it('reads containerimage.digest and ignores anything else', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(metadataDigest(JSON.stringify({ 'containerimage.digest': d }))).toBe(d);
    expect(metadataDigest('{"containerimage.digest": "sha256:zz"}')).toBeUndefined();
    expect(metadataDigest('not json')).toBeUndefined();
  });
});

describe('parseBuilder', () => {
  it('reads the driver and the platforms of every node', () => {
    const text = [
      'Name:          fleet',
      'Driver:        remote',
      'Last Activity: 2026-12-07 01:00:00 +0000 UTC',
      '',
      'Nodes:',
      'Name:             fleet0',
      'Endpoint:         unix:///run/buildkitd.sock',
      'Status:           running',
      'BuildKit version: v0.35.0',
      'Platforms:        linux/amd64, linux/amd64/v2, linux/arm64*',
      'Labels:',
      ' org.mobyproject.buildkit.worker.executor: oci',
    ].join('\n');
    expect(parseBuilder(text)).toEqual({
      name: 'fleet',
      driver: 'remote',
      platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/arm64'],
    });
  });
});
