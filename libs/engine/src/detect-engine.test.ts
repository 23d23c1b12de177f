import { describe, expect, it } from 'vitest';
import { createEngine, detectEngine, resolveBinary } from './detect-engine';
import { EngineError } from './errors';
import { fakeExec } from '../test-support/fake-exec';

/** A fake `which` over a set of installed executables. */
function whichOf(...installed: string[]) {
  return (cmd: string) => installed.find((p) => p === cmd || p.endsWith(`/${cmd}`));
}

/** Engines whose `info`/`version` answers (by binary path). */
function answering(...working: string[]) {
  return fakeExec(({ file }) =>
    working.includes(file)
      ? { stdout: '26.1.5|[["driver-type","io.containerd.snapshotter.v1"]]' }
      : {
          exitCode: 1,
          stderr:
            'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        },
  );
}

describe('resolveBinary', () => {
  it('prefers IMAGESMITH_DOCKER, then /usr/bin/docker, then docker on PATH', () => {
    const which = whichOf('/usr/local/bin/docker', '/usr/bin/docker', '/opt/docker');
    expect(resolveBinary('docker', { IMAGESMITH_DOCKER: '/opt/docker' }, which)).toBe(
      '/opt/docker',
    );
    expect(resolveBinary('docker', {}, which)).toBe('/usr/bin/docker');
    expect(resolveBinary('docker', {}, whichOf('/usr/local/bin/docker'))).toBe(
      '/usr/local/bin/docker',
    );
    expect(resolveBinary('buildah', {}, whichOf('/usr/bin/buildah'))).toBe('/usr/bin/buildah');
    expect(resolveBinary('podman', {}, whichOf())).toBeUndefined();
  });
});

describe('detectEngine', () => {
  it('auto-detects docker first when its daemon answers', async () => {
    const { exec, calls } = answering('/usr/bin/docker', '/usr/bin/buildah');
    const engine = await detectEngine({
      env: {},
      exec,
      which: whichOf('/usr/bin/docker', '/usr/bin/buildah'),
    });
    expect(engine.name).toBe('docker');
    expect(engine.binary).toBe('/usr/bin/docker');
    expect(calls.map((c) => c.args.join(' '))).toEqual([
      'info --format {{.ServerVersion}}|{{json .DriverStatus}}',
      'buildx inspect',
    ]);
  });

  it('refuses Docker 20.10: buildx, cache export and several platforms need Docker >= 25', async () => {
    const { exec } = fakeExec(() => ({ stdout: '20.10.24|[["Backing Filesystem","extfs"]]' }));
    const engine = createEngine('docker', { binary: '/usr/bin/docker', exec, env: {} });
    await expect(engine.info()).rejects.toThrow(
      /Docker 20\.10\.24 at \/usr\/bin\/docker is not supported: .*Docker >= 25.*setup-engine\.sh/s,
    );
  });

  it('says how to get buildx when the plugin is missing', async () => {
    const { exec } = fakeExec(({ args }) =>
      args[0] === 'buildx'
        ? { exitCode: 1, stderr: "docker: 'buildx' is not a docker command." }
        : { stdout: '26.1.5|[]' },
    );
    const engine = createEngine('docker', { binary: '/usr/bin/docker', exec, env: {} });
    await expect(engine.info()).rejects.toThrow(/docker buildx is not installed/);
  });

  it('asks for the configured builder, and names it when it does not exist', async () => {
    const { exec, calls } = fakeExec(({ args }) =>
      args[0] === 'buildx'
        ? { exitCode: 1, stderr: 'ERROR: no builder "fleet" found' }
        : { stdout: '26.1.5|[]' },
    );
    const engine = createEngine('docker', { binary: 'docker', exec, env: {}, builder: 'fleet' });
    await expect(engine.info()).rejects.toThrow(
      /buildx inspect fleet failed.*docker buildx create --name fleet/s,
    );
    expect(calls[1]!.args).toEqual(['buildx', 'inspect', 'fleet']);
  });

  it('falls back to podman, then buildah, when docker does not answer', async () => {
    const which = whichOf('/usr/bin/docker', '/usr/bin/podman', '/usr/bin/buildah');
    const podman = await detectEngine({
      env: {},
      exec: answering('/usr/bin/podman', '/usr/bin/buildah').exec,
      which,
    });
    expect(podman.name).toBe('podman');
    const { exec, calls } = answering('/usr/bin/buildah');
    const buildah = await detectEngine({ env: {}, exec, which });
    expect(buildah.name).toBe('buildah');
    expect(calls.map((c) => c.file)).toEqual([
      '/usr/bin/docker',
      '/usr/bin/podman',
      '/usr/bin/buildah',
    ]);
    expect(calls[2]!.args).toEqual(['--storage-driver', 'overlay', 'info']);
  });

  it('honours prefer over IMAGESMITH_ENGINE, and IMAGESMITH_ENGINE over auto-detection', async () => {
    const which = whichOf('/usr/bin/docker', '/usr/bin/buildah', '/usr/bin/podman');
    const { exec } = answering('/usr/bin/docker', '/usr/bin/buildah', '/usr/bin/podman');
    expect((await detectEngine({ env: { IMAGESMITH_ENGINE: 'buildah' }, exec, which })).name).toBe(
      'buildah',
    );
    expect(
      (await detectEngine({ env: { IMAGESMITH_ENGINE: 'buildah' }, prefer: 'podman', exec, which }))
        .name,
    ).toBe('podman');
  });

  it('does not fall back from an explicit choice that does not work', async () => {
    const which = whichOf('/usr/bin/docker', '/usr/bin/buildah');
    const { exec } = answering('/usr/bin/buildah');
    await expect(
      detectEngine({ env: { IMAGESMITH_ENGINE: 'docker' }, exec, which }),
    ).rejects.toThrow(/dockerd --bridge=none/);
  });

  it('rejects an unknown IMAGESMITH_ENGINE', async () => {
    const { exec } = answering();
    await expect(
      detectEngine({ env: { IMAGESMITH_ENGINE: 'kaniko' }, exec, which: whichOf() }),
    ).rejects.toThrow(/one of docker, podman, buildah/);
  });

  it('explains how to install and start an engine when none works', async () => {
    const { exec } = answering();
    const error = await detectEngine({ env: {}, exec, which: whichOf('/usr/bin/docker') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    const message = (error as Error).message;
    expect(message).toMatch(/docker \(\/usr\/bin\/docker\): .*Cannot connect/);
    expect(message).toMatch(/podman: not installed/);
    expect(message).toMatch(/apt-get install -y docker\.io/);
    expect(message).toMatch(/dockerd --bridge=none --iptables=false --ip-masq=false/);
    expect(message).toMatch(/IMAGESMITH_ENGINE/);
  });

  it('reports a missing binary as not installed, with the install command', async () => {
    const engine = createEngine('docker', {
      binary: '/nope/docker',
      exec: fakeExec(() => ({ exitCode: 127, notFound: true })).exec,
      env: {},
    });
    await expect(engine.info()).rejects.toThrow(/apt-get install -y docker\.io/);
  });

  it('passes DOCKER_HOST and friends through untouched', async () => {
    const { exec, calls } = answering('/usr/bin/docker');
    await detectEngine({
      env: { DOCKER_HOST: 'tcp://builder:2376', DOCKER_TLS_VERIFY: '1' },
      exec,
      which: whichOf('/usr/bin/docker'),
    });
    expect(calls[0]!.options.env).toMatchObject({
      DOCKER_HOST: 'tcp://builder:2376',
      DOCKER_TLS_VERIFY: '1',
    });
  });
});
